/**
 * One linear pass over SQL text that finds where statements end, the way psql does: top-level `;` outside string
 * literals (standard, E'' with backslashes), quoted identifiers, dollar quotes, `--` and nested `/* *\/` comments and
 * parentheses, and outside BEGIN … END bodies of CREATE FUNCTION/PROCEDURE. Used for texts too large to hand the
 * parser whole: memory is the list of ranges, time is one look at each character.
 */
import { endOfBlockComment } from './sql-lexer.js';

export interface StatementRange {
  /** UTF-16 index of the statement's first character that is not whitespace or comment. */
  start: number;
  /** UTF-16 index just past its last code character (before the `;`, trailing comments and whitespace). */
  end: number;
  /** Highest `$n` outside literals and comments. */
  maxParam: number;
  /** A `?`, `%` or `:name` outside literals: driver placeholders may need rewriting to `$n`. */
  mayHavePlaceholders: boolean;
}

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xfeff;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentChar = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Statement ranges of `text` in order; empty statements (`;;`, only comments) are left out. */
export function statementRanges(text: string): StatementRange[] {
  const ranges: StatementRange[] = [];
  const n = text.length;
  let start = -1; // first code character of the current statement
  let end = -1; // just past its last code character
  let depth = 0; // parentheses
  let maxParam = 0;
  let mayHavePlaceholders = false;
  let words = 0; // words seen in this statement, to recognise CREATE [OR REPLACE] FUNCTION/PROCEDURE
  let routine = false;
  let beginDepth = 0;
  const close = (): void => {
    if (start >= 0) ranges.push({ start, end, maxParam, mayHavePlaceholders });
    start = end = -1;
    depth = maxParam = beginDepth = words = 0;
    mayHavePlaceholders = routine = false;
  };
  const mark = (from: number, to: number): void => {
    if (start < 0) start = from;
    end = to;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
    if (isSpace(c)) {
      i++;
    } else if (c === 45 && next === 45) {
      const newline = text.indexOf('\n', i);
      i = newline < 0 ? n : newline + 1;
    } else if (c === 47 && next === 42) {
      i = endOfBlockComment(text, i, n);
    } else if (c === 39 || c === 34) {
      // 'literal' or "identifier"; an E right before the quote (not part of a longer word) allows backslash escapes.
      const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
      const escapes = c === 39 && (prev === 69 || prev === 101) && !(i > 1 && isIdentChar(text.charCodeAt(i - 2)));
      const from = i;
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (escapes && d === 92) i += 2;
        else if (d === c && text.charCodeAt(i + 1) === c) i += 2;
        else if (d === c) break;
        else i++;
      }
      i = Math.min(n, i + 1);
      mark(from, i);
    } else if (c === 36 && isDigit(next) && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
      const from = i;
      i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      maxParam = Math.max(maxParam, Number(text.slice(from + 1, i)));
      mark(from, i);
    } else if (c === 36 && !(i > 0 && isIdentChar(text.charCodeAt(i - 1)))) {
      // $tag$ … $tag$ (tag may be empty); a lone `$` is just a character.
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
      if (j < n && text.charCodeAt(j) === 36 && (j === i + 1 || isIdentStart(text.charCodeAt(i + 1)))) {
        const tag = text.slice(i, j + 1);
        const closing = text.indexOf(tag, j + 1);
        const from = i;
        i = closing < 0 ? n : closing + tag.length;
        mark(from, i);
      } else {
        mark(i, i + 1);
        i++;
      }
    } else if (isIdentStart(c)) {
      const from = i;
      while (i < n && isIdentChar(text.charCodeAt(i))) i++;
      mark(from, i);
      // E'…' starts at the quote: the prefix is already marked, the loop sees the quote next.
      const word = i - from <= 9 ? text.slice(from, i).toLowerCase() : '';
      words++;
      if (words <= 4 && (word === 'function' || word === 'procedure'))
        routine = routine || text.slice(start, from).trim().toLowerCase().startsWith('create');
      if (routine) {
        if (word === 'begin') beginDepth++;
        else if (word === 'case' && beginDepth > 0) beginDepth++;
        else if (word === 'end' && beginDepth > 0) beginDepth--;
      }
    } else if (c === 59) {
      if (depth === 0 && beginDepth === 0) close();
      else mark(i, i + 1);
      i++;
    } else {
      if (c === 40) depth++;
      else if (c === 41) depth = Math.max(0, depth - 1);
      else if (c === 63 || c === 37) mayHavePlaceholders = true;
      else if (c === 58 && next !== 58 && isIdentStart(next) && !(i > 0 && text.charCodeAt(i - 1) === 58)) mayHavePlaceholders = true;
      mark(i, i + 1);
      i++;
    }
  }
  close();
  return ranges;
}
