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
import { ParseMemo } from './parse-memo.js';
import { normalizePlaceholders, type Normalized } from './placeholders.js';
import { codeTokens, semicolonChunks, trimmedRegion } from './split.js';
import { statementRanges, type StatementRange } from './statement-boundaries.js';
import type { Token } from './tokens.js';
import { Utf8Offsets, codePointToIndex } from './text-offsets.js';
import { countTokens } from './sql-lexer.js';
import { reduceValuesList } from './values-reduction.js';

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

/**
 * Texts above this are split by statementRanges and parsed statement by statement: the parser's and the scanner's
 * cost per call grows with the text, and a whole 50 MB file in one call is neither fast nor bounded in memory.
 */
export const WHOLE_TEXT_PARSE_LIMIT = 64 * 1024;
/**
 * A statement with more tokens than this (after a huge INSERT's VALUES list is reduced) is not given to the parser:
 * its cost is in the tree it builds, about 300 bytes of memory per token (an INSERT of 1.26 M tokens took 357 MB and
 * 2 s; of 6 M tokens, 1.2 GB and 8 s). Bytes do not measure it: a 19 MB string literal is one token and parses in 1.5 s.
 */
export const MAX_ANALYSED_STATEMENT_TOKENS = 500_000;
/** Below this many characters a statement cannot have more tokens than the limit (a token and its separator are ≥ 2). */
const TOKEN_COUNT_FROM = 2 * MAX_ANALYSED_STATEMENT_TOKENS;
/** Above this the scanner is not run for a statement's tokens: its range and $n come from statementRanges. */
const TOKENIZED_STATEMENT_LIMIT = 256 * 1024;

/** Where a statement's region needs the scanner: comments to trim, or `$` (a $n to count, a dollar quote). */
const NEEDS_TOKENS = /--|\/\*|\$/;

/**
 * The comment-free tokens statement regions are trimmed to, scanning only when needed: the placeholder rewrite's own
 * tokens when it scanned this very text, none when the text has no comment and no `$` (the parser's byte range,
 * whitespace-trimmed, is then the same region, and no $n is there to count), none above the scanner's limit.
 */
function regionTokens(text: string, normalized: Normalized, range: StatementRange | undefined): readonly Token[] | undefined {
  if (range !== undefined && text.length > TOKENIZED_STATEMENT_LIMIT) return undefined;
  if (normalized.tokens !== undefined && text === normalized.text) return normalized.tokens;
  return NEEDS_TOKENS.test(text) ? codeTokens(text) : undefined;
}

