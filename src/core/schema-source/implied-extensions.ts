/**
 * Contrib extensions a schema needs without declaring them: an index with `gin_trgm_ops` only loads once pg_trgm
 * exists. ORMs that generate DDL from models (Prisma's schema.prisma without `extensions = [...]`, Django's
 * Meta.indexes without a TrigramExtension migration) leave the CREATE EXTENSION to a hand-written migration; the
 * translation creates it before the first index that needs it.
 */
import { quoteIdent } from './types.js';

/** Operator class → the contrib extension that defines it (all shipped with PGlite). */
const OPCLASS_EXTENSIONS: Readonly<Record<string, string>> = {
  gin_trgm_ops: 'pg_trgm',
  gist_trgm_ops: 'pg_trgm',
  gin_hstore_ops: 'hstore',
  gist_hstore_ops: 'hstore',
  gist_ltree_ops: 'ltree',
  gist__ltree_ops: 'ltree',
  gin__int_ops: 'intarray',
  gist__int_ops: 'intarray',
  gist__intbig_ops: 'intarray',
};

/** The extensions the operator classes named in `sql` come from, in order of first mention. */
export function impliedExtensions(sql: string): string[] {
  const found = [...sql.matchAll(/\b(g[a-z_]+_ops)\b/g)].flatMap((m) => {
    const extension = OPCLASS_EXTENSIONS[m[1] ?? ''];
    return extension === undefined ? [] : [extension];
  });
  return [...new Set(found)];
}

/** `CREATE EXTENSION IF NOT EXISTS` for each implied extension not yet in `created` (which it updates). */
export function createImpliedExtensions(sql: string, created: Set<string>): string[] {
  return impliedExtensions(sql).flatMap((extension) => {
    if (created.has(extension)) return [];
    created.add(extension);
    return [`CREATE EXTENSION IF NOT EXISTS ${quoteIdent(extension)}`];
  });
}
