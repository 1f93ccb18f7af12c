/** Connection profiles from settings: valid entries become profiles with defaults, bad ones a clear problem each. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseProfiles, profileLabel, profileUrl } from '../../src/core/config/connection-profiles.js';

const CASES: Array<{ name: string; raw: unknown; profiles?: unknown[]; problems?: RegExp[] }> = [
  { name: 'nothing configured', raw: undefined, profiles: [], problems: [] },
  {
    name: 'defaults: localhost, 5432, postgres, ssl prefer, dev',
    raw: [{ name: 'local', database: 'shop' }],
    profiles: [{ name: 'local', host: 'localhost', port: 5432, database: 'shop', user: 'postgres', ssl: 'prefer', environment: 'dev' }],
  },
  {
    name: 'every field',
    raw: [{ name: 'stg', host: 'db.internal', port: 6432, database: 'app', user: 'reader', ssl: 'verify-full', environment: 'staging' }],
    profiles: [
      { name: 'stg', host: 'db.internal', port: 6432, database: 'app', user: 'reader', ssl: 'verify-full', environment: 'staging' },
    ],
  },
  { name: 'not a list', raw: { name: 'x' }, profiles: [], problems: [/must be a list/] },
  { name: 'missing name', raw: [{ database: 'x' }], profiles: [], problems: [/entry 1: "name" is required/] },
  { name: 'missing database', raw: [{ name: 'a' }], profiles: [], problems: [/a: "database" is required/] },
  { name: 'bad port', raw: [{ name: 'a', database: 'x', port: 70000 }], profiles: [], problems: [/port/] },
  {
    name: 'bad environment',
    raw: [{ name: 'a', database: 'x', environment: 'production' }],
    profiles: [],
    problems: [/environment" must be one of dev, staging, disposable/],
  },
  { name: 'bad ssl', raw: [{ name: 'a', database: 'x', ssl: 'maybe' }], profiles: [], problems: [/ssl/] },
  {
    name: 'duplicate names: the first wins',
    raw: [
      { name: 'a', database: 'x' },
      { name: 'a', database: 'y' },
    ],
    problems: [/a: a second profile/],
  },
];

for (const c of CASES) {
  test(`connection profiles: ${c.name}`, () => {
    const parsed = parseProfiles(c.raw);
    if (c.profiles !== undefined) assert.deepEqual(parsed.profiles, c.profiles);
    assert.equal(parsed.problems.length, c.problems?.length ?? 0, parsed.problems.join('; '));
    c.problems?.forEach((p, i) => assert.match(parsed.problems[i] ?? '', p));
  });
}

test('profile URLs: sslmode as libpq spells it, special characters escaped, IPv6 bracketed, password only when given', () => {
  const base = {
    name: 'a',
    host: 'db.internal',
    port: 5433,
    database: 'my db',
    user: 'app@corp',
    ssl: 'require' as const,
    environment: 'staging' as const,
  };
  assert.equal(profileUrl(base), 'postgres://app%40corp@db.internal:5433/my%20db?sslmode=require');
  assert.equal(profileUrl({ ...base, ssl: 'prefer' }, 'p@ss/word'), 'postgres://app%40corp:p%40ss%2Fword@db.internal:5433/my%20db');
  assert.equal(profileUrl({ ...base, host: '::1', ssl: 'disable' }), 'postgres://app%40corp@[::1]:5433/my%20db?sslmode=disable');
  assert.equal(profileLabel(base), 'a [staging]');
});
