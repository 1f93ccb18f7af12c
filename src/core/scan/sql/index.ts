/**
 * .sql files, statement by statement: each statement is a site; BEGIN … COMMIT/ROLLBACK form a transaction scope,
 * SAVEPOINT opens a subtransaction, DO blocks and functions with EXCEPTION clauses too.
 */
import { parseSql } from '../../sql/index.js';
import type { LanguageExtractor } from '../extractor.js';
import { emptyScan } from '../extractor.js';
import type { FileScan, SourcePosition, SourceRange, TransactionScope } from '../types.js';

/** Line/character of a string index. */
export function positionAt(text: string, index: number): SourcePosition {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: index - lineStart };
}

export function rangeAt(text: string, start: number, end: number): SourceRange {
  return { start: positionAt(text, start), end: positionAt(text, end) };
}

/** Scans SQL text (a .sql file) without tree-sitter: PostgreSQL's own parser splits it. */
export function scanSqlText(file: string, text: string): FileScan {
  const scan = emptyScan(file, 'sql');
  const outcome = parseSql(text);
  if (!outcome.ok) {
    scan.problems.push({
      range: rangeAt(text, outcome.error.offset, outcome.error.offset + 1),
      message: `SQL does not parse: ${outcome.error.message}`,
    });
    return scan;
  }
  let transaction: TransactionScope | undefined;
  for (const statement of outcome.statements) {
    const range = rangeAt(text, statement.start, statement.end);
    const action = statement.details.transactionAction;
    if (action === 'begin') {
      transaction = {
        id: `${file}#${range.start.line}:${range.start.character}`,
        range,
        kind: 'BEGIN … COMMIT',
        nested: false,
        parentId: undefined,
      };
      continue;
    }
    if (action === 'commit' || action === 'rollback') {
      if (transaction !== undefined) transaction.range = { start: transaction.range.start, end: range.end };
      transaction = undefined;
      continue;
    }
    if (action === 'savepoint') {
      scan.subtransactions.push({ file, language: 'sql', range, kind: 'SAVEPOINT', loops: [], enclosingFunction: undefined });
      continue;
    }
    if (statement.details.opensSubtransaction === true) {
      scan.subtransactions.push({
        file,
        language: 'sql',
        range,
        kind: `${statement.command} with an EXCEPTION block (a subtransaction each time it is entered)`,
        loops: [],
        enclosingFunction: undefined,
      });
    }
    if (statement.kind === 'transaction' || (statement.kind === 'utility' && statement.details.setsLockTimeout !== true)) continue;
    scan.sites.push({
      file,
      language: 'sql',
      range,
      origin: 'sql-file',
      sql: text.slice(statement.start, statement.end),
      synthesized: false,
      confidence: 'exact',
      transaction,
      loops: [],
      enclosingFunction: undefined,
      label: statement.sql.replace(/\s+/g, ' ').slice(0, 80),
    });
  }
  return scan;
}

/** Registry entry: .sql files need no tree; the scanner calls scanSqlText directly. */
export const sqlExtractor: LanguageExtractor = {
  languages: ['sql'],
  extract: (context) => scanSqlText(context.file, context.text),
};
