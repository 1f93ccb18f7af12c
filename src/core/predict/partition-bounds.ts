/** Parses partition bound text (pg_get_expr(relpartbound)) and decides which partitions plan-time pruning keeps. */
import type { ConstValue } from '../sql/ast.js';

/** `label`: a value of a type whose order Lockscope does not know (an enum): equal or not, never less or greater. */
export type BoundValue = ConstValue | { kind: 'minvalue' } | { kind: 'maxvalue' } | { kind: 'label'; value: string };

const unordered = (v: BoundValue): boolean => v.kind === 'label';

export type PartitionBound =
  | { kind: 'default' }
  | { kind: 'list'; values: BoundValue[] }
  | { kind: 'range'; from: BoundValue[]; to: BoundValue[] }
  | { kind: 'hash'; modulus: number; remainder: number }
  | { kind: 'unknown' };

/** Splits "(a, 'b,c', 3)" into its top-level items. */
function splitItems(inner: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted = false;
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] ?? '';
    if (quoted) {
      current += ch;
      if (ch === "'" && inner[i + 1] === "'") {
        current += "'";
        i++;
      } else if (ch === "'") quoted = false;
      continue;
    }
    if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      items.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') items.push(current.trim());
  return items;
}

function boundValue(text: string): BoundValue {
  const t = text.trim();
  if (/^minvalue$/i.test(t)) return { kind: 'minvalue' };
  if (/^maxvalue$/i.test(t)) return { kind: 'maxvalue' };
  if (/^null$/i.test(t)) return { kind: 'null' };
  const quoted = /^'((?:[^']|'')*)'(?:::[\w\s".]+)?$/.exec(t);
  if (quoted) return { kind: 'string', value: (quoted[1] ?? '').replace(/''/g, "'") };
  if (/^-?\d+$/.test(t)) return { kind: 'number', value: BigInt(t) };
  if (/^-?\d*\.\d+(e-?\d+)?$/i.test(t)) return { kind: 'number', value: Number(t) };
  return { kind: 'string', value: t };
}

/** Parenthesised group starting at `from`: returns its inner text and the index after ')'. */
function group(text: string, from: number): { inner: string; next: number } | undefined {
  const open = text.indexOf('(', from);
  if (open < 0) return undefined;
  let depth = 0;
  let quoted = false;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "'" && text[i + 1] === "'") i++;
      else if (ch === "'") quoted = false;
    } else if (ch === "'") quoted = true;
    else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { inner: text.slice(open + 1, i), next: i + 1 };
  }
  return undefined;
}

export function parsePartitionBound(text: string | undefined): PartitionBound {
  if (text === undefined) return { kind: 'unknown' };
  const t = text.trim();
  if (/^DEFAULT$/i.test(t)) return { kind: 'default' };
  if (/^FOR VALUES IN/i.test(t)) {
    const g = group(t, 0);
    return g ? { kind: 'list', values: splitItems(g.inner).map(boundValue) } : { kind: 'unknown' };
  }
  if (/^FOR VALUES FROM/i.test(t)) {
    const from = group(t, 0);
    const to = from ? group(t, from.next) : undefined;
    if (!from || !to) return { kind: 'unknown' };
    return { kind: 'range', from: splitItems(from.inner).map(boundValue), to: splitItems(to.inner).map(boundValue) };
  }
  const hash = /modulus\s+(\d+),\s*remainder\s+(\d+)/i.exec(t);
  if (hash) return { kind: 'hash', modulus: Number(hash[1]), remainder: Number(hash[2]) };
  return { kind: 'unknown' };
}

/** -1/0/1, or undefined when the two values cannot be compared (different kinds). */
export function compareValues(a: BoundValue, b: BoundValue): number | undefined {
  if (a.kind === 'minvalue') return b.kind === 'minvalue' ? 0 : -1;
  if (a.kind === 'maxvalue') return b.kind === 'maxvalue' ? 0 : 1;
  if (b.kind === 'minvalue') return 1;
  if (b.kind === 'maxvalue') return -1;
  if (a.kind === 'number' && b.kind === 'number') {
    const x = a.value;
    const y = b.value;
    if (typeof x === 'bigint' && typeof y === 'bigint') return x < y ? -1 : x > y ? 1 : 0;
    return Number(x) < Number(y) ? -1 : Number(x) > Number(y) ? 1 : 0;
  }
  if (a.kind === 'label' && b.kind === 'label') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a.kind === 'string' && b.kind === 'string') {
    const x = temporalValue(a.value);
    const y = temporalValue(b.value);
    if (x !== undefined && y !== undefined) return x < y ? -1 : x > y ? 1 : 0;
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  return undefined;
}

const TEMPORAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(?:([+-])(\d{2})(?::?(\d{2}))?)?$/;

/**
 * Dates and timestamps as milliseconds, so '2026-03-01' equals the bound '2026-03-01 00:00:00+00'. A value
 * without an offset is taken as UTC: bounds are printed in the loading session's time zone (UTC for Lockscope).
 */
export function temporalValue(text: string): number | undefined {
  const m = TEMPORAL.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, sec, frac, sign, oh, om] = m;
  const utc = Date.UTC(
    Number(y),
    Number(mo) - 1,
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(sec ?? 0),
    Number(`0.${frac ?? '0'}`) * 1000,
  );
  const offset = sign === undefined ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om ?? 0)) * 60000;
  return utc - offset;
}

/**
 * A restriction on the partition key from one WHERE conjunct. `ne` (`<>`, NOT IN, `<> ALL`) prunes only list
 * partitions all of whose values it excludes.
 */
export type KeyRestriction =
  | { op: '=' | '<' | '<=' | '>' | '>='; value: BoundValue }
  | { op: 'in' | 'ne'; values: BoundValue[] }
  | { op: 'param-eq' }
  | { op: 'is-null' }
  | { op: 'is-not-null' };

function rangeAdmits(bound: { from: BoundValue[]; to: BoundValue[] }, r: KeyRestriction): boolean {
  const lo = bound.from[0];
  const hi = bound.to[0];
  if (lo === undefined || hi === undefined) return true;
  const cmp = (a: BoundValue, b: BoundValue): number => compareValues(a, b) ?? 0;
  if ('value' in r && (unordered(r.value) || unordered(lo) || unordered(hi))) return true;
  switch (r.op) {
    case '=':
      return compareValues(r.value, lo) === undefined || (cmp(lo, r.value) <= 0 && cmp(r.value, hi) < 0);
    case 'in':
      return r.values.some((v) => rangeAdmits(bound, { op: '=', value: v }));
    case '<':
      return cmp(lo, r.value) < 0;
    case '<=':
      return cmp(lo, r.value) <= 0;
    case '>':
    case '>=':
      // Postgres compares bounds without knowing the type is discrete: [100,200) is kept for k > 199.
      return cmp(hi, r.value) > 0;
    case 'is-null':
      return false;
    case 'param-eq':
    case 'ne':
    case 'is-not-null':
      return true;
  }
}

function listAdmits(values: BoundValue[], r: KeyRestriction): boolean {
  switch (r.op) {
    case '=':
      // NULL in a list bound never equals a value.
      return values.some((v) => v.kind !== 'null' && (compareValues(v, r.value) === 0 || compareValues(v, r.value) === undefined));
    case 'in':
      return r.values.some((x) => listAdmits(values, { op: '=', value: x }));
    case 'is-null':
      return values.some((v) => v.kind === 'null');
    case 'is-not-null':
      return values.some((v) => v.kind !== 'null');
    case 'ne':
      return values.some((v) => v.kind === 'null' || !r.values.some((x) => compareValues(v, x) === 0));
    case 'param-eq':
      return true;
    default: {
      const range = r as { op: '<' | '<=' | '>' | '>='; value: BoundValue };
      return values.some(
        (v) =>
          v.kind !== 'null' &&
          (unordered(v) || unordered(range.value) || compareValues(v, range.value) === undefined || satisfies(v, range)),
      );
    }
  }
}

function satisfies(v: BoundValue, r: { op: '<' | '<=' | '>' | '>='; value: BoundValue }): boolean {
  const c = compareValues(v, r.value) ?? 0;
  return r.op === '<' ? c < 0 : r.op === '<=' ? c <= 0 : r.op === '>' ? c > 0 : c >= 0;
}

/** Does a partition with this bound survive all restrictions? Default partitions are decided by the caller. */
export function boundAdmits(bound: PartitionBound, restrictions: KeyRestriction[]): boolean {
  switch (bound.kind) {
    case 'range':
      return restrictions.every((r) => rangeAdmits(bound, r));
    case 'list':
      // One value of the list must satisfy every restriction at once.
      return bound.values.some((v) => restrictions.every((r) => listAdmits([v], r)));
    default:
      return true;
  }
}
