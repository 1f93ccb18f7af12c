/** The load probe against PostgreSQL 15: throughput, both protocols, row-lock contention in its wait samples, cancel, no leftovers. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { runCli } from '../../src/cli/main.js';
import { parseParamSpec, percentile, renderStatement } from '../../src/core/probe/params.js';
import { resolveConnectionTarget, type ConnectionTarget } from '../../src/db/connection-target.js';
import { GuardRefusedError } from '../../src/core/safety/index.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { IterationSource, startClientLoop } from '../../src/db/probe/client-loop.js';
import { LatencyHistogram, ProbeStats } from '../../src/db/probe/client-loop-stats.js';
import { BackendReader } from '../../src/db/probe/client-loop-wire.js';
import { runProbe, type ProbeOptions } from '../../src/db/probe/engine.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let target: ConnectionTarget;

before(async () => {
  await loadSqlParser();
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
  clients: 4,
  durationSeconds: 2,
  warmupSeconds: 0.3,
  thinkTimeMs: 0,
  statements,
  params: [],
  statementTimeoutMs: 10_000,
  lockTimeoutMs: 5_000,
  ...extra,
});

function leftovers(): number {
  return Number(cluster.psql(`SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'lockscope%'`).trim());
}

test('a primary-key read: throughput, latency percentiles, no errors, nothing left behind', async () => {
  const progress: Array<{ p50: number; p95: number; p99: number } | undefined> = [];
  const result = await runProbe(
    target,
    base(['SELECT balance FROM accounts WHERE id = $1'], { params: [parseParamSpec('int:1..10000')] }),
    undefined,
    (p) => progress.push(p.latencyMs),
  );
  assert.ok(result.transactions > 100, `${result.transactions} transactions`);
  // Live: each progress tick carries the percentiles of the second before it.
  const live = progress.filter((l) => l !== undefined);
  assert.ok(live.length >= 1, 'per-second percentiles while the probe runs');
  for (const l of live) assert.ok(l.p50 > 0 && l.p50 <= l.p95 && l.p95 <= l.p99 && l.p99 <= result.latencyMs.max * 1.01, JSON.stringify(l));
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
  const cascade = [
    'SELECT * FROM gateways WHERE id = 1 FOR UPDATE',
    ...Array.from({ length: 10 }, (_, i) => `SELECT * FROM tools WHERE id = ${i + 1} FOR UPDATE`),
    ...Array.from({ length: 10 }, (_, i) => `UPDATE tools SET state = 'down' WHERE id = ${i + 1}`),
    'SELECT pg_sleep(0.002)',
  ];
  const bulk = ["UPDATE tools SET state = 'down' WHERE gateway_id = 1"];
  const loop = await runProbe(target, base(cascade, { clients: 16, durationSeconds: 3 }));
  const single = await runProbe(target, base(bulk, { clients: 16, durationSeconds: 3 }));
  // Sessions seen waiting on a row lock, per transaction completed: what each unit of work costs in waiting.
  const waitsPerTransaction = (r: typeof loop): number => r.waits.Lock / Math.max(1, r.transactions);
  console.log(
    `probe contention: cascade ${loop.tps.toFixed(0)} tx/s, Lock waits ${loop.waits.Lock} in ${loop.waitSamples} samples; bulk ${single.tps.toFixed(0)} tx/s, Lock waits ${single.waits.Lock} in ${single.waitSamples} samples`,
  );
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
  const ok = await run([
    'probe',
    '--db',
    cluster.url,
    '--clients',
    '2',
    '--duration',
    '1',
    '--warmup',
    '0',
    '--param',
    'int:1..100',
    'SELECT * FROM accounts WHERE id = ?',
  ]);
  assert.equal(ok.code, 0, ok.err);
  assert.match(ok.out, /2 clients, 1\.0 s: \d+ transactions/);
  assert.match(ok.out, /latency: p50 [\d.]+ ms/);
  assert.match(ok.out, /rolled back/);
  const prepared = await run([
    'probe',
    '--db',
    cluster.url,
    '--clients',
    '2',
    '--duration',
    '1',
    '--warmup',
    '0',
    '--protocol',
    'prepared',
    '--param',
    'int:1..100',
    'SELECT * FROM accounts WHERE id = ?',
  ]);
  assert.equal(prepared.code, 0, prepared.err);
  assert.match(prepared.out, /2 clients, 1\.0 s: [1-9]\d* transactions/);
  const bogus = await run(['probe', '--db', cluster.url, '--protocol', 'extended', 'SELECT 1']);
  assert.equal(bogus.code, 2);
  assert.match(bogus.err, /--protocol wants simple or prepared/);
  assert.equal(leftovers(), 0);
});

test('prepared protocol: a primary-key read binds its values, and prepared UPDATEs are rolled back', async () => {
  const read = await runProbe(
    target,
    base(['SELECT balance FROM accounts WHERE id = $1'], {
      params: [parseParamSpec('int:1..10000')],
      readOnly: true,
      protocol: 'prepared',
    }),
  );
  assert.ok(read.transactions > 100, `${read.transactions} transactions`);
  assert.deepEqual(read.errors, {});
  assert.ok(read.latencyMs.p50 > 0 && read.latencyMs.p50 <= read.latencyMs.p99 && read.latencyMs.p99 <= read.latencyMs.max);
  const write = await runProbe(
    target,
    base(['UPDATE accounts SET balance = balance - 1 WHERE id = $1', 'SELECT balance FROM accounts WHERE id = $1'], {
      params: [parseParamSpec('int:1..50')],
      protocol: 'prepared',
    }),
  );
  assert.ok(write.transactions > 10, `${write.transactions} transactions`);
  assert.deepEqual(write.errors, {});
  assert.equal(cluster.psql('SELECT sum(balance) FROM accounts').trim(), '1000000');
  assert.equal(leftovers(), 0);
});

test('both protocols: quoted pick values mean the same, failures count by SQLSTATE and are rolled back', async () => {
  for (const protocol of ['simple', 'prepared'] as const) {
    // A value that is not in the list would be an error: the division by zero fires when the IN is false.
    const picked = await runProbe(
      target,
      base(["SELECT 1 / ($2 IN ('it''s', 'x', 'ü')::int) FROM accounts WHERE id = $1"], {
        clients: 2,
        durationSeconds: 1,
        params: [parseParamSpec('int:1..100'), parseParamSpec("pick:it's,x,ü")],
        readOnly: true,
        protocol,
      }),
    );
    assert.deepEqual(picked.errors, {}, protocol);
    assert.ok(picked.transactions > 10, `${protocol}: ${picked.transactions}`);
    const sometimes = await runProbe(
      target,
      base(['UPDATE accounts SET balance = balance - 1 WHERE id = $1', 'SELECT 1 / (id % 2) FROM accounts WHERE id = $1'], {
        clients: 2,
        durationSeconds: 1,
        params: [parseParamSpec('int:1..50')],
        protocol,
      }),
    );
    assert.ok(
      sometimes.transactions > 10 && (sometimes.errors['22012'] ?? 0) > 10,
      `${protocol}: ${sometimes.transactions} ok, ${JSON.stringify(sometimes.errors)}`,
    );
    const failing = await runProbe(
      target,
      base(['UPDATE accounts SET balance = balance - 1 WHERE id = $1', 'SELECT 1 / (balance - balance) FROM accounts WHERE id = $1'], {
        clients: 2,
        durationSeconds: 1,
        params: [parseParamSpec('int:1..50')],
        protocol,
      }),
    );
    assert.equal(failing.transactions, 0, protocol);
    assert.ok((failing.errors['22012'] ?? 0) > 10, `${protocol}: ${JSON.stringify(failing.errors)}`);
    assert.equal(cluster.psql('SELECT sum(balance) FROM accounts').trim(), '1000000', protocol);
  }
  assert.equal(leftovers(), 0);
});

test('cancel interrupts a long statement within a second; the deadline does too', async () => {
  for (const protocol of ['simple', 'prepared'] as const) {
    const abort = new AbortController();
    let abortedAt = Infinity;
    setTimeout(() => {
      abortedAt = Date.now();
      abort.abort();
    }, 500);
    const cancelled = await runProbe(
      target,
      base(['SELECT pg_sleep(30)'], { clients: 4, durationSeconds: 60, warmupSeconds: 0, protocol }),
      abort.signal,
    );
    assert.equal(cancelled.cancelled, true);
    assert.ok(Date.now() - abortedAt < 1000, `${protocol}: the probe returned ${Date.now() - abortedAt} ms after cancel`);
    assert.deepEqual(cancelled.errors, {}, 'our own cancel is not counted as an error');
    assert.equal(leftovers(), 0);
  }
  const started = Date.now();
  const overrun = await runProbe(
    target,
    base(['SELECT pg_sleep(30)'], { clients: 2, durationSeconds: 1, warmupSeconds: 0, readOnly: true }),
  );
  assert.equal(overrun.cancelled, false);
  assert.ok(Date.now() - started < 3000, `a statement past the deadline is cut after ~1 s grace (took ${Date.now() - started} ms)`);
  assert.equal(overrun.transactions, 0);
  assert.equal(leftovers(), 0);
});

test('the latency histogram: nearest-rank percentiles within 1 %, exact max and mean, fixed memory', () => {
  const h = new LatencyHistogram();
  const exact: number[] = [];
  for (let i = 1; i <= 10_000; i++) {
    const ms = 0.05 + ((i * 7919) % 10_000) / 1000; // 0.05 … 10.05 ms, shuffled
    h.record(ms);
    exact.push(ms);
  }
  exact.sort((a, b) => a - b);
  for (const p of [0.5, 0.95, 0.99]) {
    const want = percentile(exact, p);
    assert.ok(Math.abs(h.percentileMs(p) - want) <= want * 0.011, `p${p * 100}: ${h.percentileMs(p)} vs ${want}`);
  }
  assert.equal(h.maxMs, exact[exact.length - 1]);
  assert.ok(Math.abs(h.meanMs - exact.reduce((a, b) => a + b, 0) / exact.length) < 1e-9);
  assert.equal(new LatencyHistogram().percentileMs(0.5), 0);
});

test('a session killed mid-probe ends its loop with the SQLSTATE; COPY FROM STDIN is refused instead of hanging', async () => {
  setTimeout(() => cluster.psql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'lockscope-probe'"), 700);
  const killed = await runProbe(
    target,
    base(['SELECT pg_sleep(0.01)'], { clients: 3, durationSeconds: 2, warmupSeconds: 0, readOnly: true, protocol: 'prepared' }),
  );
  assert.ok((killed.errors['57P01'] ?? 0) + (killed.errors['client'] ?? 0) >= 1, JSON.stringify(killed.errors));
  assert.ok(killed.transactions > 0);
  await assert.rejects(
    runProbe(target, base(['COPY accounts FROM STDIN'], { clients: 2, durationSeconds: 1, warmupSeconds: 0 })),
    (error: unknown) => error instanceof GuardRefusedError && error.rule === 'outside-io',
  );
  assert.equal(cluster.psql('SELECT sum(balance) FROM accounts').trim(), '1000000');
  assert.equal(leftovers(), 0);
});

test('the client loop hands the session back to pg idle and usable', async () => {
  const client = new pg.Client({ connectionString: cluster.url, application_name: 'lockscope-probe-handback' });
  await client.connect();
  try {
    const end = performance.now() + 300;
    const stats = new ProbeStats(performance.now(), end);
    const source = new IterationSource(['SELECT balance FROM accounts WHERE id = $1'], [parseParamSpec('int:1..10000')], 'prepared', true);
    await startClientLoop(client, source, { stopped: (now) => now >= end, thinkTimeMs: 0 }, stats).done;
    assert.ok(stats.transactions > 10);
    const after = await client.query<{ one: number }>('SELECT 1 AS one');
    assert.equal(after.rows[0]?.one, 1);
  } finally {
    await client.end();
  }
});

test('the backend reader finds ReadyForQuery and the SQLSTATE across arbitrary read boundaries', () => {
  const msg = (type: string, body: Buffer): Buffer => {
    const head = Buffer.alloc(5);
    head.write(type, 0, 'latin1');
    head.writeInt32BE(4 + body.length, 1);
    return Buffer.concat([head, body]);
  };
  const error = msg('E', Buffer.from('SERROR\0C22012\0Mdivision by zero\0\0', 'latin1'));
  const bytes = Buffer.concat([
    msg('T', Buffer.alloc(7)),
    msg('D', Buffer.alloc(9)),
    msg('Z', Buffer.from('I')),
    error,
    msg('Z', Buffer.from('E')),
    msg('G', Buffer.alloc(3)),
  ]);
  const seen: string[] = [];
  const reader = new BackendReader({ ready: (code, status) => seen.push(`${code ?? 'ok'}:${status}`), copyIn: () => seen.push('copy') });
  for (let i = 0; i < bytes.length; i++) reader.feed(bytes.subarray(i, i + 1));
  assert.deepEqual(seen, ['ok:I', '22012:E', 'copy']);
});

test('simple protocol: each statement is rendered at the lexer parameter tokens; prepared binds the raw values', () => {
  const statements = ["UPDATE t SET a = $2, b = $1, note = 'a$1' WHERE c = $1 AND d = $3 -- $2", 'SELECT $1::int + $9'];
  const specs = [parseParamSpec('42'), parseParamSpec("pick:it's"), parseParamSpec('int:7..7')];
  const simple = new IterationSource(statements, specs, 'simple', false);
  assert.equal(simple.text(0), "UPDATE t SET a = 'it''s', b = 42, note = 'a$1' WHERE c = 42 AND d = 7 -- $2");
  assert.equal(simple.text(1), renderStatement(statements[1] ?? '', specs, Math.random));
  assert.equal(simple.begin, 'BEGIN READ WRITE');
  assert.equal(new IterationSource(statements, specs, 'simple', true).begin, 'BEGIN READ ONLY');
  const prepared = new IterationSource(statements, specs, 'prepared', false);
  assert.deepEqual(
    statements.map((_, i) => prepared.values(i)),
    [
      ['42', "it's", '7'],
      ['42', "it's", '7'],
    ],
  );
});
