/** `lockscope server` against a real PostgreSQL 15 cluster and PGlite 18, and its failures: exit codes, no stack traces. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { freePort, startCluster, type PgCluster } from '../support/pg-cluster.js';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');
let cluster: PgCluster;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE DATABASE shop;`);
  cluster.psql(
    `CREATE TABLE orders (id serial PRIMARY KEY, customer int, total numeric);
     CREATE INDEX orders_customer_idx ON orders (customer);
     CREATE VIEW big_orders AS SELECT * FROM orders WHERE total > 100;`,
    'shop',
  );
});
after(() => cluster?.stop());

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += `${t}\n`), stderr: (t) => (err += `${t}\n`), env });
  return { code, out, err };
}

test('server --json reports version, max_locks_per_transaction, 16 slots and the relation count on PG 15', async () => {
  const { code, out, err } = await run(['server', '--db', cluster.urlFor('shop'), '--json']);
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as { server: Record<string, unknown>; relationCount: number; database: string };
  const expectedRelations = Number(
    cluster
      .psql(
        `SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog','information_schema','pg_toast') AND c.relkind IN ('r','p','i','I','S','v','m','f')`,
        'shop',
      )
      .trim(),
  );
  // orders, orders_pkey, orders_customer_idx, orders_id_seq and the view big_orders
  assert.equal(expectedRelations, 5);
  assert.equal(json.relationCount, expectedRelations);
  assert.match(String(json.server['version']), new RegExp(`^${cluster.major}\\.`));
  assert.equal(json.server['maxLocksPerTransaction'], 64);
  assert.equal(json.server['fastPathSlots'], 16);
  assert.equal(json.server['fastPathGroups'], 1);
  assert.equal(json.server['source'], 'server');
  assert.equal(json.database, 'shop');
});

test('server text output names the slots and the target without the password', async () => {
  const { code, out } = await run(['server', '--db', cluster.urlFor('shop')]);
  assert.equal(code, 0);
  assert.match(out, /fast-path slots \/ backend\s+16\n/);
  assert.match(out, /relations\s+5/);
  assert.ok(!out.includes('lockscope-test'), 'password leaked into output');
});

test('DATABASE_URL and the PG* variables are used when --db is absent', async () => {
  const viaUrl = await run(['server', '--json'], { DATABASE_URL: cluster.urlFor('shop') });
  assert.equal(viaUrl.code, 0, viaUrl.err);
  assert.equal((JSON.parse(viaUrl.out) as { database: string }).database, 'shop');
  // node-postgres reads the PG* variables from the real process environment, so run the built CLI with them.
  const libpqEnv = {
    PATH: process.env['PATH'] ?? '',
    PGHOST: '127.0.0.1',
    PGPORT: String(cluster.port),
    PGUSER: 'postgres',
    PGPASSWORD: 'lockscope-test',
    PGDATABASE: 'shop',
  };
  const viaLibpq = spawnSync(process.execPath, [CLI, 'server', '--json'], { encoding: 'utf8', env: libpqEnv, timeout: 30_000 });
  assert.equal(viaLibpq.status, 0, viaLibpq.stderr);
  assert.equal((JSON.parse(viaLibpq.stdout) as { database: string }).database, 'shop');
});

test('server --schema answers from the embedded PostgreSQL 18 with 64 slots in 4 groups', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-schema-'));
  const schema = join(dir, 'schema.sql');
  writeFileSync(schema, `CREATE TABLE t (id int PRIMARY KEY, a int, b text);\nCREATE INDEX t_a ON t (a);\nCREATE INDEX t_b ON t (b);\n`);
  const { code, out, err } = await run(['server', '--schema', schema, '--json']);
  assert.equal(code, 0, err);
  const json = JSON.parse(out) as { server: Record<string, unknown>; relationCount: number };
  assert.match(String(json.server['version']), /^18\./);
  assert.equal(json.server['fastPathSlots'], 64);
  assert.equal(json.server['fastPathGroups'], 4);
  assert.equal(json.server['source'], 'embedded');
  assert.equal(json.relationCount, 4); // t, t_pkey, t_a, t_b
});

interface FailureCase {
  name: string;
  args: () => string[];
  code: number;
  message: RegExp;
}

const failures: FailureCase[] = [
  {
    name: 'wrong password',
    args: () => ['server', '--db', cluster.urlFor('shop', 'wrong')],
    code: 3,
    message: /refused the login.*password authentication failed/,
  },
  { name: 'unknown database', args: () => ['server', '--db', cluster.urlFor('nope')], code: 3, message: /no such database/ },
  { name: 'nothing listening', args: () => [], code: 3, message: /connection refused/ },
  {
    name: 'malformed URL',
    args: () => ['server', '--db', 'postgres://u@h:port/db'],
    code: 2,
    message: /Bad port|Not a PostgreSQL connection URL/,
  },
  { name: 'wrong scheme', args: () => ['server', '--db', 'mysql://u@h/db'], code: 2, message: /Unsupported URL scheme/ },
  { name: 'unknown option', args: () => ['server', '--nope'], code: 2, message: /Unknown option/ },
  { name: 'unknown command', args: () => ['frobnicate'], code: 2, message: /Unknown command "frobnicate"/ },
  { name: 'no database given', args: () => ['server'], code: 2, message: /No database/ },
  {
    name: 'missing schema file',
    args: () => ['server', '--schema', '/nonexistent/schema.sql'],
    code: 2,
    message: /Cannot read schema file/,
  },
];

for (const failure of failures) {
  test(`bad input: ${failure.name} → exit ${failure.code}, a clear message and no stack trace (built CLI)`, async () => {
    assert.ok(existsSync(CLI), 'run `npm run build` first');
    const args =
      failure.name === 'nothing listening' ? ['server', '--db', `postgres://postgres@127.0.0.1:${await freePort()}/x`] : failure.args();
    const result = spawnSync(process.execPath, [CLI, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
      timeout: 30_000,
    });
    assert.equal(result.status, failure.code, result.stderr);
    assert.match(result.stderr, failure.message);
    assert.doesNotMatch(result.stderr, /\n\s+at .+:\d+:\d+/, 'stack trace printed');
    assert.equal(result.stdout, '');
  });
}

test('a schema file that does not load is a clear error, not a crash', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-schema-'));
  const schema = join(dir, 'broken.sql');
  writeFileSync(schema, 'CREATE TABLE ok (id int);\nCREATE TABLE broken (id int REFERENCES missing (id));\n');
  const { code, err } = await run(['server', '--schema', schema]);
  assert.equal(code, 2);
  assert.match(err, /Could not load .*broken\.sql.*missing/);
});
