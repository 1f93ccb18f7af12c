/** row-lock-without-timeout: FOR UPDATE/SHARE that waits forever: no NOWAIT, no SKIP LOCKED, no lock_timeout. */
import { docsPath, type Rule } from './types.js';
import { lockTimeoutInScope, rowLocksOf } from './site-facts.js';

const ID = 'row-lock-without-timeout';

export const rowLockWithoutTimeout: Rule = {
  meta: { id: ID, description: 'A row lock waits indefinitely: no NOWAIT, SKIP LOCKED or lock_timeout in scope.', defaultSeverity: 'info', docs: docsPath(ID) },
  check(analysis, report) {
    for (const a of analysis.sites) {
      if (a.via !== undefined) continue;
      const blocking = rowLocksOf(a).filter((r) => r.waitPolicy === 'block');
      if (blocking.length === 0 || lockTimeoutInScope(analysis, a)) continue;
      const sqlFile = a.site.origin === 'sql-file' || a.site.origin === 'sql-string';
      const forClause = /\bFOR\s+(NO\s+KEY\s+UPDATE|KEY\s+SHARE|UPDATE|SHARE)(\s+OF\s+[\w.,\s"]+?)?(?=\s*(;|$|\)|LIMIT|OFFSET))/i.exec(a.site.sql);
      report({
        file: a.site.file, range: a.site.range,
        message: 'This row lock waits as long as the holder keeps its transaction open: no NOWAIT, SKIP LOCKED or lock_timeout.',
        help: "Add NOWAIT (fail fast), SKIP LOCKED (queue workers), or SET LOCAL lock_timeout = '2s' at the start of the transaction.",
        fix: sqlFile && forClause !== null && a.site.origin === 'sql-file' ? skipLockedFix(a.site.file, a.site.range, a.site.sql, forClause.index + forClause[0].length) : undefined,
      });
    }
  },
};

/** For a .sql statement the edit is mechanical: append SKIP LOCKED after the FOR … clause. */
function skipLockedFix(file: string, range: { start: { line: number; character: number } }, sql: string, at: number): { description: string; edits: Array<{ file: string; range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }> } {
  const before = sql.slice(0, at);
  const lines = before.split('\n');
  const line = range.start.line + lines.length - 1;
  const character = (lines.length === 1 ? range.start.character : 0) + (lines[lines.length - 1]?.length ?? 0);
  const position = { line, character };
  return { description: 'Add SKIP LOCKED', edits: [{ file, range: { start: position, end: position }, newText: ' SKIP LOCKED' }] };
}
