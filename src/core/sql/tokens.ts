/**
 * Classifies scanner tokens for the placeholder rewriter: can a token end an operand (so a following `?` is the
 * JSONB operator) or start one (so a preceding `?` is an operator, not a value)?
 */

/** A token as libpg-query's `scanSync` returns it (offsets are UTF-8 bytes). */
export interface Token {
  start: number;
  end: number;
  text: string;
  tokenType: number;
  tokenName: string;
  keywordKind: number;
}

const RESERVED_KEYWORD = 4;

/** Tokens that are values by themselves. */
const VALUE_TOKENS = new Set(['IDENT', 'UIDENT', 'SCONST', 'USCONST', 'ICONST', 'FCONST', 'BCONST', 'XCONST', 'PARAM']);

/** Reserved keywords that are values (`NULL ? …` is an operator use, however odd). */
const VALUE_KEYWORDS = new Set([
  'null',
  'true',
  'false',
  'current_date',
  'current_time',
  'current_timestamp',
  'current_user',
  'current_role',
  'current_catalog',
  'session_user',
  'user',
  'localtime',
  'localtimestamp',
]);

/**
 * Non-reserved keywords after which an operand is expected: `ORDER BY ?`, `SET ?`, `VALUES (?)`… Every other
 * non-reserved keyword (value, name, type, key…) is usually a column name and so ends an operand.
 */
const OPERAND_EXPECTED_KEYWORDS = new Set([
  'by',
  'set',
  'values',
  'between',
  'like',
  'ilike',
  'similar',
  'in',
  'is',
  'not',
  'and',
  'or',
  'then',
  'else',
  'when',
  'return',
  'returns',
  'returning',
  'any',
  'all',
  'some',
  'exists',
  'using',
  'over',
  'partition',
  'rows',
  'range',
  'escape',
  'overlaps',
  'isnull',
  'notnull',
  'to',
  'at',
  'zone',
  'first',
  'next',
  'nulls',
]);

/** Reserved keywords that can begin an expression (so `x ? CASE …` reads as the operator). */
const OPERAND_START_KEYWORDS = new Set([...VALUE_KEYWORDS, 'not', 'case', 'array', 'cast', 'exists', 'row']);

export function endsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (VALUE_TOKENS.has(token.tokenName)) return true;
  if (token.text === ')' || token.text === ']') return true;
  const word = token.text.toLowerCase();
  if (token.keywordKind === RESERVED_KEYWORD) return VALUE_KEYWORDS.has(word);
  if (token.keywordKind > 0) return !OPERAND_EXPECTED_KEYWORDS.has(word);
  return false;
}

export function startsOperand(token: Token | undefined): boolean {
  if (token === undefined) return false;
  if (VALUE_TOKENS.has(token.tokenName)) return true;
  if (token.text === '(' || token.text === '[') return true;
  const word = token.text.toLowerCase();
  if (token.keywordKind === RESERVED_KEYWORD) return OPERAND_START_KEYWORDS.has(word);
  if (token.keywordKind > 0) return !OPERAND_EXPECTED_KEYWORDS.has(word) || word === 'not' || word === 'exists';
  // Unary operators (`- 1`, `@ x`) begin operands too; `)`, `,`, `;` and binary-only punctuation do not.
  return token.text === '-' || token.text === '+' || token.text === '@' || token.text === '~';
}
