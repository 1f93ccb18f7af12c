/** Where the embedded database is cached and what its key depends on (content, not the path it was reached by). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { test } from 'node:test';
import { defaultCacheDir, relabelCachedReport, schemaCacheKey } from '../../../src/db/embedded-cache.js';

test('the user cache directory follows XDG, then the platform', () => {
  const rows: Array<{ env: Record<string, string>; platform: NodeJS.Platform; dir: string }> = [
    { env: { XDG_CACHE_HOME: '/x/cache' }, platform: 'linux', dir: '/x/cache/lockscope' },
    { env: { XDG_CACHE_HOME: '/x/cache' }, platform: 'darwin', dir: '/x/cache/lockscope' },
    { env: {}, platform: 'linux', dir: join(homedir(), '.cache', 'lockscope') },
    { env: { XDG_CACHE_HOME: '' }, platform: 'linux', dir: join(homedir(), '.cache', 'lockscope') },
    { env: {}, platform: 'darwin', dir: join(homedir(), 'Library', 'Caches', 'lockscope') },
    {
      env: { LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' },
      platform: 'win32',
      dir: join('C:\\Users\\a\\AppData\\Local', 'lockscope', 'Cache'),
    },
  ];
  for (const row of rows) assert.equal(defaultCacheDir(row.env, row.platform), row.dir, JSON.stringify(row));
});

test('the key changes with any source text, order or the engine, not with file names', () => {
  const a = { file: 'db/structure.sql', text: 'CREATE TABLE a (id int);' };
  const b = { file: 'db/extra.sql', text: 'CREATE TABLE b (id int);' };
  const key = schemaCacheKey([a, b], '9086480-6242272');
  assert.match(key, /^[0-9a-f]{32}$/);
  assert.equal(schemaCacheKey([{ ...a, file: '/elsewhere/structure.sql' }, b], '9086480-6242272'), key);
  const different = [
    schemaCacheKey([{ ...a, text: 'CREATE TABLE a (id bigint);' }, b], '9086480-6242272'),
    schemaCacheKey([b, a], '9086480-6242272'),
    schemaCacheKey([a], '9086480-6242272'),
    schemaCacheKey([a, b], '9086481-6242272'),
    // Text boundaries count: "ab" + "c" is not "a" + "bc".
    schemaCacheKey(
      [
        { ...a, text: 'CREATE TABLE a (id int);CREATE' },
        { ...b, text: ' TABLE b (id int);' },
      ],
      '9086480-6242272',
    ),
  ];
  assert.equal(new Set([key, ...different]).size, different.length + 1);
});

test('a cached report names the files the way this load names them', () => {
  const report = relabelCachedReport(
    {
      report: { applied: 3, skipped: [{ file: 'old/structure.sql', line: 7, statement: 'CREATE EXTENSION postgis;', reason: 'x' }] },
      bundles: [],
      files: ['old/structure.sql'],
    },
    [{ file: 'new/structure.sql', text: '' }],
  );
  assert.deepEqual(
    report.skipped.map((s) => `${s.file}:${s.line}`),
    ['new/structure.sql:7'],
  );
});
