/**
 * The contrib extensions PGlite ships as bundles (`<bundle>.tar.gz` beside pglite.wasm), and which of them a schema
 * needs: a schema's `CREATE EXTENSION pg_trgm` only works when PGlite was started with that bundle registered.
 */
import type { Extension } from '@electric-sql/pglite';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Extension name (as `CREATE EXTENSION` spells it) → the bundle file that holds its control file and library, for
 * @electric-sql/pglite 0.5.16 (test/unit/embedded-extensions.test.ts checks this against the installed bundles).
 */
export const PGLITE_EXTENSION_BUNDLES: Readonly<Record<string, string>> = {
  amcheck: 'amcheck',
  autoinc: 'spi',
  bloom: 'bloom',
  btree_gin: 'btree_gin',
  btree_gist: 'btree_gist',
  citext: 'citext',
  cube: 'cube',
  dict_int: 'dict_int',
  dict_xsyn: 'dict_xsyn',
  earthdistance: 'earthdistance',
  file_fdw: 'file_fdw',
  fuzzystrmatch: 'fuzzystrmatch',
  hstore: 'hstore',
  insert_username: 'spi',
  intarray: 'intarray',
  isn: 'isn',
  lo: 'lo',
  ltree: 'ltree',
  moddatetime: 'spi',
  pageinspect: 'pageinspect',
  pg_buffercache: 'pg_buffercache',
  pg_freespacemap: 'pg_freespacemap',
  pg_logicalinspect: 'pg_logicalinspect',
  pg_stat_statements: 'pg_stat_statements',
  pg_surgery: 'pg_surgery',
  pg_trgm: 'pg_trgm',
  pg_visibility: 'pg_visibility',
  pg_walinspect: 'pg_walinspect',
  pgcrypto: 'pgcrypto',
  refint: 'spi',
  seg: 'seg',
  tablefunc: 'tablefunc',
  tcn: 'tcn',
  tsm_system_rows: 'tsm_system_rows',
  tsm_system_time: 'tsm_system_time',
  unaccent: 'unaccent',
  'uuid-ossp': 'uuid-ossp',
};

/** Extensions whose control file `requires` another one (CREATE EXTENSION fails without it even with CASCADE). */
const REQUIRES: Readonly<Record<string, readonly string[]>> = { earthdistance: ['cube'] };

/** Is `name` an extension the embedded database can create? */
export function isShippedExtension(name: string): boolean {
  return Object.hasOwn(PGLITE_EXTENSION_BUNDLES, name);
}

/** The bundles needed for `names` (unknown names ignored: their CREATE EXTENSION is skipped with a note). */
export function bundlesFor(names: Iterable<string>): string[] {
  const bundles = new Set<string>();
  const add = (name: string): void => {
    const bundle = PGLITE_EXTENSION_BUNDLES[name];
    if (bundle === undefined || bundles.has(bundle)) return;
    bundles.add(bundle);
    for (const required of REQUIRES[name] ?? []) add(required);
  };
  for (const name of names) add(name);
  return [...bundles].sort();
}

/**
 * PGlite's `extensions` option for the bundles, read from `assetDir` (node_modules' dist, or the build's copy beside
 * the bundle). Registering only what the schema names keeps start-up free of bundles nobody uses.
 */
export function pgliteExtensions(bundles: readonly string[], assetDir: string): Record<string, Extension> {
  const out: Record<string, Extension> = {};
  for (const bundle of bundles) {
    const file = join(assetDir, `${bundle}.tar.gz`);
    if (!existsSync(file)) continue;
    const bundlePath = pathToFileURL(file);
    out[bundle.replace(/-/g, '_')] = { name: bundle, setup: () => Promise.resolve({ bundlePath }) };
  }
  return out;
}
