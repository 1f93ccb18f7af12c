/**
 * SIGINT and SIGTERM during probe, activity, measure and estimate (all four at once): each cancels its statements on
 * the server, closes its sessions and exits 130 or 143; within 1 s of its exit none of its sessions is left, and none
 * is running a statement. The second-signal path (exit at once) is in test/unit/interrupts.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { COMMANDS, leftovers, monitor, startAll } from './faults-harness.js';

let cluster: PgCluster;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, 0 FROM generate_series(1, 100) g;`);
});
after(() => cluster?.stop());

for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  test(`${signal} mid-run: exit ${code}, 0 sessions and 0 running statements within 1 s of exit`, async () => {
    const mon = await monitor(cluster.url);
    const { runs, pids, holder } = await startAll(cluster.url, mon, 30);
    for (const command of COMMANDS) runs[command].kill(signal);
    // Each command's sessions are polled from the moment it exits, for at most 1 s.
    const checks = COMMANDS.map(async (command) => {
      const r = await runs[command].exited;
      let left = await leftovers(mon, pids[command]);
      while (left.sessions > 0 && performance.now() - r.at < 1000) {
        await new Promise((resolve) => setTimeout(resolve, 25));
        left = await leftovers(mon, pids[command]);
      }
      return { command, r, left, afterMs: performance.now() - r.at };
    });
    const results = await Promise.all(checks);
    await holder.query('ROLLBACK');
    await holder.end();
    for (const { command, r, left, afterMs } of results) {
      assert.equal(r.code, code, `${command}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`interrupted by ${signal}`), command);
      assert.doesNotMatch(r.stderr, /internal error|\n\s+at .+:\d+:\d+/, command);
      assert.deepEqual(left, { sessions: 0, running: 0 }, `${command}: sessions left ${afterMs.toFixed(0)} ms after exit`);
    }
    assert.match(results[0]?.r.stdout ?? '', /\(cancelled\)/, 'the probe reports what it measured before the signal');
    await mon.end();
  });
}
