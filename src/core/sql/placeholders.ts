/**
 * Rewrites driver placeholders (`?`, `:name`, `%s`, `%(name)s`) to PostgreSQL's `$n` with the real SQL scanner, so
 * string literals, comments, dollar quotes, `::` casts, array slices and the JSONB `?`, `?|`, `?&` operators stay.
 * Numbering restarts after each top-level `;` (each statement gets its own $1…), after the highest `$n` already there.
 * Keeps a map from the rewritten text back to the original for offsets.
 */
import { scanSync } from 'libpg-query';
import { Utf8Offsets } from './text-offsets.js';
import { type Token, endsOperand, startsOperand } from './tokens.js';

export interface Normalized {
  text: string;
  /** The highest $n any statement of the text uses. */
  parameterCount: number;
  /** Maps an index in `text` to the index in the original. */
  toOriginal(index: number): number;
  /** The comment-free tokens of `text`, when the rewrite scanned it and left it as it was (the parse reuses them). */
  tokens?: readonly Token[];
}

/** Operators the scanner glues to a following `?` or `%` (`id=?`, `v=%s`): the glued char is the placeholder's. */
const SPLITTABLE_OPERATORS = new Set(['=', '<>', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '||']);

interface Edit {
  /** Byte offsets in the original. */
  start: number;
  end: number;
  /** Key for numbering: a name (`:id`, `%(id)s`) reuses its number within a statement. */
  name: string | undefined;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function adjacent(a: Token | undefined, b: Token | undefined): boolean {
  return a !== undefined && b !== undefined && a.end === b.start;
}

/** Placeholder edits of one statement's tokens (comments already removed). */
function findPlaceholders(tokens: readonly Token[]): Edit[] {
  const edits: Edit[] = [];
  let bracketDepth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.text === '[') bracketDepth++;
    if (t.text === ']') bracketDepth = Math.max(0, bracketDepth - 1);
    // `id=?` / `v=%s`: the scanner returns one operator token; split off the last character.
    const glued = t.tokenType === OP_TOKEN && t.text.length > 1 && SPLITTABLE_OPERATORS.has(t.text.slice(0, -1));
    const char = glued ? t.text.slice(-1) : t.text;
    const start = glued ? t.end - 1 : t.start;
    const afterOperator = glued || !endsOperand(previous);
    if (char === '?' && (glued || t.tokenType === OP_TOKEN)) {
      // The JSONB `?` operator sits between two operands; a placeholder follows an operator or keyword, or ends
      // the expression (`ORDER BY ?`, `… = ? AND`).
      // A placeholder right after (`doc ? :key`, `doc ? %s`, `doc ? ?`) is an operand too.
      const placeholderNext =
        next !== undefined && (next.text === '?' || ((next.text === ':' || next.text === '%') && adjacent(next, tokens[i + 2])));
      if (afterOperator || !(startsOperand(next) || placeholderNext)) edits.push({ start, end: t.end, name: undefined });
    } else if (char === '%' && afterOperator && next !== undefined && adjacent(t, next)) {
      if (next.text === 's') {
        edits.push({ start, end: next.end, name: undefined });
        i++;
      } else if (next.text === '(') {
        const name = tokens[i + 2];
        const close = tokens[i + 3];
        const s = tokens[i + 4];
        if (name !== undefined && close?.text === ')' && s?.text === 's' && adjacent(close, s)) {
          edits.push({ start, end: s.end, name: name.text });
          i += 4;
        }
      }
    } else if (t.text === ':' && bracketDepth === 0 && adjacent(t, next) && IDENTIFIER.test(next?.text ?? '') && afterOperator) {
      edits.push({ start: t.start, end: (next as Token).end, name: (next as Token).text });
      i++;
    }
  }
  return edits;
}

/** The scanner's token type for operators (`Op` in gram.y). */
const OP_TOKEN = 265;
const SEMICOLON = 59;

/** Characters every placeholder and every `$n` contains: a text without any has nothing to rewrite or count. */
const PLACEHOLDER_CHARS = /[?:%$]/;

