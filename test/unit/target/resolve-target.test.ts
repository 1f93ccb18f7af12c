/** Which server the lock budget is read for: the user's choice, the connected server, or the embedded default (17, 64). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { parseMaxLocks, parseTargetMajor, resolveTarget, TargetError, type TargetSpec } from '../../../src/core/target.js';

const pg15 = buildServerProfile('15.18', 150018, 64, 'server');
const pg18server = buildServerProfile('18.1', 180001, 64, 'server');
const embedded = buildServerProfile('18.6', 180006, 64, 'embedded');

test('the target resolves from the choice, the connected server, or the embedded default', () => {
  const rows: Array<{
    name: string;
    actual: typeof pg15;
    spec: TargetSpec;
    basis: string;
    versionNum: number;
    slots: number;
    groups: number;
    caveat: boolean;
  }> = [
    {
      name: 'server, nothing chosen',
      actual: pg15,
      spec: {},
      basis: 'connected-server',
      versionNum: 150018,
      slots: 16,
      groups: 1,
      caveat: false,
    },
    {
      name: 'server, its own major',
      actual: pg15,
      spec: { major: 15 },
      basis: 'connected-server',
      versionNum: 150018,
      slots: 16,
      groups: 1,
      caveat: false,
    },
    {
      name: 'server 15, what if 18',
      actual: pg15,
      spec: { major: 18 },
      basis: 'chosen',
      versionNum: 180000,
      slots: 64,
      groups: 4,
      caveat: false,
    },
    {
      name: 'server 18, more max_locks',
      actual: pg18server,
      spec: { maxLocksPerTransaction: 256 },
      basis: 'chosen',
      versionNum: 180001,
      slots: 256,
      groups: 16,
      caveat: false,
    },
    {
      name: 'embedded, nothing chosen: PostgreSQL 17',
      actual: embedded,
      spec: {},
      basis: 'embedded-default',
      versionNum: 170000,
      slots: 16,
      groups: 1,
      caveat: false,
    },
    {
      name: 'embedded, target 15',
      actual: embedded,
      spec: { major: 15 },
      basis: 'chosen',
      versionNum: 150000,
      slots: 16,
      groups: 1,
      caveat: false,
    },
    {
      name: 'embedded, target 18: OIDs stand in',
      actual: embedded,
      spec: { major: 18 },
      basis: 'chosen',
      versionNum: 180006,
      slots: 64,
      groups: 4,
      caveat: true,
    },
    {
      name: 'embedded, 18 with max_locks 16: one group',
      actual: embedded,
      spec: { major: 18, maxLocksPerTransaction: 16 },
      basis: 'chosen',
      versionNum: 180006,
      slots: 16,
      groups: 1,
      caveat: false,
    },
    {
      name: 'embedded, only max_locks: still 17',
      actual: embedded,
      spec: { maxLocksPerTransaction: 512 },
      basis: 'chosen',
      versionNum: 170000,
      slots: 16,
      groups: 1,
      caveat: false,
    },
  ];
  for (const row of rows) {
    const target = resolveTarget(row.actual, row.spec);
    assert.equal(target.basis, row.basis, row.name);
    assert.equal(target.profile.versionNum, row.versionNum, row.name);
    assert.equal(target.profile.fastPathSlots, row.slots, row.name);
    assert.equal(target.profile.fastPathGroups, row.groups, row.name);
    assert.equal(target.oidCaveat !== undefined, row.caveat, row.name);
    if (row.basis === 'connected-server') assert.equal(target.profile, row.actual, `${row.name}: the server's own profile`);
    else assert.equal(target.profile.source, 'target', row.name);
  }
});

test('--target and --max-locks accept what PostgreSQL and the predictor support, and say why not otherwise', () => {
  const majors: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['', undefined],
    ['auto', undefined],
    ['15', 15],
    ['16', 16],
    ['17', 17],
    ['18', 18],
  ];
  for (const [text, major] of majors) assert.equal(parseTargetMajor(text), major, String(text));
  for (const bad of ['14', '19', '17.2', 'latest', '-1'])
    assert.throws(
      () => parseTargetMajor(bad),
      (e: unknown) => e instanceof TargetError && e.message.includes(`"${bad}"`),
      bad,
    );
  const locks: Array<[string | undefined, number | undefined]> = [
    [undefined, undefined],
    ['0', undefined],
    ['10', 10],
    ['64', 64],
    ['4096', 4096],
  ];
  for (const [text, n] of locks) assert.equal(parseMaxLocks(text), n, String(text));
  for (const bad of ['9', '64.5', 'many', '-64', '2147483648'])
    assert.throws(
      () => parseMaxLocks(bad),
      (e: unknown) => e instanceof TargetError && e.message.includes(`"${bad}"`),
      bad,
    );
});
