/**
 * Rows already held before a loop: `findAll({ where: { importId }, lock: NO_KEY_UPDATE })` then a per-row
 * `destroy()` in a loop over them. The loop writes rows its transaction locked with one set-based statement, so no
 * iteration waits for another transaction: not a row lock per iteration, and not a cascade.
 */
import type { QuerySite, SourceRange } from '../scan/types.js';
import { functionKey } from './summaries.js';

/** What this needs of an analysed site (analyze.ts's AnalyzedSite). */
interface Held {
  site: QuerySite;
  statements: readonly {
    kind: string;
    relations: readonly { name: string; role: string }[];
    rowLocks: readonly { strength: string }[];
  }[];
}

const before = (a: SourceRange, b: SourceRange): boolean =>
  a.end.line < b.start.line || (a.end.line === b.start.line && a.end.character <= b.start.character);

// `WHERE id = $1` (findByPk, find, get(id)) and `LIMIT 1` read one row: a parent, not the set the loop walks.
const ONE_ROW = /\bWHERE\s+(?:[a-z_]+\.)?"?id"?\s*=\s*\$\d+\s*(?:LIMIT\s+1\s*)?(?:FOR\b|$)|\bLIMIT\s+1\b/i;

/** Tables whose rows one statement of the site locks for update (the locks a later UPDATE/DELETE needs). */
function setLockedTables(held: Held): string[] {
  if (ONE_ROW.test(held.site.sql)) return [];
  return held.statements.flatMap((s) =>
    s.rowLocks.some((l) => l.strength === 'update' || l.strength === 'no-key-update')
      ? s.relations.filter((r) => r.role === 'row-lock').map((r) => r.name)
      : [],
  );
}

/** Tables an UPDATE/DELETE or a row lock of the site writes or locks. */
function touchedTables(held: Held): string[] {
  return held.statements.flatMap((s) =>
    s.relations
      .filter((r) => r.role === 'row-lock' || ((s.kind === 'update' || s.kind === 'delete') && r.role === 'write-target'))
      .map((r) => r.name),
  );
}

/**
 * The sites of one file whose innermost loop only touches rows an earlier statement of the same function locked as a
 * set (outside that loop, before it).
 */
export function sitesOnHeldRows<T extends Held>(sites: readonly T[]): Set<T> {
  const held = new Set<T>();
  const lockers = sites.filter((s) => setLockedTables(s).length > 0);
  if (lockers.length === 0) return held;
  for (const site of sites) {
    const loop = site.site.loops[site.site.loops.length - 1];
    if (loop === undefined) continue;
    const unit = functionKey(site.site.enclosingFunction, site.site.enclosingClass);
    const tables = touchedTables(site);
    if (unit === undefined || tables.length === 0) continue;
    const locked = new Set(
      lockers
        .filter(
          (l) => l !== site && functionKey(l.site.enclosingFunction, l.site.enclosingClass) === unit && before(l.site.range, loop.range),
        )
        .flatMap(setLockedTables),
    );
    if (tables.every((t) => locked.has(t))) held.add(site);
  }
  return held;
}
