/**
 * Partition-key types the fuzzer generates: each maps an ordinal (0…size-1, ascending in the type's order) to a
 * value, spelled canonically for bounds and in several ways for queries (unquoted, quoted, cast), so that pruning is
 * tested against the type's comparison and never against a spelling.
 */
import type { Random } from './random.js';

export interface KeyType {
  /** Short name used in class tags, e.g. "int8". */
  name: string;
  /** The column type as written in DDL (the enum lives in the fuzz schema). */
  sql: string;
  /** Number of distinct ordinals (boolean has two). */
  size: number;
  /** Canonical literal for partition bounds and seeded rows. */
  bound(ordinal: number): string;
  /** Literal spellings a query may use for the same value, each still of the key's type after coercion. */
  spellings(ordinal: number): string[];
  /** Spellings compared through a stable cross-type operator: PostgreSQL does not prune on them at plan time. */
  stableSpellings?(ordinal: number): string[];
  /** Range partitioning makes sense (boolean does not). */
  ranged: boolean;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function integer(name: string, sql: string): KeyType {
  const v = (i: number): string => String(i * 10 - 50);
  return {
    name,
    sql,
    size: 40,
    bound: v,
    spellings: (i) => [v(i), `'${v(i)}'`, `${v(i)}::${sql}`, `CAST('${v(i)}' AS ${sql})`],
    ranged: true,
  };
}

function day(i: number): string {
  const d = new Date(Date.UTC(2026, 0, 1) + i * 7 * 86400000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function enumLabel(i: number): string {
  return `e${pad(i)}`;
}

export const ENUM_SIZE = 40;

export const KEY_TYPES: readonly KeyType[] = [
  integer('int2', 'smallint'),
  integer('int4', 'integer'),
  integer('int8', 'bigint'),
  {
    name: 'numeric',
    sql: 'numeric',
    size: 40,
    bound: (i) => `${i * 10}.5`,
    spellings: (i) => [`${i * 10}.5`, `'${i * 10}.5'`, `${i * 10}.50::numeric`],
    ranged: true,
  },
  {
    name: 'text',
    sql: 'text',
    size: 40,
    bound: (i) => `'k${pad(i)}'`,
    spellings: (i) => [`'k${pad(i)}'`, `'k${pad(i)}'::text`],
    ranged: true,
  },
  {
    name: 'varchar',
    sql: 'varchar(20)',
    size: 40,
    bound: (i) => `'v${pad(i)}'`,
    spellings: (i) => [`'v${pad(i)}'`, `'v${pad(i)}'::varchar`],
    ranged: true,
  },
  {
    name: 'date',
    sql: 'date',
    size: 40,
    bound: (i) => `'${day(i)}'`,
    spellings: (i) => [`'${day(i)}'`, `'${day(i)}'::date`, `DATE '${day(i)}'`],
    ranged: true,
  },
  {
    name: 'timestamp',
    sql: 'timestamp',
    size: 40,
    bound: (i) => `'${day(i)} 06:00:00'`,
    spellings: (i) => [`'${day(i)} 06:00:00'`, `'${day(i)} 06:00'::timestamp`, `TIMESTAMP '${day(i)} 06:00:00'`],
    ranged: true,
  },
  {
    name: 'timestamptz',
    sql: 'timestamptz',
    size: 40,
    bound: (i) => `'${day(i)} 00:00:00+00'`,
    spellings: (i) => [`'${day(i)} 00:00:00+00'`, `'${day(i)}'::timestamptz`, `'${day(i)} 02:00:00+02'`],
    stableSpellings: (i) => [`'${day(i)}'::date`, `'${day(i)} 00:00:00'::timestamp`],
    ranged: true,
  },
  {
    name: 'uuid',
    sql: 'uuid',
    size: 40,
    bound: (i) => `'00000000-0000-4000-8000-0000000000${i.toString(16).padStart(2, '0')}'`,
    spellings: (i) => [
      `'00000000-0000-4000-8000-0000000000${i.toString(16).padStart(2, '0')}'`,
      `'00000000-0000-4000-8000-0000000000${i.toString(16).padStart(2, '0')}'::uuid`,
      `'{00000000-0000-4000-8000-0000000000${i.toString(16).padStart(2, '0').toUpperCase()}}'`,
    ],
    ranged: true,
  },
  {
    name: 'enum',
    sql: 'fz.mood',
    size: ENUM_SIZE,
    bound: (i) => `'${enumLabel(i)}'`,
    spellings: (i) => [`'${enumLabel(i)}'`, `'${enumLabel(i)}'::fz.mood`],
    ranged: true,
  },
  {
    name: 'boolean',
    sql: 'boolean',
    size: 2,
    bound: (i) => (i === 0 ? 'false' : 'true'),
    spellings: (i) => (i === 0 ? ['false', "'f'", "'no'"] : ['true', "'t'", "'yes'::boolean"]),
    ranged: false,
  },
];

export const keyTypeNamed = (name: string): KeyType => {
  const type = KEY_TYPES.find((t) => t.name === name);
  if (type === undefined) throw new Error(`no key type ${name}`);
  return type;
};

/** A spelling of ordinal `i`, chosen at random. */
export const spell = (rng: Random, type: KeyType, i: number): string => rng.pick(type.spellings(i));
