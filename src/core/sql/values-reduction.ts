/**
 * A huge multi-row INSERT … VALUES reduced to the rows that can change its locks, so it can be analysed (#18).
 * The locks of a VALUES list are the union of each row's: a row of constants opens nothing, a row with a subquery or
 * a call opens what its expression does. Rows are grouped by their shape — the token sequence with constants
 * replaced by their kind — and the first row of each shape is kept, so a 19 MB dump of constant rows becomes a
 * statement of a few rows while a row that differs in any word, identifier, operator or nesting stays. A constant
 * given straight to a function call (`nextval('orders_id_seq')`, `pg_advisory_xact_lock(42)`) is kept verbatim in
 * the shape: it may name what is locked. A row that is not valid SQL has a shape of its own, so the parser still
 * sees it.
 */
import { SqlLexer } from './sql-lexer.js';

export interface ReducedValues {
  /** The statement with only the kept rows. */
  text: string;
  /** Rows in the original VALUES list and rows kept. */
  totalRows: number;
  keptRows: number;
  /** Maps an index in `text` to the index in the original statement. */
  toOriginal(index: number): number;
}

/** Words before `(` that open an expression, not a call: literals inside stay anonymous. */
const NOT_CALLS = new Set([
  'in',
  'row',
  'array',
  'any',
  'all',
  'some',
  'exists',
  'values',
  'select',
  'where',
  'and',
  'or',
  'not',
  'then',
  'else',
  'when',
  'on',
  'as',
]);

interface Piece {
  /** Start in the reduced text and in the original, and length (the same in both). */
  at: number;
  from: number;
  length: number;
}

/** Where the VALUES keyword of `INSERT … VALUES` ends, or -1 (INSERT … SELECT, DEFAULT VALUES, anything else). */
function valuesKeywordEnd(lexer: SqlLexer): number {
  let depth = 0;
  let inserting = false;
  let first = true;
  while (lexer.next()) {
    const word = lexer.kind === 'word' && lexer.end - lexer.start <= 7 ? lexer.value.toLowerCase() : '';
    if (first && word !== 'insert' && word !== 'with') return -1;
    first = false;
    if (lexer.kind === 'punct') {
      const c = lexer.text.charCodeAt(lexer.start);
      if (c === 40) depth++;
      else if (c === 41) depth--;
    }
    if (depth !== 0) continue;
    if (word === 'insert') inserting = true;
    else if (inserting && (word === 'select' || word === 'default')) return -1;
    else if (inserting && word === 'values') return lexer.end;
  }
  return -1;
}

/** The shape of the row whose `(` the lexer is on; leaves the lexer on its `)`. Undefined if it never closes. */
function rowShape(lexer: SqlLexer): string | undefined {
  const parts: string[] = ['('];
  const callParens: boolean[] = [false];
  let previousWord = '';
  while (lexer.next()) {
    const { kind, text, start } = lexer;
    const c = text.charCodeAt(start);
    if (kind === 'punct' && c === 40) {
      callParens.push(previousWord !== '' && !NOT_CALLS.has(previousWord));
      parts.push('(');
    } else if (kind === 'punct' && c === 41) {
      callParens.pop();
      parts.push(')');
      if (callParens.length === 0) return parts.join(' ');
    } else if (kind === 'string' || kind === 'number') {
      // A constant directly inside a call may name a relation or a lock key; elsewhere only its kind matters.
      parts.push(callParens[callParens.length - 1] === true ? lexer.value : kind === 'string' ? "'" : '0');
    } else if (kind === 'param') parts.push('$');
    else parts.push(kind === 'word' ? lexer.value.toLowerCase() : lexer.value);
    previousWord = kind === 'word' ? lexer.value.toLowerCase() : kind === 'quoted' ? lexer.value : '';
  }
  return undefined;
}

/**
 * `sql` (one statement, no trailing `;`) with its VALUES rows reduced to one per shape, or undefined when it is not
 * an INSERT … VALUES of several rows or no row can be left out.
 */
export function reduceValuesList(sql: string): ReducedValues | undefined {
  const lexer = new SqlLexer(sql);
  if (valuesKeywordEnd(lexer) < 0) return undefined;
  const kept: Array<{ start: number; end: number }> = [];
  const shapes = new Set<string>();
  let totalRows = 0;
  let suffixStart = sql.length;
  for (;;) {
    if (!lexer.next() || lexer.kind !== 'punct' || sql.charCodeAt(lexer.start) !== 40) return undefined;
    const rowStart = lexer.start;
    const shape = rowShape(lexer);
    if (shape === undefined) return undefined;
    totalRows++;
    if (!shapes.has(shape)) {
      shapes.add(shape);
      kept.push({ start: rowStart, end: lexer.end });
    }
    if (!lexer.next()) break;
    if (lexer.kind !== 'punct' || sql.charCodeAt(lexer.start) !== 44) {
      suffixStart = lexer.start;
      break;
    }
  }
  if (kept.length === totalRows) return undefined;
  return assemble(sql, kept, suffixStart, totalRows);
}

/** The reduced text: everything before the first row, the kept rows joined by `, `, then what follows the list. */
function assemble(sql: string, kept: Array<{ start: number; end: number }>, suffixStart: number, totalRows: number): ReducedValues {
  const pieces: Piece[] = [];
  const chunks: string[] = [];
  let at = 0;
  const add = (from: number, to: number, separator: string): void => {
    at += separator.length;
    chunks.push(separator, sql.slice(from, to));
    pieces.push({ at, from, length: to - from });
    at += to - from;
  };
  add(0, (kept[0] as { start: number }).start, '');
  kept.forEach((row, i) => add(row.start, row.end, i === 0 ? '' : ', '));
  // Always a last piece, empty when the list ends the statement: the reduced end maps to the original end.
  add(suffixStart, sql.length, suffixStart < sql.length ? ' ' : '');
  const text = chunks.join('');
  const toOriginal = (index: number): number => {
    let low = 0;
    let high = pieces.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((pieces[mid] as Piece).at <= index) low = mid;
      else high = mid - 1;
    }
    const piece = pieces[low] as Piece;
    return piece.from + Math.min(Math.max(0, index - piece.at), piece.length);
  };
  return { text, totalRows, keptRows: kept.length, toOriginal };
}
