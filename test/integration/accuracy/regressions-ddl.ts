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
];
