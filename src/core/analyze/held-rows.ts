/**
 * Rows already held before a loop: `findAll({ where: { importId }, lock: NO_KEY_UPDATE })` then a per-row
 * `destroy()` in a loop over them, or a loop over `….select_for_update()` writing each row it iterates. The loop writes rows its transaction locked with one set-based statement, so no
 * iteration waits for another transaction: not a row lock per iteration, and not a cascade.
 */
import type { LoopInfo, QuerySite, SourceRange } from '../scan/types.js';
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

/** The sites that lock rows as a set (the only ones tablesHeldAtLoop reads). */
export function setLockers<T extends Held>(sites: readonly T[]): T[] {
  return sites.filter((s) => setLockedTables(s).length > 0);
}

/** The loop's iterable runs once, before the body: `for card in checkout.gift_cards.select_for_update():`. */
function isIterableOf(locker: Held, loop: LoopInfo): boolean {
  const r = locker.site.range;
  const inside =
    !before(r, loop.range) &&
    (loop.range.start.line < r.start.line || (loop.range.start.line === r.start.line && loop.range.start.character <= r.start.character));
  return (
    inside &&
    !locker.site.loops.some((l) => l.range.start.line === loop.range.start.line && l.range.start.character === loop.range.start.character)
  );
}

/**
 * Tables the function `unit` locked as a set with one statement before `loop` (outside it, above it) or as the rows
 * the loop iterates: a write to those rows inside the loop waits for no other transaction.
 */
export function tablesHeldAtLoop(sites: readonly Held[], unit: string, loop: LoopInfo, except?: Held): Set<string> {
  return new Set(
    sites
      .filter(
        (l) =>
          l !== except &&
          functionKey(l.site.enclosingFunction, l.site.enclosingClass) === unit &&
          (before(l.site.range, loop.range) || isIterableOf(l, loop)),
      )
      .flatMap(setLockedTables),
  );
}

/** Does every row the site writes or locks belong to these tables (and does it touch any)? */
export function touchesOnly(site: Held, tables: ReadonlySet<string>): boolean {
  const touched = touchedTables(site);
  return touched.length > 0 && touched.every((t) => tables.has(t));
}

/**
 * The sites of one file whose innermost loop only touches rows an earlier statement of the same function locked as a
 * set (outside that loop, before it, or as its iterable).
 */
export function sitesOnHeldRows<T extends Held>(sites: readonly T[]): Set<T> {
  const held = new Set<T>();
  const lockers = setLockers(sites);
  if (lockers.length === 0) return held;
  for (const site of sites) {
    const loop = site.site.loops[site.site.loops.length - 1];
    if (loop === undefined) continue;
    const unit = functionKey(site.site.enclosingFunction, site.site.enclosingClass);
    if (unit === undefined || touchedTables(site).length === 0) continue;
    if (touchesOnly(site, tablesHeldAtLoop(lockers, unit, loop, site))) held.add(site);
  }
  return held;
}
