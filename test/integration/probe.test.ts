/** The load probe against PostgreSQL 15: throughput, row-lock contention in its wait samples, cancel, no leftovers. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { parseParamSpec } from '../../src/core/probe/params.js';
import { resolveConnectionTarget, type ConnectionTarget } from '../../src/db/connection-target.js';
import { runProbe, type ProbeOptions } from '../../src/db/probe/engine.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let target: ConnectionTarget;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL);
    INSERT INTO accounts SELECT g, 100 FROM generate_series(1, 10000) g;
    CREATE TABLE gateways (id int PRIMARY KEY, state text);
    CREATE TABLE tools (id int PRIMARY KEY, gateway_id int REFERENCES gateways (id), state text);
    CREATE INDEX tools_gateway_idx ON tools (gateway_id);
    INSERT INTO gateways VALUES (1, 'up');
    INSERT INTO tools SELECT g, 1, 'up' FROM generate_series(1, 10) g;`);
  const t = resolveConnectionTarget(cluster.url, {});
  assert.ok(t);
  target = t;
});
after(() => cluster?.stop());

const base = (statements: string[], extra: Partial<ProbeOptions> = {}): ProbeOptions => ({
  clients: 4, durationSeconds: 2, warmupSeconds: 0.3, thinkTimeMs: 0, statements, params: [], statementTimeoutMs: 10_000, lockTimeoutMs: 5_000, ...extra,
});

function leftovers(): number {
  return Number(cluster.psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'lockscope%'`).trim());
}

test('a primary-key read: throughput, latency percentiles, no errors, nothing left behind', async () => {
  const result = await runProbe(target, base(['SELECT balance FROM accounts WHERE id = $1'], { params: [parseParamSpec('int:1..10000')] }));
  assert.ok(result.transactions > 100, `${result.transactions} transactions`);
  assert.ok(result.latencyMs.p50 > 0 && result.latencyMs.p50 <= result.latencyMs.p95 && result.latencyMs.p95 <= result.latencyMs.p99);
  assert.deepEqual(result.errors, {});
  assert.equal(result.throughput.length, 2);
  assert.ok(result.waitSamples >= 10);
  assert.equal(leftovers(), 0);
});

test('writes are rolled back: the table is unchanged after a probe of UPDATEs', async () => {
  await runProbe(target, base(['UPDATE accounts SET balance = balance - 1 WHERE id = $1'], { params: [parseParamSpec('int:1..50')] }));
  assert.equal(cluster.psql('SELECT sum(balance) FROM accounts').trim(), '1000000');
  assert.equal(leftovers(), 0);
});

test('row-lock contention shows Lock waits; the bulk UPDATE of the same rows shows fewer', async () => {
  // The gateway incident: lock the parent, then every child row one by one.
  const cascade = ['SELECT * FROM gateways WHERE id = 1 FOR UPDATE', ...Array.from({ length: 10 }, (_, i) => `SELECT * FROM tools WHERE id = ${i + 1} FOR UPDATE`), ...Array.from({ length: 10 }, (_, i) => `UPDATE tools SET state = 'down' WHERE id = ${i + 1}`), 'SELECT pg_sleep(0.002)'];
  const bulk = ["UPDATE tools SET state = 'down' WHERE gateway_id = 1"];
  const loop = await runProbe(target, base(cascade, { clients: 16, durationSeconds: 3 }));
  const single = await runProbe(target, base(bulk, { clients: 16, durationSeconds: 3 }));
  // Sessions seen waiting on a row lock, per transaction completed: what each unit of work costs in waiting.
  const waitsPerTransaction = (r: typeof loop): number => r.waits.Lock / Math.max(1, r.transactions);
  console.log(`probe contention: cascade ${loop.tps.toFixed(0)} tx/s, Lock waits ${loop.waits.Lock} in ${loop.waitSamples} samples; bulk ${single.tps.toFixed(0)} tx/s, Lock waits ${single.waits.Lock} in ${single.waitSamples} samples`);
  assert.ok(loop.waits.Lock > 0, 'the cascade shows Lock waits');
  assert.ok(waitsPerTransaction(single) < waitsPerTransaction(loop) / 2, 'the bulk UPDATE waits much less per transaction');
  assert.ok(single.tps > loop.tps);
  assert.equal(cluster.psql("SELECT count(*) FROM tools WHERE state = 'down'").trim(), '0');
  assert.equal(leftovers(), 0);
});

test('cancel stops the probe at once and closes every session', async () => {
  const abort = new AbortController();
  const started = Date.now();
  setTimeout(() => abort.abort(), 800);
  const result = await runProbe(target, base(['SELECT pg_sleep(0.01)'], { clients: 8, durationSeconds: 60 }), abort.signal);
  assert.equal(result.cancelled, true);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.equal(leftovers(), 0);
});

test('the CLI refuses DDL without --disposable and transaction control, and prints a summary', async () => {
  const run = async (args: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += `${t}\n`), env: {} });
    return { code, out, err };
  };
  const ddl = await run(['probe', '--db', cluster.url, '--clients', '2', '--duration', '1', 'ALTER TABLE accounts ADD COLUMN x int']);
  assert.equal(ddl.code, 2);
  assert.match(ddl.err, /Refusing to probe DDL \(ALTER TABLE\) unless --disposable/);
  const txn = await run(['probe', '--db', cluster.url, 'BEGIN', 'SELECT 1']);
  assert.equal(txn.code, 2);
  assert.match(txn.err, /drop "BEGIN"/);
  const ok = await run(['probe', '--db', cluster.url, '--clients', '2', '--duration', '1', '--warmup', '0', '--param', 'int:1..100', 'SELECT * FROM accounts WHERE id = ?']);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /2 clients, 1\.0 s: \d+ transactions/);
  assert.match(ok.out, /latency: p50 [\d.]+ ms/);
  assert.match(ok.out, /rolled back/);
  assert.equal(leftovers(), 0);
});
