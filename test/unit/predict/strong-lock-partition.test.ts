/** FastPathStrongRelationLocks partitions (lock.c): the tag hash measured on PostgreSQL 15, and the slow path it causes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LockMode } from '../../../src/core/lock-modes.js';
import { FastPathState } from '../../../src/core/predict/fast-path.js';
import { hashBytesExtended } from '../../../src/core/predict/hash-bytes.js';
import { relationLockTagHash, strongLockPartition } from '../../../src/core/predict/strong-lock-partition.js';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { relation } from '../../support/catalog-fixtures.js';

const pg15 = buildServerProfile('15.18', 150018, 64, 'server');
const pg18 = buildServerProfile('18.6', 180006, 64, 'embedded');

// Tables created in a fresh PostgreSQL 15.18 cluster (database postgres, OID 5) whose tags share a partition: after
// `LOCK TABLE first IN SHARE MODE`, `SELECT * FROM second` took AccessShareLock in the main lock table while a table of
// another partition took it fast (pg_locks.fastpath), 2026-12-03.
const MEASURED_COLLISIONS: Array<{ oids: number[]; partition: number }> = [
  { oids: [16399, 16975], partition: 151 },
  { oids: [16417, 16822], partition: 9 },
  { oids: [16423, 16558, 17113], partition: 967 },
];

test('the partition of a relation lock tag is hash_bytes of the 16-byte LOCKTAG modulo 1,024', () => {
  for (const { oids, partition } of MEASURED_COLLISIONS)
    for (const oid of oids) assert.equal(strongLockPartition(5, oid), partition, `OID ${oid}`);
});

test('the written-out tag hash equals hash_bytes over the tag bytes', () => {
  for (const [db, oid] of [
    [5, 16384],
    [16388, 4294967295],
    [0, 1262],
    [1, 2],
  ] as const) {
    const tag = new Uint8Array(16);
    const view = new DataView(tag.buffer);
    view.setUint32(0, db, true);
    view.setUint32(4, oid, true);
    tag[15] = 1; // locktag_lockmethodid = DEFAULT_LOCKMETHOD
    assert.equal(relationLockTagHash(db, oid), Number(hashBytesExtended(tag, 0n) & 0xffffffffn));
  }
});

const other = 16400; // partition 151 holds 16399 and 16975, not 16400
assert.notEqual(strongLockPartition(5, other), 151);

type Step = [oid: number, mode: LockMode];
const CASES: Array<{ name: string; database: number | undefined; steps: Step[]; fast: boolean[] }> = [
  {
    name: 'a weak lock after a strong one in its partition is slow path; another partition is not affected',
    database: 5,
    steps: [
      [16399, 'ShareLock'],
      [16975, 'AccessShareLock'],
      [other, 'AccessShareLock'],
    ],
    fast: [false, false, true],
  },
  {
    name: 'a weak lock taken before the strong one keeps its slot (only the strong relation is transferred)',
    database: 5,
    steps: [
      [16975, 'AccessShareLock'],
      [16399, 'AccessExclusiveLock'],
      [16975, 'RowExclusiveLock'],
    ],
    fast: [true, false, false],
  },
  {
    name: 'ShareUpdateExclusiveLock is not strong: the partition stays open',
    database: 5,
    steps: [
      [16399, 'ShareUpdateExclusiveLock'],
      [16975, 'AccessShareLock'],
    ],
    fast: [false, true],
  },
  {
    name: 'in another database the same OIDs fall elsewhere',
    database: 16384,
    steps: [
      [16399, 'ShareLock'],
      [16975, 'AccessShareLock'],
    ],
    fast: [false, strongLockPartition(16384, 16399) !== strongLockPartition(16384, 16975)],
  },
  {
    name: 'without the database OID (an old snapshot) partitions are not modelled',
    database: undefined,
    steps: [
      [16399, 'ShareLock'],
      [16975, 'AccessShareLock'],
    ],
    fast: [false, true],
  },
];

for (const profile of [pg15, pg18])
  for (const c of CASES)
    test(`${profile.version}: ${c.name}`, () => {
      const state = new FastPathState(profile, c.database);
      const flags = c.steps.map(
        ([oid, mode]) =>
          state.acquire({ relation: relation(oid, `r${oid}`), mode, phase: 'plan', cause: 'from-item', owner: undefined, reason: '' })
            .fastpath,
      );
      assert.deepEqual(flags, c.fast);
    });

test('a strong lock the plan does not list (a measured transient heap) closes its partition too', () => {
  const state = new FastPathState(pg15, 5);
  state.assumeStrongLock(16558);
  const lock = state.acquire({
    relation: relation(17113, 'r'),
    mode: 'AccessShareLock',
    phase: 'plan',
    cause: 'from-item',
    owner: undefined,
    reason: '',
  });
  assert.equal(lock.fastpath, false);
});
