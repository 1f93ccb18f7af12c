/**
 * Partition-key values read as the key column's type, the way PostgreSQL compares them: a bound printed '100' and a
 * query's 100 are the same bigint, '2026-01-05' is a date, '{…}' a uuid — never compared by their spelling.
 */
import type { CatalogEnumLabel } from '../catalog.js';
import type { BoundValue } from './partition-bounds.js';
import { temporalValue } from './partition-bounds.js';

/**
 * How values of a key type compare. `other` (enums, ranges, arrays…): by label, equality only. `untyped`: the snapshot
 * has no type for the column (hand-built catalogs): values compare as spelled.
 */
export type KeyFamily =
  'integer' | 'numeric' | 'float' | 'text' | 'date' | 'timestamp' | 'timestamptz' | 'uuid' | 'boolean' | 'other' | 'untyped';

/** The family of a format_type() spelling, e.g. "bigint", "character varying(20)", "timestamp(3) with time zone". */
export function keyFamily(typeName: string | undefined): KeyFamily {
  if (typeName === undefined) return 'untyped';
  const t = (typeName ?? '').toLowerCase().replace(/\(\d+(,\s*\d+)?\)/, '');
  if (['smallint', 'integer', 'bigint', 'int2', 'int4', 'int8', 'int'].includes(t)) return 'integer';
  if (t === 'numeric' || t === 'decimal') return 'numeric';
  if (t === 'real' || t === 'double precision' || t === 'float4' || t === 'float8') return 'float';
  if (['text', 'character varying', 'varchar', 'character', 'char', 'bpchar', 'name', 'citext'].includes(t)) return 'text';
  if (t === 'date') return 'date';
  if (t === 'timestamp without time zone' || t === 'timestamp') return 'timestamp';
  if (t === 'timestamp with time zone' || t === 'timestamptz') return 'timestamptz';
  if (t === 'uuid') return 'uuid';
  if (t === 'boolean' || t === 'bool') return 'boolean';
  return 'other';
}

/** Scale for exact numeric comparison: numeric values become integers of 10^-30. */
const NUMERIC_SCALE = 30;

function scaledDecimal(text: string): bigint | undefined {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?\s*$/i.exec(text);
  if (m === null || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const [, sign, whole = '', frac = '', exp = '0'] = m;
  const shift = NUMERIC_SCALE + Number(exp) - frac.length;
  if (shift < 0 || shift > 400) return undefined;
  const magnitude = BigInt(`${whole}${frac}` || '0') * 10n ** BigInt(shift);
  return sign === '-' ? -magnitude : magnitude;
}

const TRUE_WORDS = new Set(['t', 'true', 'y', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['f', 'false', 'n', 'no', 'off', '0']);

const textOf = (v: BoundValue): string | undefined =>
  v.kind === 'string' || v.kind === 'label' ? v.value : v.kind === 'number' ? String(v.value) : undefined;

/**
 * `value` read as a value of `family`, comparable with compareValues: numbers as bigint (integers, numeric scaled,
 * booleans 0/1, dates and timestamps in ms, enum labels as their position in sort order when `enumLabels` is known),
 * text and uuids as strings. undefined when it cannot be read (the caller then keeps the partition: deciding would be
 * a guess).
 */
export function typedValue(value: BoundValue, family: KeyFamily, enumLabels?: readonly CatalogEnumLabel[] | null): BoundValue | undefined {
  if (value.kind === 'minvalue' || value.kind === 'maxvalue' || value.kind === 'null' || family === 'untyped') return value;
  const text = textOf(value);
  if (text === undefined) return undefined;
  switch (family) {
    case 'integer':
      return /^\s*[+-]?\d+\s*$/.test(text) ? { kind: 'number', value: BigInt(text.trim()) } : undefined;
    case 'numeric': {
      const scaled = scaledDecimal(text);
      return scaled === undefined ? undefined : { kind: 'number', value: scaled };
    }
    case 'float': {
      const n = Number(text);
      return Number.isNaN(n) ? undefined : { kind: 'number', value: n };
    }
    case 'date':
    case 'timestamptz': {
      const ms = temporalValue(text);
      return ms === undefined ? undefined : { kind: 'number', value: ms };
    }
    case 'timestamp': {
      // A timestamp without time zone ignores an offset written in its input.
      const ms = temporalValue(text.replace(/\s*[+-]\d{2}(:?\d{2})?$/, ''));
      return ms === undefined ? undefined : { kind: 'number', value: ms };
    }
    case 'uuid': {
      const hex = text.replace(/[{}-]/g, '').toLowerCase();
      return /^[0-9a-f]{32}$/.test(hex) ? { kind: 'string', value: hex } : undefined;
    }
    case 'boolean': {
      const word = text.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return { kind: 'number', value: 1n };
      return FALSE_WORDS.has(word) ? { kind: 'number', value: 0n } : undefined;
    }
    case 'text':
      return { kind: 'string', value: text };
    case 'other': {
      if (enumLabels === undefined || enumLabels === null) return { kind: 'label', value: text };
      // Enums compare by enumsortorder; the labels come sorted by it, so the position orders them.
      const position = enumLabels.findIndex((l) => l.label === text);
      return position < 0 ? undefined : { kind: 'number', value: BigInt(position) };
    }
  }
}

/**
 * Casts whose comparison with a key of `family` uses a stable cross-type operator (timestamptz against date or
 * timestamp: the session time zone decides): PostgreSQL does not prune on them at plan time.
 */
export function isStableCrossType(family: KeyFamily, castTo: string): boolean {
  const cast = keyFamily(castTo);
  if (family === 'timestamptz') return cast === 'date' || cast === 'timestamp';
  if (family === 'date' || family === 'timestamp') return cast === 'timestamptz';
  return false;
}
