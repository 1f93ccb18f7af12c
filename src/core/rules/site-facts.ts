/** Facts about analysed sites that several rules ask: row locks, tables, loops, lock_timeout in scope. */
import type { AnalyzedSite, Analysis } from '../analyze/analyze.js';
import type { RowLockClause } from '../statement.js';

export function rowLocksOf(site: AnalyzedSite): RowLockClause[] {
  return site.statements.flatMap((s) => s.rowLocks);
}

/** Tables a site locks rows of: the row-lock targets, or UPDATE/DELETE targets. */
export function rowLockedTables(site: AnalyzedSite): string[] {
  const names = site.statements.flatMap((s) =>
    s.relations.filter((r) => r.role === 'row-lock' || ((s.kind === 'update' || s.kind === 'delete') && r.role === 'write-target')).map((r) => r.name),
  );
  return [...new Set(names)];
}

export function inLoop(site: AnalyzedSite): boolean {
  return site.site.loops.length > 0;
}

/** Does the site's transaction (or, for SQL files, the file before it) set lock_timeout first? */
export function lockTimeoutInScope(analysis: Analysis, site: AnalyzedSite): boolean {
  const before = (other: AnalyzedSite): boolean =>
    other.site.file === site.site.file &&
    (other.site.range.start.line < site.site.range.start.line ||
      (other.site.range.start.line === site.site.range.start.line && other.site.range.start.character < site.site.range.start.character));
  const sameScope = (other: AnalyzedSite): boolean =>
    site.site.transaction === undefined ? other.site.transaction === undefined : other.site.transaction?.id === site.site.transaction.id;
  return analysis.sites.some((o) => before(o) && sameScope(o) && o.statements.some((s) => s.details.setsLockTimeout === true));
}

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;
