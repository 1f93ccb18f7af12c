/** `lockscope schema` reports the discovered source, counts and skips; `scan` with no database uses the discovered schema. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import type { SchemaCommandJson } from '../../src/cli/commands/schema.js';
import { DISCOVERY_FIXTURES } from '../support/discovered-locks.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-cli-schema-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (err += `${t}\n`), env: { LOCKSCOPE_CACHE_DIR: cacheDir } });
  return { code, out, err };
}

test('schema --json: the golang-migrate fixture, its relations and no skips; the second call starts from the cache', async () => {
  const root = join(DISCOVERY_FIXTURES, 'golang-migrate');
  const first = await cli(['schema', root, '--json']);
  assert.equal(first.code, 0, first.err);
  const doc = JSON.parse(first.out) as SchemaCommandJson;
  assert.equal(doc.source.kind, 'sql-migrations');
  assert.equal(doc.source.flavor, 'golang-migrate');
  assert.deepEqual(
    { tables: doc.load.tables, partitioned: doc.load.partitionedTables, partitions: doc.load.partitions, indexes: doc.load.indexes },
    // accounts (pkey, email key), orders (pkey + 19), order_items (pkey + 1), events (pkey, kind) and each partition's two.
    { tables: 3, partitioned: 1, partitions: 2, indexes: 30 },
  );
  assert.equal(doc.load.cache, 'stored');
  assert.deepEqual(doc.skipped, []);
  const second = await cli(['schema', root]);
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /source +golang-migrate \*\.up\.sql in db\/migrations \(3 migrations\)/);
  assert.match(second.out, /cache hit/);
});

test('schema: a folder with no schema source is bad input naming what was looked for', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'lockscope-no-schema-'));
  try {
    const { code, err } = await cli(['schema', empty]);
    assert.equal(code, 2);
    assert.match(err, /No schema source found under .*structure\.sql/);
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
});

test('scan with no database configured uses the discovered schema and says which', async () => {
  const { code, out, err } = await cli(['scan', join(DISCOVERY_FIXTURES, 'rails'), '--format', 'json']);
  assert.ok(code === 0 || code === 1, err);
  assert.match(err, /no database configured; using the schema discovered in .*rails: Rails schema DSL db\/schema\.rb/);
  assert.match((JSON.parse(out) as { server?: { version: string } }).server?.version ?? '', /^18\./);
});
