/**
 * Statement boundaries: the parser's stmt_location/stmt_len (UTF-8 bytes) turned into UTF-16 ranges trimmed to the
 * statement's first and last token (no surrounding whitespace or comments), and, for texts that do not parse, the
 * top-level `;` chunks so the statements around a broken one can still be analysed.
 */
import { scanSync } from 'libpg-query';
import type { Token } from './tokens.js';
import { Utf8Offsets } from './text-offsets.js';

export interface Region {
  /** UTF-16 range in the text. */
  start: number;
  end: number;
  /** Highest $n among the region's tokens. */
  parameterCount: number;
}

/** Tokens without comments; undefined when the scanner rejects the text. */
export function codeTokens(text: string): Token[] | undefined {
  try {
    return scanSync(text).tokens.filter((t) => t.tokenName !== 'SQL_COMMENT' && t.tokenName !== 'C_COMMENT');
  } catch {
    return undefined;
  }
}

/** The UTF-16 range of the tokens inside the byte range [startByte, endByte). */
export function trimmedRegion(offsets: Utf8Offsets, tokens: readonly Token[] | undefined, startByte: number, endByte: number): Region {
  const inside: Token[] = [];
  // Binary search for the first token of the range, then walk: linear over all statements, not statements × tokens.
  const all = tokens ?? [];
  let low = 0;
  let high = all.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((all[mid] as Token).start < startByte) low = mid + 1;
    else high = mid;
  }
  for (let i = low; i < all.length && (all[i] as Token).start < endByte; i++) {
    const t = all[i] as Token;
    if (t.end <= endByte && t.text !== ';') inside.push(t);
  }
  const first = inside[0];
  const last = inside[inside.length - 1];
  let parameterCount = 0;
  for (const t of inside) if (t.tokenName === 'PARAM') parameterCount = Math.max(parameterCount, Number(t.text.slice(1)));
  if (first !== undefined && last !== undefined)
    return { start: offsets.toIndex(first.start), end: offsets.toIndex(last.end), parameterCount };
  // No tokens (the scanner failed): trim whitespace.
  const start = offsets.toIndex(startByte);
  const end = offsets.toIndex(endByte);
  const raw = offsets.text.slice(start, end);
  return { start: start + (raw.length - raw.trimStart().length), end: end - (raw.length - raw.trimEnd().length), parameterCount };
}

/** UTF-16 ranges of the text between top-level semicolons (each range includes its `;`). */
export function semicolonChunks(text: string): Array<{ start: number; end: number }> {
  const tokens = codeTokens(text);
  if (tokens === undefined) return [{ start: 0, end: text.length }];
  const offsets = new Utf8Offsets(text);
  const chunks: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const t of tokens) {
    if (t.text !== ';') continue;
    const end = offsets.toIndex(t.end);
    chunks.push({ start, end });
    start = end;
  }
  if (text.slice(start).trim() !== '' || chunks.length === 0) chunks.push({ start, end: text.length });
  return chunks;
}