/**
 * Rewrites of short texts, remembered: a scanner normalises each raw-SQL site before parsing it, so re-scanning a file
 * after a keystroke scanned every unchanged site's SQL again (a tenth of a 5,000-line Python file's re-lint). Shared
 * results: callers treat them, tokens included, as read-only. Emptied when full (cheap, and re-filled by the next scan).
 */
const remembered = new Map<string, Normalized>();
const REMEMBERED_MAX_CHARS = 2048;
const REMEMBERED_MAX_ENTRIES = 4096;

export function normalizePlaceholders(original: string): Normalized {
  // Most statements written out have none of them: no scanner call (a third of a short statement's parse).
  if (!PLACEHOLDER_CHARS.test(original)) return { text: original, parameterCount: 0, toOriginal: (i) => i };
  if (original.length > REMEMBERED_MAX_CHARS) return rewritePlaceholders(original);
  const known = remembered.get(original);
  if (known !== undefined) return known;
  if (remembered.size >= REMEMBERED_MAX_ENTRIES) remembered.clear();
  const normalized = rewritePlaceholders(original);
  remembered.set(original, normalized);
  return normalized;
}

function rewritePlaceholders(original: string): Normalized {
  let tokens: Token[];
  try {
    tokens = scanSync(original).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  } catch {
    // Unterminated literal or comment: the parser will report it; nothing can be rewritten safely.
    return { text: original, parameterCount: 0, toOriginal: (i) => i };
  }
  const edits: Array<Edit & { replacement: string }> = [];
  let parameterCount = 0;
  let segmentStart = 0;
  for (let i = 0; i <= tokens.length; i++) {
    if (i < tokens.length && tokens[i]?.tokenType !== SEMICOLON) continue;
    const segment = tokens.slice(segmentStart, i);
    segmentStart = i + 1;
    let highest = 0;
    for (const t of segment) if (t.tokenName === 'PARAM') highest = Math.max(highest, Number(t.text.slice(1)));
    const named = new Map<string, number>();
    for (const edit of findPlaceholders(segment)) {
      let n = edit.name === undefined ? undefined : named.get(edit.name);
      if (n === undefined) {
        n = ++highest;
        if (edit.name !== undefined) named.set(edit.name, n);
      }
      edits.push({ ...edit, replacement: `$${n}` });
    }
    parameterCount = Math.max(parameterCount, highest);
  }
  if (edits.length === 0) return { text: original, parameterCount, toOriginal: (i) => i, tokens };
  return applyEdits(original, edits, parameterCount);
}

function applyEdits(original: string, edits: ReadonlyArray<Edit & { replacement: string }>, parameterCount: number): Normalized {
  const offsets = new Utf8Offsets(original);
  const pieces: string[] = [];
  /** Pairs (index in the rewritten text, index in the original) at each edit boundary, ascending. */
  const anchors: Array<{ at: number; original: number }> = [{ at: 0, original: 0 }];
  let cursor = 0;
  let length = 0;
  for (const edit of edits) {
    const from = offsets.toIndex(edit.start);
    const to = offsets.toIndex(edit.end);
    pieces.push(original.slice(cursor, from), edit.replacement);
    length += from - cursor;
    anchors.push({ at: length, original: from });
    length += edit.replacement.length;
    anchors.push({ at: length, original: to });
    cursor = to;
  }
  pieces.push(original.slice(cursor));
  return {
    text: pieces.join(''),
    parameterCount,
    toOriginal(index: number): number {
      let lo = 0;
      let hi = anchors.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if ((anchors[mid]?.at ?? 0) <= index) lo = mid;
        else hi = mid - 1;
      }
      const anchor = anchors[lo] ?? { at: 0, original: 0 };
      // Inside a replacement (`$12` for `?`) every index maps to the placeholder's start.
      const odd = lo % 2 === 1;
      return odd ? anchor.original + Math.min(index - anchor.at, 0) : anchor.original + (index - anchor.at);
    },
  };
}
