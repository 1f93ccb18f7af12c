/** estimate / measure through the CLI against PostgreSQL 15: contract JSON, bad input, timeouts, dead sessions, no leftovers. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { measureLocks } from '../../src/db/measure.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openServerSession } from '../../src/db/server-session.js';
import { DEFAULT_SAFETY, type SqlSession } from '../../src/db/session.js';
import { DbError } from '../../src/db/errors.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let url: string;

before(async () => {
  cluster = await startCluster();
  cluster.psql('CREATE DATABASE shop');
  const indexes = Array.from({ length: 20 }, (_, i) => `CREATE INDEX wide_c${i}_idx ON wide (c${i});`).join('\n');
  cluster.psql(
    `CREATE TABLE wide (id int PRIMARY KEY, ${Array.from({ length: 20 }, (_, i) => `c${i} int`).join(', ')}); ${indexes}
                CREATE TABLE orders (id serial PRIMARY KEY, note text); INSERT INTO orders (note) VALUES ('a'), ('b');`,
    'shop',
  );
  url = cluster.urlFor('shop');
});
after(() => cluster?.stop());

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += `${t}\n`), stderr: (t) => (err += `${t}\n`), env: {} });
  return { code, out, err };
}

function openTransactions(): number {
  return Number(
    cluster
      .psql(
        `SELECT count(*) FROM pg_stat_activity WHERE application_name = 'lockscope' AND (state LIKE 'idle in transaction%' OR xact_start IS NOT NULL)`,
        'shop',
      )
      .trim(),
  );
}

test('estimate --json follows the contract: 22 locks, 16 fast-path, 6 slow-path on PG 15 (a table with 21 indexes)', async () => {
  const { code, out, err } = await cli(['estimate', '--db', url, '--json', 'SELECT * FROM wide WHERE id = ?']);
  assert.equal(code, 0, err);
  const doc = JSON.parse(out) as {
    server: Record<string, unknown>;
    statements: Array<{ sql: string; kind: string; locks: Array<Record<string, unknown>>; totals: Record<string, number> }>;
  };
  assert.equal(doc.server['fastPathSlots'], 16);
  assert.equal(doc.server['source'], 'server');
  const [statement] = doc.statements;
  assert.equal(statement?.sql, 'SELECT * FROM wide WHERE id = $1');
  assert.equal(statement?.kind, 'select');
  assert.deepEqual(statement?.totals, { locks: 22, relations: 22, fastpath: 16, slowpath: 6 });
  assert.deepEqual(Object.keys(statement?.locks[0] ?? {}), [
    'relation',
    'relkind',
    'mode',
    'fastpath',
    'phase',
    'reason',
    'cause',
    'owner',
  ]);
  assert.deepEqual(statement?.locks[0], {
    relation: 'public.wide',
    relkind: 'table',
    mode: 'AccessShareLock',
    fastpath: true,
    phase: 'plan',
    reason: 'FROM item',
    cause: 'from-item',
    owner: null,
  });
  // Each index names the table it belongs to.
  assert.deepEqual(
    [...new Set(statement?.locks.slice(1).map((l) => `${String(l['cause'])} of ${String(l['owner'])}`))],
    ['planner-index of public.wide'],
  );
});

test('estimate --txn accumulates: re-acquired locks are free, slots are per transaction', async () => {
  const { code, out } = await cli([
    'estimate',
    '--db',
    url,
    '--json',
    '--txn',
    'SELECT * FROM orders',
    'SELECT * FROM wide',
    'SELECT * FROM orders WHERE id = 1',
  ]);
  assert.equal(code, 0);
  const doc = JSON.parse(out) as { transaction: { totals: Record<string, number> } };
  // orders + orders_pkey + wide + its 21 indexes = 24 relations; 16 fast, 8 slow.
  assert.deepEqual(doc.transaction.totals, { locks: 24, relations: 24, fastpath: 16, slowpath: 8 });
});

test('estimate and measure agree through the CLI', async () => {
  const sql = 'UPDATE wide SET c1 = 1 WHERE id = 1';
  const predicted = JSON.parse((await cli(['estimate', '--db', url, '--json', sql])).out) as { statements: Array<{ totals: unknown }> };
  const measured = JSON.parse((await cli(['measure', '--db', url, '--json', sql])).out) as {
    measured: boolean;
    statements: Array<{ totals: unknown }>;
  };
  assert.equal(measured.measured, true);
  assert.deepEqual(measured.statements[0]?.totals, predicted.statements[0]?.totals);
});

test('measure --execute rolls back: the table is unchanged afterwards', async () => {
  const { code } = await cli(['measure', '--db', url, '--execute', "INSERT INTO orders (note) VALUES ('never')", 'DELETE FROM orders']);
  assert.equal(code, 0);
  assert.equal(cluster.psql('SELECT count(*) FROM orders', 'shop').trim(), '2');
  assert.equal(openTransactions(), 0);
});

const badInput: Array<[name: string, args: () => string[], code: number, message: RegExp]> = [
  [
    'unparsable SQL names line and column',
    () => ['estimate', '--db', url, 'SELECT *\nFRM orders'],
    2,
    /line 2, column 1: syntax error at or near "FRM"/,
  ],
  [
    'unknown relation is named',
    () => ['estimate', '--db', url, 'SELECT * FROM no_such_table'],
    2,
    /relation "no_such_table" does not exist/,
  ],
  [
    'measure of an unknown relation',
    () => ['measure', '--db', url, 'SELECT * FROM no_such_table'],
    2,
    /relation "no_such_table" does not exist/,
  ],
  ['no SQL at all', () => ['estimate', '--db', url], 2, /No SQL given/],
  ['unreadable --file', () => ['estimate', '--db', url, '--file', '/nonexistent.sql'], 2, /Cannot read \/nonexistent\.sql/],
];

for (const [name, args, code, message] of badInput) {
  test(`bad input: ${name}`, async () => {
    const result = await cli(args());
    assert.equal(result.code, code, result.err);
    assert.match(result.out + result.err, message);
    assert.equal(openTransactions(), 0);
  });
}

async function session(statementTimeoutMs: number): Promise<SqlSession> {
  const target = resolveConnectionTarget(url, {});
  assert.ok(target);
  return openServerSession(target, { ...DEFAULT_SAFETY, readOnly: false, statementTimeoutMs });
}

test('a statement_timeout during measurement is a clear error and leaves no open transaction', async () => {
  // The catalog comes from a session without the short timeout: on a loaded machine its query alone can take 200 ms.
  const catalogSession = await session(30000);
  const catalog = await loadCatalog(catalogSession).finally(() => catalogSession.close());
  const db = await session(200);
  try {
    await assert.rejects(
      measureLocks(db, ['SELECT pg_sleep(2)'], catalog, { execute: true, txn: false }),
      (e: unknown) => DbError.is(e, 'timeout') && /statement_timeout/.test(e.message),
    );
    // The session is still usable and not inside a transaction.
    const rows = await db.query<{ state: string }>(`SELECT now() = statement_timestamp() AS state`);
    assert.equal(rows.length, 1);
  } finally {
    await db.close();
  }
  assert.equal(openTransactions(), 0);
});

test('a connection killed mid-way is reported as lost, and the server holds nothing of it', async () => {
  const db = await session(5000);
  try {
    const catalog = await loadCatalog(db);
    const pid = (await db.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid;
    const killer = setTimeout(() => cluster.psql(`SELECT pg_terminate_backend(${pid})`), 300);
    await assert.rejects(measureLocks(db, ['SELECT pg_sleep(3)'], catalog, { execute: true, txn: false }), (e: unknown) =>
      DbError.is(e, 'connection-lost'),
    );
    clearTimeout(killer);
  } finally {
    await db.close();
  }
  assert.equal(openTransactions(), 0);
  assert.equal(
    Number(
      cluster
        .psql(`SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE a.application_name = 'lockscope'`, 'shop')
        .trim(),
    ),
    0,
  );
});