/** Statements of `text` (a piece of the normalised text starting at `base`); throws what parseSync throws. */
function statementsOf(text: string, base: number, normalized: Normalized, range?: StatementRange): Statement[] {
  if (text.trim() === '') return []; // libpg-query rejects an empty query; Postgres accepts it
  const parsed = parseSync(text);
  const offsets = new Utf8Offsets(text);
  const tokens = regionTokens(text, normalized, range);
  const statements: Statement[] = [];
  for (const raw of parsed.stmts ?? []) {
    if (raw.stmt === undefined) continue;
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len === undefined || raw.stmt_len === 0 ? offsets.byteLength : startByte + raw.stmt_len;
    const region = trimmedRegion(offsets, tokens, startByte, endByte);
    if (tokens === undefined && range !== undefined) region.parameterCount = range.maxParam;
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

const identity = (text: string): Normalized => ({ text, parameterCount: 0, toOriginal: (i) => i });

/** Statements parsed together in one parser call when a large text is split (fewer calls, same linear total). */
const BATCH_CHARS = 16 * 1024;

/** Outcomes by text: whole small texts, and each statement's span of a large one (what an edit leaves unchanged). */
export const parseMemo = new ParseMemo();

const shiftStatement = (s: Statement, by: number): Statement => ({ ...s, start: s.start + by, end: s.end + by });
const shiftError = (e: StatementError, by: number): StatementError => ({
  ...e,
  offset: e.offset + by,
  start: e.start + by,
  end: e.end + by,
});

/**
 * A large text in batches: one linear pass finds the statements, each statement's span (up to the next one, so it
 * keeps its `;` and any comment after it) is looked up in parseMemo, consecutive unremembered spans are grouped up to
 * BATCH_CHARS and each group is parsed like a small text, its offsets shifted back and its statements remembered per
 * span; a statement above the parser limit is refused on its own. The first broken or oversized statement is the
 * error; the others are still returned.
 */
function parseLarge(original: string): ParseOutcome {
  const statements: Statement[] = [];
  let error: StatementError | undefined;
  const take = (outcome: ParseOutcome, from: number): void => {
    for (const s of outcome.statements) statements.push(shiftStatement(s, from));
    if (!outcome.ok) error ??= shiftError(outcome.error, from);
  };
  const ranges = statementRanges(original);
  const spanEnd = (k: number): number => ranges[k + 1]?.start ?? original.length;
  let batch: number[] = [];
  const flush = (): void => {
    const first = batch[0];
    const last = batch[batch.length - 1];
    if (first === undefined || last === undefined) return;
    const from = (ranges[first] as StatementRange).start;
    const mayHavePlaceholders = batch.some((k) => (ranges[k] as StatementRange).mayHavePlaceholders);
    const outcome = parseSmall(original.slice(from, spanEnd(last)), { start: 0, end: 0, maxParam: 0, mayHavePlaceholders });
    take(outcome, from);
    // A broken batch is not remembered: which span broke is the parser's to say again next time.
    if (outcome.ok)
      for (const k of batch) {
        const spanStart = (ranges[k] as StatementRange).start;
        const own = outcome.statements.filter((s) => s.start >= spanStart - from && s.start < spanEnd(k) - from);
        parseMemo.set(original.slice(spanStart, spanEnd(k)), { ok: true, statements: own.map((s) => shiftStatement(s, from - spanStart)) });
      }
    batch = [];
  };
  for (let k = 0; k < ranges.length; k++) {
    const range = ranges[k] as StatementRange;
    const size = range.end - range.start;
    if (size > BATCH_CHARS) {
      flush();
      const big = parseLargeStatement(original, range);
      statements.push(...big.statements);
      if (!big.ok) error ??= big.error;
      continue;
    }
    const remembered = parseMemo.get(original.slice(range.start, spanEnd(k)));
    if (remembered !== undefined) {
      flush();
      take(remembered, range.start);
      continue;
    }
    const batchStart = batch[0] === undefined ? undefined : (ranges[batch[0]] as StatementRange).start;
    if (batchStart !== undefined && spanEnd(k) - batchStart > BATCH_CHARS) flush();
    batch.push(k);
  }
  flush();
  return error === undefined ? { ok: true, statements } : { ok: false, error, statements };
}

/**
 * One statement too large to batch. An INSERT … VALUES above the whole-text limit is parsed with its VALUES list
 * reduced to one row per shape (values-reduction.ts: same locks, any row count) and reported with its full text; a
 * statement that still has more tokens than the parser is given is refused as too large, not as a syntax error.
 */
function parseLargeStatement(original: string, range: StatementRange): ParseOutcome {
  const text = original.slice(range.start, range.end);
  // Driver placeholders are numbered across the whole list: such a statement is parsed as written.
  const reduced = text.length > WHOLE_TEXT_PARSE_LIMIT && !range.mayHavePlaceholders ? reduceValuesList(text) : undefined;
  const parsed = reduced?.text ?? text;
  const tokens = parsed.length > TOKEN_COUNT_FROM ? countTokens(parsed, MAX_ANALYSED_STATEMENT_TOKENS) : 0;
  if (tokens > MAX_ANALYSED_STATEMENT_TOKENS) {
    const error: StatementError = {
      message: `statement too large to analyse (more than ${MAX_ANALYSED_STATEMENT_TOKENS.toLocaleString('en-US')} tokens${reduced === undefined ? '' : ` in ${reduced.keptRows.toLocaleString('en-US')} distinct VALUES rows`})`,
      offset: range.start,
      start: range.start,
      end: range.end,
      tooLarge: { tokens, limitTokens: MAX_ANALYSED_STATEMENT_TOKENS },
    };
    return { ok: false, error, statements: [] };
  }
  const outcome = parseSmall(parsed, range);
  const toOriginal = (index: number): number => range.start + (reduced === undefined ? index : reduced.toOriginal(index));
  const statements = outcome.statements.map((s): Statement => {
    const start = toOriginal(s.start);
    const end = toOriginal(s.end);
    const relations =
      reduced === undefined ? s.relations : s.relations.map((r) => ({ ...r, offset: toOriginal(s.start + r.offset) - start }));
    return {
      ...s,
      sql: reduced === undefined ? s.sql : original.slice(start, end),
      start,
      end,
      relations,
      parameterCount: Math.max(s.parameterCount, range.maxParam),
    };
  });
  if (outcome.ok) return { ok: true, statements };
  const { offset, start, end } = outcome.error;
  return { ok: false, error: { ...outcome.error, offset: toOriginal(offset), start: toOriginal(start), end: toOriginal(end) }, statements };
}

/** Parses SQL text. Needs `await loadSqlParser()` once before; throws only when that was not done. */
export function parseSql(input: string): ParseOutcome {
  assertParserLoaded();
  // A UTF-8 byte order mark (editors on Windows write one) is whitespace to us; a space keeps every offset.
  const original = input.charCodeAt(0) === 0xfeff ? ` ${input.slice(1)}` : input;
  if (original.length > WHOLE_TEXT_PARSE_LIMIT) return parseLarge(original);
  let outcome = parseMemo.get(original);
  if (outcome === undefined) {
    outcome = parseSmall(original);
    parseMemo.set(original, outcome);
  }
  return outcome;
}

/**
 * A text the parser takes whole. With `range` (from statementRanges) the placeholder rewrite is skipped when no
 * driver placeholder can be there, and a large statement takes its $n from the range instead of the scanner.
 */
function parseSmall(original: string, range?: StatementRange): ParseOutcome {
  const normalized = range !== undefined && !range.mayHavePlaceholders ? identity(original) : normalizePlaceholders(original);
  try {
    return { ok: true, statements: statementsOf(normalized.text, 0, normalized, range) };
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
