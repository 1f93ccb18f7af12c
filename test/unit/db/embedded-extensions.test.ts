/** The table of contrib extensions the embedded database can create matches the bundles the installed PGlite ships. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { bundlesFor, isShippedExtension, PGLITE_EXTENSION_BUNDLES } from '../../../src/db/embedded-extensions.js';

const PGLITE_DIST = dirname(require.resolve('@electric-sql/pglite'));

/** Extension names (control files) inside each installed bundle, read from the tar itself. */
function installedExtensions(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of readdirSync(PGLITE_DIST).filter((f) => f.endsWith('.tar.gz'))) {
    const tar = gunzipSync(readFileSync(join(PGLITE_DIST, file))).toString('latin1');
    for (const match of tar.matchAll(/share\/postgresql\/extension\/([\w-]+)\.control\0/g))
      if (match[1] !== undefined) out.set(match[1], file.replace(/\.tar\.gz$/, ''));
  }
  return out;
}

test('every extension the installed PGlite ships is in the table, with its bundle, and nothing else', () => {
  const installed = installedExtensions();
  assert.ok(installed.size >= 30, `only ${installed.size} extensions found in ${PGLITE_DIST}`);
  assert.deepEqual(Object.fromEntries([...installed].sort()), Object.fromEntries(Object.entries(PGLITE_EXTENSION_BUNDLES).sort()));
});

test('bundles for a schema: shared bundles once, required extensions added, unknown names ignored', () => {
  const rows: Array<{ names: string[]; bundles: string[] }> = [
    { names: ['pg_trgm', 'btree_gin'], bundles: ['btree_gin', 'pg_trgm'] },
    { names: ['moddatetime', 'autoinc'], bundles: ['spi'] },
    { names: ['earthdistance'], bundles: ['cube', 'earthdistance'] },
    { names: ['uuid-ossp', 'postgis', 'pg_partman'], bundles: ['uuid-ossp'] },
    { names: [], bundles: [] },
  ];
  for (const row of rows) assert.deepEqual(bundlesFor(row.names), row.bundles, row.names.join(','));
  assert.equal(isShippedExtension('citext'), true);
  assert.equal(isShippedExtension('postgis'), false);
  assert.equal(isShippedExtension('toString'), false);
});
