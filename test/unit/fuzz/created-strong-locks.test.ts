/** The fuzzer's exact test of a collision with a created relation's strong lock: replayed with measured OIDs (table-driven). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog } from '../../../src/core/catalog.js';
import type { LockMode } from '../../../src/core/lock-modes.js';
import type { PlannedLock } from '../../../src/core/lock-plan.js';
import { strongLockPartition } from '../../../src/core/predict/strong-lock-partition.js';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { explainedByCreatedStrongLocks } from '../../fuzz/created-strong-locks.js';
import { relation } from '../../support/catalog-fixtures.js';

const DB = 5;
const mv = relation(16000, 'mv', 'materialized-view');
const tables = Array.from({ length: 17 }, (_, i) => relation(16001 + i, `t${i}`));
const catalog: Catalog = {
  profile: buildServerProfile('15.18', 150018, 64, 'server'),
  database: 'postgres',
  databaseOid: DB,
  searchPath: ['public'],
  relations: new Map([mv, ...tables].map((r) => [r.oid, r])),
  byName: new Map([mv, ...tables].map((r) => [r.qualifiedName, r.oid])),
  loadedAt: 0,
};

const partitions = new Set([mv, ...tables].map((r) => strongLockPartition(DB, r.oid)));
/** A transient heap OID whose tag shares t2's partition, and one that shares no table's. */
const heapAt = (hit: boolean): number => {
  for (let oid = 20000; ; oid++) {
    const p = strongLockPartition(DB, oid);
    if (hit ? p === strongLockPartition(DB, 16003) : !partitions.has(p)) return oid;
  }
};

const lock = (oid: number, name: string, mode: LockMode, fastpath: boolean): PlannedLock => ({
  relation: name,
  relationOid: oid,
  relkind: 'table',
  mode,
  fastpath,
  phase: 'plan',
  cause: 'measured',
  owner: undefined,
  reason: '',
});

const predicted: PlannedLock[] = [
  lock(mv.oid, mv.qualifiedName, 'AccessExclusiveLock', false),
  ...tables.map((t, i) => lock(t.oid, t.qualifiedName, 'AccessShareLock', i < 16)),
];
/** pg_locks when t2 went to the main table and t16 got the slot it left (PostgreSQL 15's swap past the 16th slot). */
const swapped = (heap: number): PlannedLock[] => [
  lock(heap, String(heap), 'ExclusiveLock', false),
  lock(heap, String(heap), 'AccessExclusiveLock', false),
  lock(mv.oid, mv.qualifiedName, 'AccessExclusiveLock', false),
  ...tables.map((t, i) => lock(t.oid, t.qualifiedName, 'AccessShareLock', i !== 2)),
];
const compared = (l: PlannedLock): boolean => l.relation.includes('.');

const cases: Array<{ name: string; measured: PlannedLock[]; explained: boolean }> = [
  { name: "the transient heap shares t2's partition: the swap is explained", measured: swapped(heapAt(true)), explained: true },
  { name: 'the same swap with a heap in no table’s partition is a mismatch', measured: swapped(heapAt(false)), explained: false },
  {
    name: 'a colliding heap does not explain a lock the prediction lacks',
    measured: [...swapped(heapAt(true)), lock(16001, 'public.t0', 'RowShareLock', false)],
    explained: false,
  },
  {
    name: 'an exact prediction needs no explanation',
    measured: [lock(heapAt(false), String(heapAt(false)), 'ExclusiveLock', false), ...predicted],
    explained: false,
  },
];

for (const c of cases)
  test(c.name, () => {
    assert.equal(explainedByCreatedStrongLocks(predicted, c.measured, catalog, compared), c.explained);
  });

test('a predicted lock on a created relation takes the measured OID of its name', () => {
  // A new index (no OID before the statement) locked AccessExclusive, then t2 weak: the index's real OID decides.
  const created = lock(-1, 'public.new_idx', 'AccessExclusiveLock', false);
  const heap = heapAt(true);
  const before = [created, lock(16003, 'public.t2', 'AccessShareLock', true)];
  const measured = [lock(heap, 'public.new_idx', 'AccessExclusiveLock', false), lock(16003, 'public.t2', 'AccessShareLock', false)];
  assert.equal(explainedByCreatedStrongLocks(before, measured, catalog, compared), true);
  const reversed = [lock(16003, 'public.t2', 'AccessShareLock', true), created];
  assert.equal(explainedByCreatedStrongLocks(reversed, measured, catalog, compared), false);
});
