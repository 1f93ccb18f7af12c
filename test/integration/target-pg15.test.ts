/**
 * `estimate --target 15` on the embedded PostgreSQL 18 reproduces, relation for relation, the locks and fast-path flags
 * a PostgreSQL 15 server with the same schema reports in pg_locks (issue #15: lock budgets for the production server).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

const SCHEMA = join(__dirname, '..', '..', 'examples', 'shop', 'schema.sql');
const QUERIES = join(__dirname, '..', '..', 'examples', 'shop', 'queries.sql');
// The checkout's statements without its BEGIN/COMMIT: --txn is the transaction, and measure never sends a COMMIT.
const CHECKOUT = readFileSync(QUERIES, 'utf8')
  .split('\n')
  .filter((line) => !/^\s*(--|BEGIN|COMMIT)/i.test(line) && line.trim() !== '')
  .map((line) => line.replace(/;\s*--.*$/, '').trim());
/** The loaded embedded database is kept between the cases (one schema load, not one per call). */
const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-target-'));
let cluster: PgCluster;
let url: string;

before(async () => {
  cluster = await startCluster();
  cluster.psql('CREATE DATABASE shop');
  cluster.psql(readFileSync(SCHEMA, 'utf8'), 'shop');
  // The rows the checkout touches, so executed statements take their execute-phase locks (FK checks, routing).
  cluster.psql(
    `INSERT INTO customers (id, email, name) VALUES (1, 'a@example.com', 'A');
     INSERT INTO products (id, sku, title, price_cents, stock) VALUES (7, 'SKU7', 'Seven', 1999, 10);
     INSERT INTO orders (id, customer_id) VALUES (42, 1);
     ANALYZE;`,
    'shop',
  );
  url = cluster.urlFor('shop');
});
after(() => {
  cluster?.stop();
  rmSync(cacheDir, { recursive: true, force: true });
});

interface JsonLock {
  relation: string;
  mode: string;
  fastpath: boolean;
}
interface JsonPlan {
  locks: JsonLock[];
  totals: { locks: number; fastpath: number; slowpath: number };
}
interface JsonReport {
  target?: { versionNum: number; fastPathSlots: number; basis: string };
  server: { versionNum: number };
  statements: JsonPlan[];
  transaction?: JsonPlan;
}

async function json(args: string[]): Promise<JsonReport> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += t), env: { LOCKSCOPE_CACHE_DIR: cacheDir } });
  assert.equal(code, 0, err);
  return JSON.parse(out) as JsonReport;
}

const lockKeys = (plan: JsonPlan | undefined): string[] =>
  (plan?.locks ?? []).map((l) => `${l.relation} ${l.mode} ${l.fastpath ? 'fast' : 'SLOW'}`).sort();

const CASES: Array<{ name: string; args: string[] }> = [
  { name: 'the example checkout as one transaction (executed)', args: ['--txn', ...CHECKOUT] },
  {
    name: 'a read joining every order table',
    args: [
      'SELECT * FROM orders o JOIN order_items i ON i.order_id = o.id JOIN payments p ON p.order_id = o.id JOIN customers c ON c.id = o.customer_id JOIN products pr ON pr.id = i.product_id',
    ],
  },
  { name: 'a row lock on the 22-index table', args: ['SELECT * FROM orders WHERE id = 42 FOR UPDATE'] },
  { name: 'a partitioned table read without its key', args: ["SELECT count(*) FROM events WHERE kind = 'checkout'"] },
];

for (const c of CASES) {
  test(`estimate --target 15 on the embedded database equals pg_locks on PostgreSQL 15: ${c.name}`, async () => {
    const predicted = await json(['estimate', '--target', '15', '--schema', SCHEMA, '--json', ...c.args]);
    const measured = await json(['measure', '--db', url, '--execute', '--json', ...c.args]);
    assert.equal(predicted.server.versionNum >= 180000, true, 'predicted on the embedded PostgreSQL 18');
    assert.equal(predicted.target?.versionNum, 150000);
    assert.equal(predicted.target?.fastPathSlots, 16);
    assert.equal(predicted.target?.basis, 'chosen');
    assert.equal(Math.floor(measured.server.versionNum / 10000), 15, 'measured on PostgreSQL 15');
    const p = c.args.includes('--txn') ? predicted.transaction : predicted.statements[0];
    const m = c.args.includes('--txn') ? measured.transaction : measured.statements[0];
    assert.deepEqual(lockKeys(p), lockKeys(m));
    assert.ok((p?.totals.slowpath ?? 0) > 0 || c.name.includes('partitioned'), 'the case exercises the 16-slot limit');
  });
}

test('without --target the embedded database is read for PostgreSQL 17 (16 slots), and the JSON says why', async () => {
  const report = await json(['estimate', '--schema', SCHEMA, '--json', 'SELECT * FROM orders WHERE id = 42 FOR UPDATE']);
  assert.equal(report.target?.versionNum, 170000);
  assert.equal(report.target?.fastPathSlots, 16);
  assert.equal(report.target?.basis, 'embedded-default');
  assert.equal(report.statements[0]?.totals.slowpath, 7, '23 relations on 16 slots');
  const on18 = await json(['estimate', '--schema', SCHEMA, '--target', '18', '--json', 'SELECT * FROM orders WHERE id = 42 FOR UPDATE']);
  assert.equal(on18.statements[0]?.totals.slowpath, 0, 'PostgreSQL 18 with 64 slots in 4 groups');
});
