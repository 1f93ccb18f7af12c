/**
 * A small allocation-free SQL token cursor for texts too large for the parser's scanner (whose token list for a
 * 19 MB statement takes gigabytes): words, quoted identifiers, literals, `$n`, operators and punctuation, comments
 * and whitespace skipped, one look at each character. It classifies; it does not validate (the parser does that).
 */

export type SqlTokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'operator' | 'punct';

const isSpace = (c: number): boolean => c === 32 || (c >= 9 && c <= 13) || c === 0xfeff;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentChar = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57) || c === 36;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** PostgreSQL's operator characters (scan.l `op_chars`). */
const OPERATOR_CHARS = new Set('~!@#^&|`?+-*/%<>='.split('').map((ch) => ch.charCodeAt(0)));
/** Letters that make a following quote a literal's prefix: E'…', B'…', X'…', N'…'. */
const LITERAL_PREFIXES = new Set(['e', 'E', 'b', 'B', 'x', 'X', 'n', 'N']);

/** The current token is `text.slice(start, end)` of kind `kind`, after next() returned true. */
export class SqlLexer {
  kind: SqlTokenKind = 'punct';
  start = 0;
  end = 0;
  private pos: number;

  constructor(
    readonly text: string,
    from = 0,
    private readonly limit = text.length,
  ) {
    this.pos = from;
  }

  /** The current token's text (allocates; use for short tokens). */
  get value(): string {
    return this.text.slice(this.start, this.end);
  }

  /** Moves to the next token; false at the end of the text. */
  next(): boolean {
    const { text, limit } = this;
    let i = this.pos;
    // Whitespace and comments (`--` to the end of the line, nested /* */).
    for (;;) {
      while (i < limit && isSpace(text.charCodeAt(i))) i++;
      const c = text.charCodeAt(i);
      const d = text.charCodeAt(i + 1);
      if (c === 45 && d === 45) {
        const newline = text.indexOf('\n', i);
        i = newline < 0 || newline >= limit ? limit : newline + 1;
      } else if (c === 47 && d === 42) i = this.skipBlockComment(i);
      else break;
    }
    if (i >= limit) {
      this.pos = limit;
      return false;
    }
    this.start = i;
    const c = text.charCodeAt(i);
    if (c === 39 || (LITERAL_PREFIXES.has(text[i] ?? '') && text.charCodeAt(i + 1) === 39)) {
      const escapes = c === 101 || c === 69; // E'…' allows backslash escapes
      this.kind = 'string';
      i = this.skipQuoted(c === 39 ? i : i + 1, 39, escapes);
    } else if (c === 34) {
      this.kind = 'quoted';
      i = this.skipQuoted(i, 34, false);
    } else if (c === 36 && isDigit(text.charCodeAt(i + 1))) {
      this.kind = 'param';
      i++;
      while (i < limit && isDigit(text.charCodeAt(i))) i++;
    } else if (c === 36) {
      i = this.dollarQuote(i);
    } else if (isIdentStart(c)) {
      this.kind = 'word';
      while (i < limit && isIdentChar(text.charCodeAt(i))) i++;
    } else if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      this.kind = 'number';
      i = this.skipNumber(i);
    } else if (OPERATOR_CHARS.has(c)) {
      this.kind = 'operator';
      i++;
      // An operator stops where a comment starts.
      while (i < limit && OPERATOR_CHARS.has(text.charCodeAt(i))) {
        const e = text.charCodeAt(i);
        const f = text.charCodeAt(i + 1);
        if ((e === 45 && f === 45) || (e === 47 && f === 42)) break;
        i++;
      }
    } else {
      this.kind = 'punct';
      i++;
    }
    this.end = this.pos = Math.min(i, limit);
    return true;
  }

  private skipBlockComment(from: number): number {
    return endOfBlockComment(this.text, from, this.limit);
  }

  /** Past the closing quote of a literal or identifier opened at `from` (a doubled quote is part of it). */
  private skipQuoted(from: number, quote: number, escapes: boolean): number {
    const { text, limit } = this;
    let i = from + 1;
    while (i < limit) {
      const d = text.charCodeAt(i);
      if (escapes && d === 92) i += 2;
      else if (d === quote && text.charCodeAt(i + 1) === quote) i += 2;
      else if (d === quote) return i + 1;
      else i++;
    }
    return limit;
  }

  /** `$tag$ … $tag$` is a string; a `$` that opens none is an operator-like character of its own. */
  private dollarQuote(from: number): number {
    const { text, limit } = this;
    let j = from + 1;
    while (j < limit && isIdentChar(text.charCodeAt(j)) && text.charCodeAt(j) !== 36) j++;
    if (j < limit && text.charCodeAt(j) === 36 && (j === from + 1 || isIdentStart(text.charCodeAt(from + 1)))) {
      const tag = text.slice(from, j + 1);
      const closing = text.indexOf(tag, j + 1);
      this.kind = 'string';
      return closing < 0 || closing >= limit ? limit : closing + tag.length;
    }
    this.kind = 'punct';
    return from + 1;
  }

  /** Digits, a fraction, an exponent with its sign, hex/octal/binary prefixes and `_` separators. */
  private skipNumber(from: number): number {
    const { text, limit } = this;
    let i = from;
    while (i < limit) {
      const d = text.charCodeAt(i);
      if (isDigit(d) || d === 46 || d === 95 || (isIdentStart(d) && d < 128)) {
        const exponent = (d === 101 || d === 69) && (text.charCodeAt(i + 1) === 43 || text.charCodeAt(i + 1) === 45);
        i += exponent ? 2 : 1;
      } else break;
    }
    return i;
  }
}

/** Where the block comment opening at `from` ends (just past its closing star-slash, or `limit`); they nest in PostgreSQL. */
export function endOfBlockComment(text: string, from: number, limit: number): number {
  let nesting = 1;
  let i = from + 2;
  while (i < limit && nesting > 0) {
    const d = text.charCodeAt(i);
    const e = text.charCodeAt(i + 1);
    if ((d === 47 && e === 42) || (d === 42 && e === 47)) {
      nesting += d === 47 ? 1 : -1;
      i += 2;
    } else i++;
  }
  return i;
}

/** How many tokens `text` has, stopping early once past `stopAfter`. */
export function countTokens(text: string, stopAfter = Infinity): number {
  const lexer = new SqlLexer(text);
  let count = 0;
  while (count <= stopAfter && lexer.next()) count++;
  return count;
}
