/**
 * Accuracy cases that carry their own schema (installed alone in schema fz): the differential fuzzer's mismatch
 * classes, each reduced to a small schema and statement, kept so a fixed class stays fixed.
 */
export interface RegressionCase {
  id: string;
  covers: string;
  /** Statements creating the schema (run alone, in order, after CREATE SCHEMA fz). */
  schema: readonly string[];
  sql: string;
  measure: 'explain' | 'execute';
}

const r = (
  id: string,
  covers: string,
  schema: readonly string[],
  sql: string,
  measure: RegressionCase['measure'] = 'explain',
): RegressionCase => ({
  id,
  covers,
  schema,
  sql,
  measure,
});

const partitions = (parent: string, bounds: string[]): string[] =>
  bounds.map((bound, i) => `CREATE TABLE fz.${parent}_${i} PARTITION OF fz.${parent} ${bound}`);

/** A GitLab-shaped ci_builds: list partitions on a bigint key, two indexes each. */
const BUILDS = [
  'CREATE TABLE fz.builds (id bigint NOT NULL, partition_id bigint NOT NULL, note text) PARTITION BY LIST (partition_id)',
  ...partitions(
    'builds',
    [100, 101, 102, 103, 104, 105, 106, 107].map((v) => `FOR VALUES IN (${v})`),
  ),
  'CREATE INDEX ON fz.builds (id)',
  'CREATE INDEX ON fz.builds (note)',
];

/** One partitioned table per key type, bounds spelled the way PostgreSQL prints them. */
const TYPED = [
  'CREATE TABLE fz.ev (at timestamptz NOT NULL, v int) PARTITION BY RANGE (at)',
  ...partitions('ev', [
    "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
    "FOR VALUES FROM ('2026-02-01') TO ('2026-03-01')",
    "FOR VALUES FROM ('2026-03-01') TO ('2026-04-01')",
    'DEFAULT',
  ]),
  'CREATE TABLE fz.nums (k numeric) PARTITION BY LIST (k)',
  ...partitions('nums', ['FOR VALUES IN (1.5)', 'FOR VALUES IN (2.50)', 'FOR VALUES IN (10)']),
  'CREATE TABLE fz.days (d date) PARTITION BY RANGE (d)',
  ...partitions('days', ["FOR VALUES FROM ('2026-01-01') TO ('2026-01-15')", "FOR VALUES FROM ('2026-01-15') TO (MAXVALUE)"]),
  'CREATE TABLE fz.ids (u uuid) PARTITION BY LIST (u)',
  ...partitions('ids', [
    "FOR VALUES IN ('00000000-0000-4000-8000-00000000000a')",
    "FOR VALUES IN ('00000000-0000-4000-8000-00000000000b')",
  ]),
  'CREATE TABLE fz.flags (b boolean) PARTITION BY LIST (b)',
  ...partitions('flags', ['FOR VALUES IN (true)', 'FOR VALUES IN (false)', 'FOR VALUES IN (NULL)']),
  "CREATE TYPE fz.color AS ENUM ('red', 'green', 'blue')",
  'CREATE TABLE fz.colors (c fz.color) PARTITION BY LIST (c)',
  ...partitions('colors', ["FOR VALUES IN ('red')", "FOR VALUES IN ('green', 'blue')"]),
  'CREATE TABLE fz.small (k int) PARTITION BY HASH (k)',
  ...partitions(
    'small',
    [0, 1, 2].map((r) => `FOR VALUES WITH (MODULUS 3, REMAINDER ${r})`),
  ),
];

