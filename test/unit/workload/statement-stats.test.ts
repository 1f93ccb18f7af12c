/** Rates between two pg_stat_statements samples: deltas, statements that appear or are evicted, plan shares. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ratesBetween, type StatementCounters, type StatementSample } from '../../../src/core/workload/statement-stats.js';

const counters = (queryId: string, calls: number, totalExecMs: number, plans?: [number, number]): StatementCounters => ({
  queryId,
  calls,
  totalExecMs,
  rows: calls,
  genericPlanCalls: plans?.[0],
  customPlanCalls: plans?.[1],
});
const sample = (takenAt: string, rows: StatementCounters[]): StatementSample => ({
  takenAt,
  counters: new Map(rows.map((r) => [r.queryId, r])),
});

const FIRST = sample('2026-01-01T00:00:00.000Z', [
  counters('a', 100, 50),
  counters('b', 7, 7),
  counters('c', 500, 10),
  counters('d', 10, 1, [0, 10]),
]);
const SECOND = sample('2026-01-01T00:00:10.000Z', [
  counters('a', 300, 150), // 200 calls in 10 s, 100 ms over them
  counters('b', 7, 7), // not called: left out
  counters('c', 40, 4), // counters went down: evicted and re-entered, counted from zero
  counters('d', 30, 3, [15, 15]), // PG 18 plan counts: 15 of the 20 new calls were generic
  counters('e', 5, 10), // new since the first sample
]);

const CASES: Array<{ id: string; calls: number; perSecond: number; meanMs: number; entered: boolean; generic: number | undefined }> = [
  { id: 'a', calls: 200, perSecond: 20, meanMs: 0.5, entered: false, generic: undefined },
  { id: 'c', calls: 40, perSecond: 4, meanMs: 0.1, entered: true, generic: undefined },
  { id: 'd', calls: 20, perSecond: 2, meanMs: 0.1, entered: false, generic: 0.75 },
  { id: 'e', calls: 5, perSecond: 0.5, meanMs: 2, entered: true, generic: undefined },
];

test('rates between two samples, one row per statement called', () => {
  const rates = ratesBetween(FIRST, SECOND, new Map([['a', 'SELECT 1']]));
  assert.deepEqual(
    rates.map((r) => r.queryId),
    CASES.map((c) => c.id),
  );
  for (const expected of CASES) {
    const rate = rates.find((r) => r.queryId === expected.id);
    assert.ok(rate, expected.id);
    assert.equal(rate.calls, expected.calls, expected.id);
    assert.ok(Math.abs(rate.callsPerSecond - expected.perSecond) < 1e-9, expected.id);
    assert.ok(Math.abs(rate.meanExecMs - expected.meanMs) < 1e-9, expected.id);
    assert.equal(rate.enteredDuringInterval, expected.entered, expected.id);
    assert.equal(rate.genericPlanShare, expected.generic, expected.id);
  }
  assert.equal(rates[0]?.query, 'SELECT 1');
  assert.equal(rates[1]?.query, undefined);
});

test('samples with no time between them give no rates', () => {
  assert.deepEqual(ratesBetween(FIRST, { ...SECOND, takenAt: FIRST.takenAt }, new Map()), []);
});
