/**
 * Probe parameters: each $n gets a fixed value or a generator ("int:1..1000", "pick:a,b,c"). Where values go into the
 * text (the simple protocol, EXPLAIN with values), they replace only the PARAM tokens PostgreSQL's own lexer finds —
 * never a `$1` inside a string literal, a quoted identifier or a comment — as literals that cannot end early.
 */
import { codeTokens } from '../sql/split.js';
import { Utf8Offsets } from '../sql/text-offsets.js';

export type ParamSpec = { kind: 'fixed'; value: string } | { kind: 'int'; min: number; max: number } | { kind: 'pick'; values: string[] };

/** A value PostgreSQL text cannot hold (NUL) is refused where the spec is read, with this message. */
function assertNoNul(value: string, text: string): void {
  if (value.includes('\u0000'))
    throw new Error(`"${text.split('\u0000').join('\\0')}" contains a NUL character, which PostgreSQL text cannot hold`);
}

export function parseParamSpec(text: string): ParamSpec {
  const range = /^int:(-?\d+)\.\.(-?\d+)$/.exec(text);
  if (range !== null) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    if (max < min) throw new Error(`empty range in "${text}"`);
    return { kind: 'int', min, max };
  }
  assertNoNul(text, text);
  if (text.startsWith('pick:')) return { kind: 'pick', values: text.slice(5).split(',') };
  return { kind: 'fixed', value: text };
}

/**
 * A SQL literal: numbers as they are (negative ones in parentheses, so `x-$1` cannot become the comment `x--1`),
 * anything else single-quoted with quotes doubled, as E'' with backslashes doubled when it holds a backslash (so the
 * meaning does not depend on standard_conforming_strings). NUL is refused.
 */
export function literal(value: string): string {
  if (value.includes('\u0000')) throw new Error('a parameter value contains a NUL character, which PostgreSQL text cannot hold');
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  if (/^-\d+(\.\d+)?$/.test(value)) return `(${value})`;
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}

export function drawValue(spec: ParamSpec, random: () => number): string {
  switch (spec.kind) {
    case 'fixed':
      return spec.value;
    case 'int':
      return String(spec.min + Math.floor(random() * (spec.max - spec.min + 1)));
    case 'pick':
      return spec.values[Math.floor(random() * spec.values.length)] ?? '';
  }
}

/** A statement cut at its parameter tokens: text = parts[0] + $refs[0]+1 + parts[1] + … */
export interface ParameterSlots {
  /** Static text around the placeholders: parts.length === refs.length + 1. */
  parts: string[];
  /** 0-based parameter index of each placeholder ($1 → 0). */
  refs: number[];
  /** Each placeholder as written, kept when no value fills it. */
  placeholders: string[];
}

/**
 * Cuts `sql` at the PARAM tokens of PostgreSQL's lexer (libpg-query's scanner; needs the parser loaded). A text the
 * lexer rejects has no slots: it is sent as written, and the server reports the error.
 */
export function parameterSlots(sql: string): ParameterSlots {
  const parts: string[] = [];
  const refs: number[] = [];
  const placeholders: string[] = [];
  const offsets = new Utf8Offsets(sql);
  let last = 0;
  for (const token of codeTokens(sql) ?? []) {
    if (token.tokenName !== 'PARAM') continue;
    const start = offsets.toIndex(token.start);
    const end = offsets.toIndex(token.end);
    parts.push(sql.slice(last, start));
    refs.push(Number(token.text.slice(1)) - 1);
    placeholders.push(sql.slice(start, end));
    last = end;
  }
  parts.push(sql.slice(last));
  return { parts, refs, placeholders };
}

/** Joins slots with one literal per parameter index (a missing one keeps its placeholder). */
export function fillSlots(slots: ParameterSlots, literals: readonly (string | undefined)[]): string {
  let sql = slots.parts[0] ?? '';
  for (let i = 0; i < slots.refs.length; i++)
    sql += (literals[slots.refs[i] ?? 0] ?? slots.placeholders[i] ?? '') + (slots.parts[i + 1] ?? '');
  return sql;
}

/** Replaces the statement's parameter tokens (not `$1` in strings or comments) with literals drawn for this call. */
export function renderStatement(sql: string, specs: readonly ParamSpec[], random: () => number): string {
  return fillSlots(
    parameterSlots(sql),
    specs.map((s) => literal(drawValue(s, random))),
  );
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
