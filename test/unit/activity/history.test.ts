/** Activity history: points from snapshots, the rolling window, and the CSV export. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ActivityHistory, historyCsv, pointOf, type ActivityPoint } from '../../../src/core/activity/history.js';
import type { ActivitySession, ActivitySnapshot } from '../../../src/core/activity/model.js';

const session = (
  pid: number,
  state: string | undefined,
  wait: [string, string] | undefined,
  locks: number,
  slow: number,
): ActivitySession => ({
  pid,
  user: 'app',
  applicationName: 'web',
  state,
  waitEventType: wait?.[0],
  waitEvent: wait?.[1],
  transactionAgeSeconds: undefined,
  queryAgeSeconds: undefined,
  stateAgeSeconds: undefined,
  query: 'SELECT 1',
  blockedBy: [],
  relationLocks: locks,
  slowPathRelationLocks: slow,
  subxactCount: undefined,
  subxactOverflowed: undefined,
});

const snapshot = (takenAt: string, sessions: ActivitySession[]): ActivitySnapshot => ({
  takenAt,
  serverVersionNum: 150000,
  database: 'app',
  sessions,
  slowPathByRelation: [],
  subtransSlru: undefined,
  subxactSupported: false,
});

test('a point counts active sessions by wait, sessions by state, and the locks held', () => {
  const point = pointOf(
    snapshot('2026-01-01T00:00:00.000Z', [
      session(1, 'active', ['LWLock', 'LockManager'], 30, 14),
      session(2, 'active', ['Lock', 'transactionid'], 2, 0),
      session(3, 'active', undefined, 25, 9),
      session(4, 'idle in transaction', ['Client', 'ClientRead'], 5, 0),
      session(5, 'idle', ['Client', 'ClientRead'], 0, 0),
      session(6, undefined, undefined, 0, 0),
    ]),
  );
  assert.deepEqual(point.waits, { LockManager: 1, Lock: 1, SubtransSLRU: 0, IO: 0, CPU: 1, Client: 0, Other: 0 });
  assert.deepEqual(point.states, { active: 3, 'idle in transaction': 1, 'idle in transaction (aborted)': 0, idle: 1, other: 1 });
  assert.deepEqual([point.relationLocks, point.slowPathLocks], [62, 23]);
});

test('the history keeps the window by the samples clock, oldest first', () => {
  const history = new ActivityHistory(60);
  const at = (s: number): ActivityPoint => pointOf(snapshot(new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString(), []));
  for (const s of [0, 20, 40, 59]) history.add(at(s));
  assert.equal(history.all.length, 4);
  history.add(at(61)); // 0 is now 61 s old
  assert.deepEqual(
    history.all.map((p) => p.takenAt.slice(17, 19)),
    ['20', '40', '59', '01'],
  );
});

test('CSV export: a header and one row per point', () => {
  const csv = historyCsv([pointOf(snapshot('2026-01-01T00:00:00.000Z', [session(1, 'active', ['LWLock', 'LockManager'], 30, 14)]))]);
  const [header, row, end] = csv.split('\n');
  assert.equal(
    header,
    'taken_at,wait_LockManager,wait_Lock,wait_SubtransSLRU,wait_IO,wait_CPU,wait_Client,wait_Other,state_active,state_idle_in_transaction,state_idle_in_transaction_aborted,state_idle,state_other,relation_locks,slow_path_locks',
  );
  assert.equal(row, '2026-01-01T00:00:00.000Z,1,0,0,0,0,0,0,1,0,0,0,0,30,14');
  assert.equal(end, '');
});
