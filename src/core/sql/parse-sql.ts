/**
 * Text in, statements out: placeholders normalised to $n, the text split by the PostgreSQL parser, each statement
 * analysed (kind, relations in parse-analysis order, row locks, details) with UTF-16 offsets into the original text.
 * A text that does not parse is returned as data with the error position, never thrown; the statements around the
 * broken one are still returned.
 */
import { parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import type { ParseOutcome, RelationRef, Statement, StatementError } from '../statement.js';
import { isRecord } from './ast.js';
import { analyzeStatement } from './analyze-statement.js';
import type { FoundRelation } from './ddl-locks.js';
import { assertParserLoaded } from './load.js';
import { normalizePlaceholders, type Normalized } from './placeholders.js';
import { codeTokens, semicolonChunks, trimmedRegion } from './split.js';
import { Utf8Offsets, codePointToIndex } from './text-offsets.js';

/** Where a name the AST gives no location for (DROP/COMMENT name lists) is written, searching from `from`. */
function locateName(sql: string, schema: string | undefined, name: string, from: number): number {
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const qualified = schema === undefined ? '' : `"?${escape(schema)}"?\\s*\\.\\s*`;
  const match = new RegExp(`(?<![\\w$"])${qualified}"?${escape(name)}"?(?![\\w$])`, 'i').exec(sql.slice(from));
  return match === null ? from : from + match.index;
}

function relationRefs(found: FoundRelation[], sql: string, toRelative: (byte: number) => number): RelationRef[] {
  let searchFrom = 0;
  return found.map(({ location, ...rest }) => {
    const offset = location >= 0 ? toRelative(location) : locateName(sql, rest.schema, rest.name, searchFrom);
    if (location < 0) searchFrom = offset + 1;
    return { ...rest, offset };
  });
}

/** Statements of `text` (a piece of the normalised text starting at `base`); throws what parseSync throws. */
function statementsOf(text: string, base: number, normalized: Normalized): Statement[] {
  if (text.trim() === '') return []; // libpg-query rejects an empty query; Postgres accepts it
  const parsed = parseSync(text);
  const offsets = new Utf8Offsets(text);
  const tokens = codeTokens(text);
  const statements: Statement[] = [];
  for (const raw of parsed.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len === undefined || raw.stmt_len === 0 ? offsets.byteLength : startByte + raw.stmt_len;
    const region = trimmedRegion(offsets, tokens, startByte, endByte);
    const sql = text.slice(region.start, region.end);
    const analysis = analyzeStatement(raw.stmt);
    const toRelative = (byte: number): number => offsets.toIndex(byte) - region.start;
    statements.push({
      sql,
      start: normalized.toOriginal(base + region.start),
      end: normalized.toOriginal(base + region.end),
      kind: analysis.kind,
      command: analysis.command,
      relations: relationRefs(analysis.relations, sql, toRelative),
      rowLocks: analysis.rowLocks,
      details: analysis.details,
      parameterCount: region.parameterCount,
      ast: raw.stmt,
      model: analysis.model,
    });
  }
  return statements;
}

/** libpg-query's error: message plus sqlDetails.cursorPosition, a 0-based code-point index (measured). */
function errorDetails(error: unknown): { message: string; cursor: number } {
  const details = isRecord(error) && isRecord(error['sqlDetails']) ? error['sqlDetails'] : undefined;
  const message = typeof details?.['message'] === 'string' ? details['message'] : error instanceof Error ? error.message : String(error);
  const cursor = typeof details?.['cursorPosition'] === 'number' ? details['cursorPosition'] : 0;
  return { message, cursor: Math.max(0, cursor) };
}

/** The failure outcome: the error located in the original text, and every other `;` chunk that parses on its own. */
function failure(original: string, normalized: Normalized, error: unknown): ParseOutcome {
  const text = normalized.text;
  const { message, cursor } = errorDetails(error);
  const at = codePointToIndex(text, cursor);
  const statements: Statement[] = [];
  let broken = { start: 0, end: text.length };
  const chunks = semicolonChunks(text);
  chunks.forEach((chunk, i) => {
    const containsError = (at >= chunk.start && at < chunk.end) || (i === chunks.length - 1 && at >= chunk.end);
    if (containsError) {
      broken = chunk;
      return;
    }
    try {
      statements.push(...statementsOf(text.slice(chunk.start, chunk.end), chunk.start, normalized));
    } catch {
      // Another broken chunk: only the first error is reported.
    }
  });
  const piece = text.slice(broken.start, broken.end).replace(/;\s*$/, '');
  const lead = piece.length - piece.trimStart().length;
  const start = normalized.toOriginal(broken.start + lead);
  const end = normalized.toOriginal(broken.start + piece.trimEnd().length);
  const result: StatementError = {
    message,
    offset: Math.min(normalized.toOriginal(at), original.length),
    start,
    end: Math.max(start, end),
  };
  return { ok: false, error: result, statements };
}

/** Parses SQL text. Needs `await loadSqlParser()` once before; throws only when that was not done. */
export function parseSql(original: string): ParseOutcome {
  assertParserLoaded();
  const normalized = normalizePlaceholders(original);
  try {
    return { ok: true, statements: statementsOf(normalized.text, 0, normalized) };
  } catch (error) {
    return failure(original, normalized, error);
  }
}

/** The tree of the first statement of `sql` (a view's definition), or undefined when it does not parse. */
export function parseStatementTree(sql: string): Node | undefined {
  assertParserLoaded();
  try {
    return parseSync(sql).stmts?.[0]?.stmt;
  } catch {
    return undefined;
  }
}
