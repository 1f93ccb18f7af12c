/** Replaying a plan's locks on another fast-path budget: the same order and modes, only the fast/slow split moves. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Catalog, CatalogRelation } from '../../../src/core/catalog.js';
import type { LockMode } from '../../../src/core/lock-modes.js';
import { FastPathState } from '../../../src/core/predict/fast-path.js';
import { compareWithPg18, replayOnProfile, upgradeSentence } from '../../../src/core/predict/retarget.js';
import { totalsOf, type LockPlan } from '../../../src/core/lock-plan.js';
import { buildServerProfile, type ServerProfile } from '../../../src/core/server-profile.js';
import { relation } from '../../support/catalog-fixtures.js';

const pg15 = buildServerProfile('15', 150000, 64, 'target');
const pg18 = buildServerProfile('18', 180000, 64, 'target');

function catalogOf(relations: CatalogRelation[], profile: ServerProfile): Catalog {
  return {
    profile,
    database: 'test',
    searchPath: ['public'],
    relations: new Map(relations.map((r) => [r.oid, r])),
    byName: new Map(relations.map((r) => [`public.${r.name}`, r.oid])),
    loadedAt: 0,
  };
}

/** A plan as the predictor builds one: requests acquired in order on `profile`. */
function planOf(requests: Array<[CatalogRelation, LockMode]>, profile: ServerProfile): LockPlan {
  const state = new FastPathState(profile);
  const locks = requests.map(([r, mode]) =>
    state.acquire({ relation: r, mode, phase: 'plan', cause: 'from-item', owner: undefined, reason: 'test' }),
  );
  return { locks: [...new Set(locks)], totals: totalsOf([...new Set(locks)]), profile };
}

// A hot table with 30 indexes (OIDs spread so PostgreSQL 18's groups fill unevenly), a shared catalog, a strong lock.
const hot = relation(16384, 'orders');
const indexes = Array.from({ length: 30 }, (_, i) => relation(16385 + i * 7, `orders_i${i}`, 'index'));
const sharedCatalog = relation(1262, 'pg_database', 'table', { shared: true });
const other = relation(20000, 'audit');

const cases: Array<{ name: string; requests: Array<[CatalogRelation, LockMode]> }> = [
  {
    name: 'read of a 30-index table',
    requests: [[hot, 'AccessShareLock'], ...indexes.map((i): [CatalogRelation, LockMode] => [i, 'AccessShareLock'])],
  },
  {
    name: 'shared catalog never fast',
    requests: [
      [sharedCatalog, 'AccessShareLock'],
      [hot, 'AccessShareLock'],
    ],
  },
  {
    name: 'strong lock moves earlier weak ones',
    requests: [
      [hot, 'AccessShareLock'],
      [other, 'RowExclusiveLock'],
      [hot, 'AccessExclusiveLock'],
      [hot, 'RowShareLock'],
    ],
  },
  {
    name: 'write then 20 indexes',
    requests: [[hot, 'RowExclusiveLock'], ...indexes.slice(0, 20).map((i): [CatalogRelation, LockMode] => [i, 'RowExclusiveLock'])],
  },
];

test('replaying a plan on its own profile gives back every flag (the replay is the predictor’s own accounting)', () => {
  for (const profile of [pg15, pg18, buildServerProfile('18', 180000, 17, 'target')]) {
    for (const c of cases) {
      const catalog = catalogOf([hot, ...indexes, sharedCatalog, other], profile);
      const plan = planOf(c.requests, profile);
      const again = replayOnProfile(plan, profile, catalog);
      assert.deepEqual(
        again.locks.map((l) => [l.relation, l.mode, l.fastpath]),
        plan.locks.map((l) => [l.relation, l.mode, l.fastpath]),
        `${c.name} on ${profile.versionNum}/${profile.maxLocksPerTransaction}`,
      );
    }
  }
});

test('a PostgreSQL 15 plan replayed on 18 equals the plan predicted on 18', () => {
  for (const c of cases) {
    const catalog = catalogOf([hot, ...indexes, sharedCatalog, other], pg15);
    const replayed = replayOnProfile(planOf(c.requests, pg15), pg18, catalog);
    const direct = planOf(c.requests, pg18);
    assert.deepEqual(
      replayed.locks.map((l) => l.fastpath),
      direct.locks.map((l) => l.fastpath),
      c.name,
    );
    assert.deepEqual(replayed.totals, direct.totals, c.name);
  }
});

test('the upgrade comparison: 18 at the same setting, then the smallest max_locks that clears the slow path', () => {
  const catalog = catalogOf([hot, ...indexes, sharedCatalog, other], pg15);
  const read = planOf(cases[0]?.requests ?? [], pg15);
  assert.equal(read.totals.slowpath, 15, '31 relations on 16 slots');
  // 31 relations spread 9/8/7/7 over PostgreSQL 18's four groups: all fast at the default setting, no advice needed.
  const cmp = compareWithPg18(read, pg15, catalog);
  assert.equal(cmp.onPg18.totals.slowpath, 0);
  assert.equal(cmp.raiseMaxLocksTo, undefined);
  assert.equal(upgradeSentence(read, pg15, catalog), 'on PostgreSQL 18 (max_locks_per_transaction 64: 64 slots in 4 groups): 0 slow-path');

  // 121 relations overflow 64 slots: the advice is the smallest power of two that clears the slow path.
  const many = Array.from({ length: 120 }, (_, i) => relation(30000 + i * 3, `wide_i${i}`, 'index'));
  const wideCatalog = catalogOf([hot, ...many], pg15);
  const wide = planOf([[hot, 'AccessShareLock'], ...many.map((i): [CatalogRelation, LockMode] => [i, 'AccessShareLock'])], pg15);
  const wideCmp = compareWithPg18(wide, pg15, wideCatalog);
  assert.ok(wideCmp.onPg18.totals.slowpath > 0, 'over 64 relations cannot all be fast with 4 groups');
  const advice = wideCmp.raiseMaxLocksTo;
  assert.ok(advice !== undefined, 'a setting exists that clears it');
  assert.equal(advice.plan.totals.slowpath, 0);
  const half = replayOnProfile(wide, buildServerProfile('18', 180000, advice.maxLocksPerTransaction / 2, 'target'), wideCatalog);
  assert.ok(half.totals.slowpath > 0, `half of ${advice.maxLocksPerTransaction} does not clear it`);
  assert.match(
    upgradeSentence(wide, pg15, wideCatalog) ?? '',
    new RegExp(`with max_locks_per_transaction ${advice.maxLocksPerTransaction}: 0 slow-path$`),
  );

  // A strong lock is slow on any budget: no advice to raise max_locks for it.
  const strong = planOf([[hot, 'AccessExclusiveLock']], pg15);
  assert.equal(compareWithPg18(strong, pg15, catalog).raiseMaxLocksTo, undefined);
  // A target of 18 with nothing slow: nothing to say.
  assert.equal(upgradeSentence(planOf([[hot, 'AccessShareLock']], pg18), pg18, catalog), undefined);
});
