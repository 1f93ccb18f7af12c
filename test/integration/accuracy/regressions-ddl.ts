/**
 * The fuzzer's DDL regression cases (CLUSTER, REFRESH MATERIALIZED VIEW, CREATE TABLE, ADD FOREIGN KEY …), each with
 * its own small schema; regressions.ts lists them after the others.
 */
import type { RegressionCase } from './regressions.js';

const ddl = (id: string, covers: string, schema: readonly string[], sql: string): RegressionCase => ({
  id,
  covers,
  schema,
  sql,
  measure: 'execute',
});

/** A table with TOAST, a primary key and another index; one without TOAST. */
const CLUSTERED = [
  'CREATE TABLE fz.c (id bigint PRIMARY KEY, n int, v text)',
  'CREATE INDEX c_n ON fz.c (n)',
  "INSERT INTO fz.c VALUES (1, 1, 'x'), (2, 0, repeat('y', 5000))",
  'CREATE TABLE fz.d (id bigint PRIMARY KEY, n int)',
];

/** Materialized views over a two-level partitioned table, and over a table with 18 indexes (past the 16 slots). */
const MATVIEWS = [
  'CREATE TABLE fz.q (id bigint, k int, n int, ref int) PARTITION BY LIST (k)',
  'CREATE TABLE fz.q_p0 PARTITION OF fz.q FOR VALUES IN (1)',
  'CREATE TABLE fz.q_p1 PARTITION OF fz.q FOR VALUES IN (2) PARTITION BY LIST (n)',
  'CREATE TABLE fz.q_p1_s0 PARTITION OF fz.q_p1 FOR VALUES IN (0)',
  'CREATE INDEX ON fz.q (n)',
  'CREATE INDEX ON fz.q (ref)',
  'CREATE MATERIALIZED VIEW fz.mq AS SELECT ref, count(*) AS c FROM fz.q GROUP BY ref',
  'CREATE UNIQUE INDEX ON fz.mq (ref)',
  'CREATE TABLE fz.w (id bigint PRIMARY KEY, n int, v text)',
  ...Array.from({ length: 18 }, (_, i) => `CREATE INDEX w_i${i} ON fz.w (n)`),
  'CREATE TABLE fz.u (id bigint PRIMARY KEY, note text)',
  'CREATE MATERIALIZED VIEW fz.mw AS SELECT w.id, w.v, u.note FROM fz.u JOIN fz.w ON w.id = u.id',
];

/** A referenced table, and names CREATE TABLE would choose already taken. */
const CREATED = [
  'CREATE TABLE fz.p (id bigint PRIMARY KEY, n int)',
  'CREATE TABLE fz.fresh_id_seq (a int)',
  'CREATE INDEX fresh_pkey ON fz.p (n)',
];

export const DDL_REGRESSION_CASES: readonly RegressionCase[] = [
  ddl(
    'rg-cluster-toast',
    'CLUSTER: the clustering index, every index opened by the planner and rebuilt, the TOAST table and index swapped by content',
    CLUSTERED,
    'CLUSTER fz.c USING c_pkey',
  ),
  ddl(
    'rg-cluster-plain',
    'CLUSTER of a table without TOAST: the table rebuilt (ShareLock) and its index',
    CLUSTERED,
    'CLUSTER fz.d USING d_pkey',
  ),
  ddl(
    'rg-refresh-partitioned',
    "REFRESH plans the view's query like a SELECT: partitions and leaf indexes (partitioned indexes only from PostgreSQL 16)",
    MATVIEWS,
    'REFRESH MATERIALIZED VIEW fz.mq',
  ),
  ddl(
    'rg-refresh-slots-toast',
    "REFRESH of a join over a table with 18 indexes: the query's locks in planner order decide the fast-path slots; the matview's TOAST is replaced as in a table rewrite",
    MATVIEWS,
    'REFRESH MATERIALIZED VIEW fz.mw',
  ),
  ddl(
    'rg-create-table',
    'CREATE TABLE: the sequence of a serial key, the table, its TOAST table and index (named pg_toast.pg_toast_<fz.fresh> on both sides), OWNED BY, the primary key and UNIQUE indexes under names already taken (seq1, pkey1), the foreign key',
    CREATED,
    'CREATE TABLE fz.fresh (id bigserial PRIMARY KEY, note text UNIQUE, ref bigint REFERENCES fz.p)',
  ),
  ddl(
    'rg-create-table-no-toast',
    'CREATE TABLE without a TOAST table: bounded varchar and numeric columns whose widest row fits 2,032 bytes, an identity key, a UNIQUE index with a repeated column (x_id_id1)',
    CREATED,
    'CREATE TABLE fz.b3 (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, x numeric(10, 2), v varchar(300), UNIQUE (x, id) INCLUDE (id))',
  ),
  ddl(
    'rg-create-table-toast-bounded',
    'CREATE TABLE whose bounded varchar columns can exceed 2,032 bytes gets a TOAST table; a partitioned table gets none',
    CREATED,
    'CREATE TABLE fz.a4 (v varchar(100), w varchar(400), x varchar(10))',
  ),
  ddl(
    'rg-create-table-partitioned',
    'CREATE TABLE … PARTITION BY: no storage, no TOAST; its primary key is a partitioned index',
    CREATED,
    'CREATE TABLE fz.a8 (id int, k int, v text, PRIMARY KEY (id, k)) PARTITION BY LIST (k)',
  ),
];
