/** Fast-path capacity from server version and max_locks_per_transaction, per the lock-rules reference §2.3. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServerProfile, fastPathGroupOf, fastPathGroups, shortVersion } from '../../src/core/server-profile.js';

test('fast-path groups by version and max_locks_per_transaction (reference table §2.3)', () => {
  const rows: Array<{ versionNum: number; maxLocks: number; groups: number }> = [
    { versionNum: 150018, maxLocks: 64, groups: 1 },
    { versionNum: 170004, maxLocks: 1024, groups: 1 }, // 17 still has one flat array of 16
    { versionNum: 180006, maxLocks: 10, groups: 1 },
    { versionNum: 180006, maxLocks: 16, groups: 1 },
    { versionNum: 180006, maxLocks: 17, groups: 2 },
    { versionNum: 180006, maxLocks: 32, groups: 2 },
    { versionNum: 180006, maxLocks: 33, groups: 4 },
    { versionNum: 180006, maxLocks: 64, groups: 4 },
    { versionNum: 180006, maxLocks: 65, groups: 8 },
    { versionNum: 180006, maxLocks: 128, groups: 8 },
    { versionNum: 180006, maxLocks: 8192, groups: 512 },
    { versionNum: 180006, maxLocks: 8193, groups: 1024 },
    { versionNum: 180006, maxLocks: 1_000_000, groups: 1024 },
  ];
  for (const row of rows) {
    assert.equal(fastPathGroups(row.versionNum, row.maxLocks), row.groups, JSON.stringify(row));
  }
});

test('profile slots are 16 per group and versions are shortened', () => {
  const pg15 = buildServerProfile('15.18 (Debian 15.18-0+deb12u1)', 150018, 64, 'server');
  assert.deepEqual(pg15, {
    version: '15.18',
    versionNum: 150018,
    maxLocksPerTransaction: 64,
    fastPathSlots: 16,
    fastPathGroups: 1,
    source: 'server',
  });
  const pg18 = buildServerProfile('18.6', 180006, 64, 'embedded');
  assert.equal(pg18.fastPathSlots, 64);
  assert.equal(pg18.fastPathGroups, 4);
  assert.equal(shortVersion('16beta1'), '16');
});

test('PG 18 group of a relation is (oid * 49157) & (groups - 1), in 64-bit arithmetic', () => {
  const rows: Array<[oid: number, groups: number, group: number]> = [
    [16384, 4, 0],
    [16385, 4, (16385 * 49157) & 3],
    [16386, 4, (16386 * 49157) & 3],
    [16387, 8, (16387 * 49157) & 7],
    [4294967295, 1024, Number((4294967295n * 49157n) & 1023n)], // would overflow 32-bit multiplication
    [12345, 1, 0],
  ];
  for (const [oid, groups, group] of rows) assert.equal(fastPathGroupOf(oid, groups), group, `${oid}/${groups}`);
});
