/** Facts about analysed sites that several rules ask: row locks, tables, loops, lock_timeout in scope. */
import type { AnalyzedSite, Analysis } from '../analyze/analyze.js';
import type { RowLockClause } from '../statement.js';

export function rowLocksOf(site: AnalyzedSite): RowLockClause[] {
  return site.statements.flatMap((s) => s.rowLocks);
}

/** Tables a site locks rows of: the row-lock targets, or UPDATE/DELETE targets. */
export function rowLockedTables(site: AnalyzedSite): string[] {
  const names = site.statements.flatMap((s) =>
    s.relations
      .filter((r) => r.role === 'row-lock' || ((s.kind === 'update' || s.kind === 'delete') && r.role === 'write-target'))
      .map((r) => r.name),
  );
  return [...new Set(names)];
}

/**
 * A migration (Alembic `versions/`, Django `migrations/`, Rails `db/migrate/`, SQL migration folders): run once, by one
 * session, so what costs only under concurrency (slow-path locks) costs nothing measurable there.
 */
export function isMigrationFile(file: string): boolean {
  return /(^|\/)(migrations?|migrate|alembic)\//.test(file.replace(/\\/g, '/'));
}

export function inLoop(site: AnalyzedSite): boolean {
  return site.site.loops.length > 0;
}

/** In a loop and taking row locks there that no earlier set-based lock of its function already holds. */
export function locksRowsPerIteration(site: AnalyzedSite): boolean {
  return inLoop(site) && site.rowsHeld !== true;
}

/** Per analysis: where lock_timeout is first set, by file and transaction scope (`file#scope`, `file#` outside). */
const timeoutSetters = new WeakMap<Analysis, Map<string, { line: number; character: number }>>();

const scopeKey = (site: AnalyzedSite): string => `${site.site.file}#${site.site.transaction?.id ?? ''}`;

function firstTimeoutSetters(analysis: Analysis): Map<string, { line: number; character: number }> {
  let setters = timeoutSetters.get(analysis);
  if (setters === undefined) {
    setters = new Map();
    for (const other of analysis.sites) {
      if (!other.statements.some((s) => s.details.setsLockTimeout === true)) continue;
      const key = scopeKey(other);
      const start = other.site.range.start;
      const known = setters.get(key);
      if (known === undefined || start.line < known.line || (start.line === known.line && start.character < known.character))
        setters.set(key, start);
    }
    timeoutSetters.set(analysis, setters);
  }
  return setters;
}

/** Does the site's transaction (or, for SQL files, the file before it) set lock_timeout first? */
export function lockTimeoutInScope(analysis: Analysis, site: AnalyzedSite): boolean {
  const first = firstTimeoutSetters(analysis).get(scopeKey(site));
  const start = site.site.range.start;
  return first !== undefined && (first.line < start.line || (first.line === start.line && first.character < start.character));
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
