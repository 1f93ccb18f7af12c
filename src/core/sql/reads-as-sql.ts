/**
 * The one answer to "does this string read as SQL": after any whitespace, `--` and `/* *\/` comments and opening
 * parentheses, it starts with a word PostgreSQL's grammar starts a statement with. Every language's scanner asks it
 * (they had four regexes that disagreed on SHOW, PREPARE, START TRANSACTION and a leading comment).
 */

/** First words of PostgreSQL statements (gram.y's `stmt` alternatives), upper-case. */
const STATEMENT_STARTS: ReadonlySet<string> = new Set([
  'ABORT',
  'ALTER',
  'ANALYZE',
  'BEGIN',
  'CALL',
  'CHECKPOINT',
  'CLOSE',
  'CLUSTER',
  'COMMENT',
  'COMMIT',
  'COPY',
  'CREATE',
  'DEALLOCATE',
  'DECLARE',
  'DELETE',
  'DISCARD',
  'DO',
  'DROP',
  'END',
  'EXECUTE',
  'EXPLAIN',
  'FETCH',
  'GRANT',
  'IMPORT',
  'INSERT',
  'LISTEN',
  'LOCK',
  'MERGE',
  'MOVE',
  'NOTIFY',
  'PREPARE',
  'REFRESH',
  'REINDEX',
  'RELEASE',
  'RESET',
  'REVOKE',
  'ROLLBACK',
  'SAVEPOINT',
  'SELECT',
  'SET',
  'SHOW',
  'START',
  'TABLE',
  'TRUNCATE',
  'UNLISTEN',
  'UPDATE',
  'VACUUM',
  'VALUES',
  'WITH',
]);

/**
 * First words that are also common English ("End of list", "Start here", "Abort?"): they count only as the
 * statement they begin (START TRANSACTION; END, ABORT alone or with WORK/TRANSACTION).
 */
const GUARDED: ReadonlyMap<string, RegExp> = new Map([
  ['START', /^START\s+TRANSACTION\b/i],
  ['END', /^END(\s+(WORK|TRANSACTION))?\s*(;\s*)?$/i],
  ['ABORT', /^ABORT(\s+(WORK|TRANSACTION))?\s*(;\s*)?$/i],
]);

/** Offset of the first statement word: past whitespace, comments and opening parentheses. */
function statementStart(text: string): number {
  let i = 0;
  for (;;) {
    while (i < text.length && (/\s/.test(text[i] ?? '') || text[i] === '(')) i++;
    if (text.startsWith('--', i)) {
      const end = text.indexOf('\n', i);
      if (end < 0) return text.length;
      i = end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return text.length;
      i = end + 2;
    } else return i;
  }
}

/** The statement's first word, whole ("Selection" is not SELECT), upper-case; "" when the text has none. */
export function firstSqlWord(text: string): string {
  const start = statementStart(text);
  return /^[A-Za-z_][\w$]*/.exec(text.slice(start))?.[0]?.toUpperCase() ?? '';
}

export function readsAsSql(text: string): boolean {
  const word = firstSqlWord(text);
  if (!STATEMENT_STARTS.has(word)) return false;
  const guard = GUARDED.get(word);
  return guard === undefined || guard.test(text.slice(statementStart(text)));
}
