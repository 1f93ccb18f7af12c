/**
 * Rewrites driver placeholders (`?`, `:name`, `%s`, `%(name)s`) to PostgreSQL's `$n` using the real SQL scanner,
 * so string literals, comments, dollar quotes, `::` casts, array slices and the JSONB `?`, `?|`, `?&` operators
 * are left alone. Keeps a map from the rewritten text back to the original for offsets.
 */
import { scanSync } from 'libpg-query';
import { Utf8Offsets } from './text-offsets.js';

export interface Normalized {
  text: string;
  parameterCount: number;
  /** Maps an index in `text` to the index in the original. */
  toOriginal(index: number): number;
}

interface Token {
  start: number;
  end: number;
  text: string;
  tokenName: string;
}

/** Tokens after which an operand (not an operator) is expected: there a `?` is a placeholder. */
const OPERAND_EXPECTED = new Set([
  '=', '<', '>', '<=', '>=', '<>', '!=', '(', ',', '+', '-', '*', '/', '||', 'in', 'values', 'and', 'or', 'not', 'like', 'ilike',
  'between', 'limit', 'offset', 'then', 'else', 'when', 'set', 'is', 'select', 'by', 'return', 'returning', 'case', 'any', 'all',
  'some', 'array', '[', 'distinct', 'from', 'where', 'having', 'on', 'using', 'to', 'with',
]);

function expectsOperand(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.tokenName === 'IDENT' || previous.tokenName === 'SCONST' || previous.tokenName === 'ICONST' || previous.tokenName === 'FCONST' || previous.tokenName === 'PARAM') return false;
  if (previous.text === ')' || previous.text === ']') return false;
  return OPERAND_EXPECTED.has(previous.text.toLowerCase());
}

export function normalizePlaceholders(original: string): Normalized {
  let tokens: Token[];
  try {
    tokens = scanSync(original).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  } catch {
    return { text: original, parameterCount: 0, toOriginal: (i) => i };
  }
  const offsets = new Utf8Offsets(original);
  let highest = 0;
  for (const t of tokens) if (t.tokenName === 'PARAM') highest = Math.max(highest, Number(t.text.slice(1)));
  const named = new Map<string, number>();
  const edits: Array<{ start: number; end: number; replacement: string }> = [];
  let bracketDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const next = tokens[i + 1];
    const previous = tokens[i - 1];
    if (t.text === '[') bracketDepth++;
    if (t.text === ']') bracketDepth = Math.max(0, bracketDepth - 1);
    const adjacent = (a: Token | undefined, b: Token | undefined): boolean => a !== undefined && b !== undefined && a.end === b.start;
    if (t.text === '?' && expectsOperand(previous)) {
      edits.push({ start: t.start, end: t.end, replacement: `$${++highest}` });
    } else if (t.text === ':' && bracketDepth === 0 && next !== undefined && adjacent(t, next) && /^[A-Za-z_]\w*$/.test(next.text) && expectsOperand(previous)) {
      const n = named.get(next.text) ?? ++highest;
      named.set(next.text, n);
      edits.push({ start: t.start, end: next.end, replacement: `$${n}` });
      i++;
    } else if (t.text === '%' && next?.text === 's' && adjacent(t, next) && expectsOperand(previous)) {
      edits.push({ start: t.start, end: next.end, replacement: `$${++highest}` });
      i++;
    } else if (t.text === '%' && next?.text === '(' && expectsOperand(previous)) {
      const name = tokens[i + 2];
      const close = tokens[i + 3];
      const s = tokens[i + 4];
      if (name !== undefined && close?.text === ')' && s?.text === 's' && adjacent(t, next) && adjacent(close, s)) {
        const n = named.get(name.text) ?? ++highest;
        named.set(name.text, n);
        edits.push({ start: t.start, end: s.end, replacement: `$${n}` });
        i += 4;
      }
    }
  }
  if (edits.length === 0) return { text: original, parameterCount: highest, toOriginal: (i) => i };
  // Apply edits (byte offsets → string indexes) and remember where each rewritten piece came from.
  const pieces: string[] = [];
  const anchors: Array<{ at: number; original: number }> = [];
  let cursor = 0;
  let length = 0;
  for (const edit of edits) {
    const from = offsets.toIndex(edit.start);
    const to = offsets.toIndex(edit.end);
    pieces.push(original.slice(cursor, from));
    length += from - cursor;
    anchors.push({ at: length, original: from });
    pieces.push(edit.replacement);
    length += edit.replacement.length;
    anchors.push({ at: length, original: to });
    cursor = to;
  }
  pieces.push(original.slice(cursor));
  const text = pieces.join('');
  return {
    text,
    parameterCount: highest,
    toOriginal(index: number): number {
      let best = { at: 0, original: 0 };
      for (const anchor of anchors) if (anchor.at <= index) best = anchor;
      return best.original + (index - best.at);
    },
  };
}
