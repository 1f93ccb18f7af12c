/** Fast-path slot accounting in acquisition order, against the measured rules (Q01, Q28, Q29, Q26, J1, J2). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LockMode } from '../../../src/core/lock-modes.js';
import { FastPathState } from '../../../src/core/predict/fast-path.js';
import { buildServerProfile, fastPathGroupOf } from '../../../src/core/server-profile.js';
import { relation } from '../../support/catalog-fixtures.js';

const pg15 = buildServerProfile('15.18', 150018, 64, 'server');
const pg18 = buildServerProfile('18.6', 180006, 64, 'embedded');

function run(profile = pg15, requests: Array<[oid: number, mode: LockMode, shared?: boolean]>): boolean[] {
  const state = new FastPathState(profile);
  return requests.map(
    ([oid, mode, shared]) =>
      state.acquire({
        relation: relation(oid, `r${oid}`, 'table', { shared: shared === true }),
        mode,
        phase: 'plan',
        cause: 'from-item',
        owner: undefined,
        reason: '',
      }).fastpath,
  );
}

const range = (from: number, count: number): number[] => Array.from({ length: count }, (_, i) => from + i);

test('PG 15: the first 16 distinct relations in weak modes go fast, the rest to the main table (Q01: 16/5)', () => {
  const flags = run(
    pg15,
    range(20000, 21).map((oid) => [oid, 'AccessShareLock']),
  );
  assert.deepEqual(flags, [...Array(16).fill(true), ...Array(5).fill(false)]);
});

test('a second weak mode shares its relation’s slot while the counter has room (Q29)', () => {
  const flags = run(pg15, [
    [1, 'AccessShareLock'],
    [1, 'RowShareLock'],
    ...range(2, 15).map((oid): [number, LockMode] => [oid, 'AccessShareLock']),
  ]);
  assert.deepEqual(flags, Array(17).fill(true));
});

test('once 16 slots are used, a second weak mode on a slot owner goes to the main table (Q28)', () => {
  const flags = run(pg15, [...range(1, 16).map((oid): [number, LockMode] => [oid, 'AccessShareLock']), [1, 'RowShareLock']]);
  assert.equal(flags[16], false);
});

test('re-acquiring a held lock is free and keeps its flag', () => {
  const state = new FastPathState(pg15);
  const r = relation(7, 'r7');
  const first = state.acquire({ relation: r, mode: 'AccessShareLock', phase: 'plan', cause: 'from-item', owner: undefined, reason: '' });
  const again = state.acquire({ relation: r, mode: 'AccessShareLock', phase: 'plan', cause: 'from-item', owner: undefined, reason: '' });
  assert.equal(first, again);
  assert.equal(state.acquired.length, 1);
});

test('strong and ShareUpdateExclusive locks never go fast; shared catalogs never do', () => {
  assert.deepEqual(
    run(pg15, [
      [1, 'ShareUpdateExclusiveLock'],
      [2, 'ShareLock'],
      [3, 'AccessExclusiveLock'],
      [4, 'AccessShareLock', true],
      [5, 'RowExclusiveLock'],
    ]),
    [false, false, false, false, true],
  );
});

test('after our own strong lock, weak locks on that relation go to the main table, earlier ones move there (Q26)', () => {
  const state = new FastPathState(pg15);
  const a = relation(10, 'a');
  const earlier = state.acquire({ relation: a, mode: 'RowExclusiveLock', phase: 'plan', cause: 'from-item', owner: undefined, reason: '' });
  assert.equal(earlier.fastpath, true);
  state.acquire({ relation: a, mode: 'ShareLock', phase: 'plan', cause: 'from-item', owner: undefined, reason: '' });
  const later = state.acquire({ relation: a, mode: 'AccessShareLock', phase: 'plan', cause: 'from-item', owner: undefined, reason: '' });
  assert.equal(later.fastpath, false);
  assert.equal(earlier.fastpath, false);
});

test('PG 18: 100 relations spread evenly over 4 groups give 64 fast + 36 main (J1)', () => {
  const oids = range(16384, 100);
  const flags = run(
    pg18,
    oids.map((oid) => [oid, 'AccessShareLock']),
  );
  assert.equal(flags.filter(Boolean).length, 64);
});

test('PG 18: 20 relations hashing to one group give 16 fast + 4 main although 64 slots exist (J2)', () => {
  const sameGroup = range(16384, 400)
    .filter((oid) => fastPathGroupOf(oid, 4) === 0)
    .slice(0, 20);
  assert.equal(sameGroup.length, 20);
  const flags = run(
    pg18,
    sameGroup.map((oid) => [oid, 'AccessShareLock']),
  );
  assert.deepEqual([flags.filter(Boolean).length, flags.filter((f) => !f).length], [16, 4]);
});
