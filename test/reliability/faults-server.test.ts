/**
 * The server fails mid-run (frozen with SIGSTOP, killed with pg_ctl -m immediate) under probe, activity, measure and
 * estimate at once: each ends within its deadline + 5 s, exit 3, with a message saying what happened, and once the
 * server runs again none of their sessions is left.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { COMMANDS, leftovers, monitor, startAll, waitFor, type LongCommand } from './faults-harness.js';

let cluster: PgCluster;
const PROBE_SECONDS = 15;
/** Each command's own deadline once the server stops answering (docs/cli.md, "Deadlines"). */
const DEADLINE_MS: Record<LongCommand, number> = {
  probe: PROBE_SECONDS * 1000 + 3000, // from the probe's start: duration + 3 s
  activity: 7000, // from the fault: statement_timeout 5 s + 2 s
  measure: 7000,
  estimate: 7000,
};

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, 0 FROM generate_series(1, 100) g;`);
});
after(() => cluster?.stop());

async function runInProcess(args: string[]): Promise<{ code: number; err: string; ms: number }> {
  let err = '';
  const started = performance.now();
  const code = await runCli(args, { stdout: () => undefined, stderr: (t) => (err += `${t}\n`), env: {} });
  return { code, err, ms: performance.now() - started };
}

test('too many connections: exit 3 with the reason, for a command and for the probe', async () => {
  cluster.psql(`CREATE ROLE limited LOGIN PASSWORD 'limited' CONNECTION LIMIT 0; GRANT SELECT ON t TO limited;`);
  const url = cluster.url.replace('postgres:lockscope-test@', 'limited:limited@');
  for (const args of [
    ['estimate', '--db', url, 'SELECT v FROM t'],
    ['probe', '--db', url, '--clients', '1', '--duration', '1', 'SELECT v FROM t'],
  ]) {
    const { code, err } = await runInProcess(args);
    assert.equal(code, 3, err);
    assert.match(err, /no free connection slot: too many connections/);
  }
});

test('probe honours --connect-timeout (a frozen server: given up after 1 s, not the default 5 s)', async () => {
  await loadSqlParser(); // outside the measured time
  cluster.freeze();
  let result;
  try {
    result = await runInProcess(['probe', '--db', cluster.url, '--connect-timeout', '1', '--duration', '1', 'SELECT 1']);
  } finally {
    cluster.thaw();
  }
  assert.equal(result.code, 3, result.err);
  assert.match(result.err, /no answer before the connect timeout/);
  assert.ok(result.ms < 3500, `gave up after ${result.ms.toFixed(0)} ms`);
});

test('server frozen mid-run: every command exits 3 within its deadline + 5 s saying the server stopped answering', async () => {
  const mon = await monitor(cluster.url);
  const { runs, pids, probeStartedAt, holder } = await startAll(cluster.url, mon, PROBE_SECONDS);
  const frozenAt = performance.now();
  assert.ok(frozenAt - probeStartedAt < PROBE_SECONDS * 1000, 'the machine is too slow: the probe ended before the freeze');
  cluster.freeze();
  const results = await Promise.all(COMMANDS.map((c) => runs[c].exited)).finally(() => cluster.thaw());
  await holder.query('ROLLBACK');
  await holder.end();
  for (const [i, command] of COMMANDS.entries()) {
    const r = results[i];
    assert.ok(r);
    assert.equal(r.code, 3, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /stopped answering/, command);
    const from = command === 'probe' ? probeStartedAt : frozenAt;
    assert.ok(r.at - from <= DEADLINE_MS[command] + 5000, `${command} took ${((r.at - from) / 1000).toFixed(1)} s`);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/, command);
  }
  assert.match(results[0]?.stdout ?? '', /CUT SHORT/, 'the probe marks its partial result');
  // Once the server runs again, the cancels queued while it was frozen and the closed sockets end every session.
  const all = COMMANDS.flatMap((c) => pids[c]);
  const left = await waitFor(
    'sessions gone after thaw',
    async () => {
      const l = await leftovers(mon, all);
      return l.sessions === 0 ? l : undefined;
    },
    3000,
  );
  assert.deepEqual(left, { sessions: 0, running: 0 });
  await mon.end();
});

test('server killed mid-run: every command exits 3 within 5 s saying the connection was lost', async () => {
  const mon = await monitor(cluster.url);
  const { runs } = await startAll(cluster.url, mon, PROBE_SECONDS);
  const killedAt = performance.now();
  cluster.kill();
  const results = await Promise.all(COMMANDS.map((c) => runs[c].exited));
  for (const [i, command] of COMMANDS.entries()) {
    const r = results[i];
    assert.ok(r);
    assert.equal(r.code, 3, `${command}: ${r.stderr}`);
    assert.match(r.stderr, /lost/, command);
    assert.ok(r.at - killedAt <= 5000, `${command} took ${((r.at - killedAt) / 1000).toFixed(1)} s`);
    assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/, command);
  }
  assert.match(results[0]?.stdout ?? '', /CUT SHORT — connection lost mid-run/, 'the probe marks its partial result');
  await mon.end().catch(() => undefined);
  cluster.start();
});
