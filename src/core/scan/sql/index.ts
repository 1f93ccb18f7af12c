/**
 * .sql files, statement by statement: each statement is a site; BEGIN … COMMIT/ROLLBACK form a transaction scope,
 * SAVEPOINT opens a subtransaction, DO blocks and functions with EXCEPTION clauses too.
 */
import { parseSql } from '../../sql/index.js';
import type { LanguageExtractor } from '../extractor.js';
import { emptyScan } from '../extractor.js';
import type { FileScan, QuerySite, SourcePosition, SourceRange, TransactionScope } from '../types.js';

/** Line/character of string indexes in one text: line starts found once, each position by binary search. */
export class LinePositions {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  positionAt(index: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] as number) <= index) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: index - (this.lineStarts[low] as number) };
  }

  rangeAt(start: number, end: number): SourceRange {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}

/** Line/character of a string index. */
export function positionAt(text: string, index: number): SourcePosition {
  return new LinePositions(text).positionAt(index);
}

export function rangeAt(text: string, start: number, end: number): SourceRange {
  return new LinePositions(text).rangeAt(start, end);
}

/**
 * The sites of the last scans of a few SQL files, by everything a site holds (range, transaction, text): a re-scan
 * after a keystroke hands back the very objects of the statements the edit left where they were, so the analysis'
 * per-site caches (analyze.ts, portable.ts) and the worker's delta keys answer at once for them. Sites are read-only.
 */
const lastSites = new Map<string, Map<string, QuerySite>>();
const REMEMBERED_FILES = 16;

const at = (p: SourcePosition): string => `${p.line}:${p.character}`;

function siteKey(site: QuerySite): string {
  const t = site.transaction;
  const scope = t === undefined ? '' : `${t.id}-${at(t.range.end)}`;
  return `${at(site.range.start)}-${at(site.range.end)}|${scope}|${site.sql}`;
}

/** Replaces each site equal to one of the file's last scan by that one; remembers this scan's for the next. */
function reuseUnchanged(file: string, sites: QuerySite[]): void {
  const before = lastSites.get(file);
  const now = new Map<string, QuerySite>();
  sites.forEach((site, i) => {
    const key = siteKey(site);
    const kept = before?.get(key) ?? site;
    sites[i] = kept;
    now.set(key, kept);
  });
  lastSites.delete(file);
  lastSites.set(file, now);
  if (lastSites.size > REMEMBERED_FILES) lastSites.delete(lastSites.keys().next().value as string);
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
  // One line index for the file: a position per statement from the start of the text was quadratic in big files.
  const lines = new LinePositions(text);
  for (const statement of outcome.statements) {
    const range = lines.rangeAt(statement.start, statement.end);
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
      // The file was parsed whole just now: the analysis takes the statement as it is instead of parsing it again.
      parsed: [{ ...statement, start: 0, end: statement.end - statement.start }],
    });
  }
  reuseUnchanged(file, scan.sites);
  return scan;
}

/** Registry entry: .sql files need no tree; the scanner calls scanSqlText directly. */
export const sqlExtractor: LanguageExtractor = {
  languages: ['sql'],
  extract: (context) => scanSqlText(context.file, context.text),
};
