/**
 * needs_toast_table (toasting.c) for a column list as CREATE TABLE writes it: a table gets a TOAST table when it has a
 * variable-length column that is not stored plain and its widest possible row exceeds TOAST_TUPLE_THRESHOLD (any
 * column without a maximum size, such as text, jsonb, bytea, an array or unconstrained numeric, makes it unbounded).
 */
import type { ColumnDef } from '@pgsql/types';
import { list, nodeAs, stringOf } from '../sql/ast.js';

/** TOAST_TUPLE_THRESHOLD for 8 kB blocks. */
const TOAST_TUPLE_THRESHOLD = 2032;
/** SizeofHeapTupleHeader. */
const HEAP_TUPLE_HEADER = 23;
/** pg_encoding_max_length of UTF8: the snapshot does not carry the database encoding, and UTF8 is the common one. */
const MAX_CHAR_BYTES = 4;
const VARHDRSZ = 4;

/** Fixed-length types: [attlen, attalign]; every one is stored plain (never toasted). */
const FIXED: Record<string, [number, number]> = {
  bool: [1, 1],
  char: [1, 1],
  int2: [2, 2],
  smallserial: [2, 2],
  serial2: [2, 2],
  int4: [4, 4],
  serial: [4, 4],
  serial4: [4, 4],
  oid: [4, 4],
  float4: [4, 4],
  date: [4, 4],
  int8: [8, 8],
  bigserial: [8, 8],
  serial8: [8, 8],
  float8: [8, 8],
  money: [8, 8],
  time: [8, 8],
  timestamp: [8, 8],
  timestamptz: [8, 8],
  timetz: [12, 8],
  interval: [16, 8],
  uuid: [16, 1],
  macaddr: [6, 4],
  macaddr8: [8, 4],
  point: [16, 8],
  line: [24, 8],
  lseg: [32, 8],
  box: [32, 8],
  circle: [24, 8],
  name: [64, 1],
  pg_lsn: [8, 8],
  xid8: [8, 8],
  tid: [6, 2],
};

/** Built-in variable-length types (none is stored plain). */
const VARIABLE = new Set([
  'text',
  'varchar',
  'bpchar',
  'numeric',
  'bit',
  'varbit',
  'bytea',
  'json',
  'jsonb',
  'xml',
  'inet',
  'cidr',
  'tsvector',
  'tsquery',
  'path',
  'polygon',
  'int4range',
  'int8range',
  'numrange',
  'tsrange',
  'tstzrange',
  'daterange',
  'citext',
  'hstore',
  'ltree',
]);

const align = (length: number, to: number): number => Math.ceil(length / to) * to;

/** type_maximum_size for the types with one (bpchar, varchar, numeric, bit, varbit given a typmod); -1 otherwise. */
function maximumSize(type: string, mods: number[]): number {
  const [first] = mods;
  if (first === undefined) return type === 'bpchar' ? 1 * MAX_CHAR_BYTES + VARHDRSZ : -1;
  if (type === 'varchar' || type === 'bpchar') return first * MAX_CHAR_BYTES + VARHDRSZ;
  // numeric_maximum_size: NUMERIC_HDRSZ and the base-10000 digits the precision needs.
  if (type === 'numeric') return 8 + Math.floor((first + 6) / 4) * 2;
  if (type === 'bit' || type === 'varbit') return VARHDRSZ + 4 + Math.ceil(first / 8);
  return -1;
}

function typeOf(column: ColumnDef): { name: string; builtin: boolean; mods: number[]; array: boolean } {
  const names = list(column.typeName?.names).map(stringOf);
  const name = names[names.length - 1] ?? '';
  const mods = list(column.typeName?.typmods).map((n) => nodeAs(n, 'A_Const')?.ival?.ival ?? -1);
  return {
    name,
    builtin: (names.length === 1 || names[0] === 'pg_catalog') && (FIXED[name] !== undefined || VARIABLE.has(name)),
    mods,
    array: list(column.typeName?.arrayBounds).length > 0,
  };
}

const VIRTUAL = (column: ColumnDef): boolean =>
  list(column.constraints).some((c) => {
    const constraint = nodeAs(c, 'Constraint');
    return constraint?.contype === 'CONSTR_GENERATED' && constraint.generated_kind === 'v';
  });

/**
 * Whether CREATE TABLE gives the table a TOAST table. A type Lockscope does not know (an enum, a domain, a composite,
 * an extension's type: the snapshot has no pg_type) is taken as a fixed four-byte value, like an enum; an array of
 * any type is variable-length and unbounded.
 */
export function needsToastTable(columns: readonly ColumnDef[], versionNum: number): boolean {
  let dataLength = 0;
  let toastable = false;
  let unbounded = false;
  for (const column of columns) {
    // PostgreSQL 18's virtual generated columns have no storage.
    if (versionNum >= 180000 && VIRTUAL(column)) continue;
    const type = typeOf(column);
    const fixed = type.array ? undefined : FIXED[type.name];
    if (fixed !== undefined) {
      dataLength = align(dataLength, fixed[1]) + fixed[0];
      continue;
    }
    if (!type.array && !type.builtin) {
      dataLength = align(dataLength, 4) + 4;
      continue;
    }
    dataLength = align(dataLength, 4);
    const max = type.array ? -1 : maximumSize(type.name, type.mods);
    if (max < 0) unbounded = true;
    else dataLength += max;
    toastable = true;
  }
  if (!toastable) return false;
  if (unbounded) return true;
  const bitmap = Math.ceil(columns.length / 8);
  return align(HEAP_TUPLE_HEADER + bitmap, 8) + align(dataLength, 8) > TOAST_TUPLE_THRESHOLD;
}