export const REGRESSION_CASES: readonly RegressionCase[] = [
  r(
    'rg-bigint-list',
    "bigint list key: the bound prints '103', the query says 103",
    BUILDS,
    'SELECT * FROM fz.builds WHERE partition_id = 103',
  ),
  r(
    'rg-bigint-cast',
    'bigint key against an integer cast (immutable cross-type)',
    BUILDS,
    'SELECT * FROM fz.builds WHERE partition_id = 103::int',
  ),
  r('rg-bigint-negative', '-(102::bigint) folded before pruning', BUILDS, 'SELECT * FROM fz.builds WHERE partition_id = - -102::bigint'),
  r('rg-in-mixed', 'IN list of a number and a quoted number', BUILDS, "SELECT * FROM fz.builds WHERE partition_id IN (101, '102')"),
  r('rg-any', '= ANY (ARRAY[…]) prunes like IN', BUILDS, 'SELECT * FROM fz.builds WHERE partition_id = ANY (ARRAY[101, 106])'),
  r('rg-ne', '<> prunes the list partition holding only that value', BUILDS, 'SELECT * FROM fz.builds WHERE partition_id <> 100'),
  r(
    'rg-not-in',
    'NOT IN prunes list partitions all of whose values it excludes',
    BUILDS,
    'SELECT * FROM fz.builds WHERE partition_id NOT IN (100, 101)',
  ),
  r('rg-or', 'OR of equalities is a union', BUILDS, 'SELECT * FROM fz.builds WHERE (partition_id = 100 OR partition_id = 105)'),
  r(
    'rg-or-and',
    'OR intersected with a range',
    BUILDS,
    'SELECT * FROM fz.builds WHERE (partition_id = 100 OR partition_id = 105) AND partition_id > 101',
  ),
  r(
    'rg-join-eq',
    'equality implied through a join equivalence class',
    BUILDS,
    'SELECT * FROM fz.builds a JOIN fz.builds b ON a.partition_id = b.partition_id WHERE b.partition_id = 104',
  ),
  r(
    'rg-is-null-none',
    'IS NULL with no partition accepting NULL keeps nothing',
    BUILDS,
    'SELECT * FROM fz.builds WHERE partition_id IS NULL',
  ),
  r('rg-update', 'UPDATE pruned on a bigint list key', BUILDS, 'UPDATE fz.builds SET note = note WHERE partition_id = 107'),
  r(
    'rg-tstz-date',
    'timestamptz key against ::date is stable: no plan-time pruning',
    TYPED,
    "SELECT * FROM fz.ev WHERE at = '2026-02-03'::date",
  ),
  r(
    'rg-tstz-ts',
    'timestamptz key against ::timestamp is stable: no plan-time pruning',
    TYPED,
    "SELECT * FROM fz.ev WHERE at = '2026-02-03'::timestamp",
  ),
  r('rg-tstz-offset', 'timestamptz literal with an offset', TYPED, "SELECT * FROM fz.ev WHERE at = '2026-02-01 01:00:00+02'"),
  r(
    'rg-tstz-range',
    'timestamptz range inside one partition (default pruned)',
    TYPED,
    "SELECT * FROM fz.ev WHERE at >= '2026-02-01' AND at < '2026-03-01'",
  ),
  r('rg-numeric', "numeric bound '2.50' equals 2.5", TYPED, 'SELECT * FROM fz.nums WHERE k = 2.5'),
  r('rg-date', 'date literal as DATE …', TYPED, "SELECT * FROM fz.days WHERE d = DATE '2026-01-20'"),
  r('rg-uuid', 'uuid in braces and upper case', TYPED, "SELECT * FROM fz.ids WHERE u = '{00000000-0000-4000-8000-00000000000B}'"),
  r('rg-bool', 'boolean key', TYPED, 'SELECT * FROM fz.flags WHERE b = true'),
  r('rg-bool-null', 'IS NULL goes to the partition accepting NULL', TYPED, 'SELECT * FROM fz.flags WHERE b IS NULL'),
  r('rg-enum', 'enum key equality', TYPED, "SELECT * FROM fz.colors WHERE c = 'blue'"),
  r('rg-hash-null', 'hash IS NULL keeps the remainder-0 partition', TYPED, 'SELECT * FROM fz.small WHERE k IS NULL'),
];
