/**
 * The loaded embedded database is saved per schema content: the second open starts from the saved data directory
 * (same catalog, same notes), and a changed schema is loaded afresh.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { withSession } from '../../src/db/session.js';

const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-cache-'));
after(() => rmSync(cacheDir, { recursive: true, force: true }));

const SCHEMA = [
  'CREATE EXTENSION pg_trgm;',
  'CREATE EXTENSION postgis;',
  'CREATE TABLE accounts (id bigserial PRIMARY KEY, name text);',
  'CREATE INDEX accounts_name_trgm ON accounts USING gin (name gin_trgm_ops);',
  'CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);',
  "CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
].join('\n');

async function open(text: string) {
  const session = await openEmbeddedSession({ schemaSources: [{ file: 'db/structure.sql', text }], cacheDir });
  const catalog = await withSession(() => Promise.resolve(session), loadCatalog);
  const names = [...catalog.relations.values()].map((r) => r.qualifiedName).sort();
  return { report: session.schemaReport, names };
}

test('second open of the same schema starts from the cache; a changed schema is loaded again', async () => {
  const first = await open(SCHEMA);
  assert.equal(first.report.cache, 'stored');
  assert.ok(first.names.includes('public.accounts_name_trgm') && first.names.includes('public.events_2026'), first.names.join(' '));
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.tar')).length, 1);

  const second = await open(SCHEMA);
  assert.equal(second.report.cache, 'hit');
  assert.deepEqual(second.names, first.names);
  assert.deepEqual(second.report.skipped, first.report.skipped);
  assert.deepEqual(
    second.report.skipped.map((s) => `${s.file}:${s.line}`),
    ['db/structure.sql:2'],
  );

  const changed = await open(`${SCHEMA}\nCREATE INDEX accounts_id_name ON accounts (id, name);`);
  assert.equal(changed.report.cache, 'stored');
  assert.ok(changed.names.includes('public.accounts_id_name'));
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.tar')).length, 2);
});
