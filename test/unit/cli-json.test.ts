/**
 * The CLI's JSON contract for the server lives in core (src/core/present/cli-json.ts): every `server` object
 * docs/cli.md shows has exactly its fields, and `lockscope server --json` (also the profile view's state) is
 * `{ server, database, relationCount, target }`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { serverJson, serverProfileJson } from '../../src/core/present/cli-json.js';
import { buildServerProfile } from '../../src/core/server-profile.js';
import { profileState } from '../../src/protocol/server-profile.js';

const DOCS = readFileSync(join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8');
const pg18 = buildServerProfile('18.6', 180006, 128, 'embedded');

test('every server object in docs/cli.md has the fields serverJson writes', () => {
  const documented = [...DOCS.matchAll(/"server": (\{[^}]*\})/g)].map((m) => Object.keys(JSON.parse(m[1] ?? '{}') as object).sort());
  assert.ok(documented.length >= 3, `${documented.length} documented server objects`);
  for (const keys of documented) assert.deepEqual(keys, Object.keys(serverJson(pg18)).sort());
});

test('serverJson carries the profile that decides fast and slow path', () => {
  assert.deepEqual(serverJson(pg18), {
    version: '18.6',
    versionNum: 180006,
    fastPathSlots: 128,
    fastPathGroups: 8,
    maxLocksPerTransaction: 128,
    source: 'embedded',
  });
});

test('server --json is the documented shape, and the profile view renders the same object', () => {
  const info = { profile: pg18, database: 'shop', relationCount: 42, target: 'postgres://app@localhost:5432/shop' };
  const json = serverProfileJson(info);
  assert.deepEqual(Object.keys(json), ['server', 'database', 'relationCount', 'target']);
  assert.deepEqual(profileState(info), json);
});
