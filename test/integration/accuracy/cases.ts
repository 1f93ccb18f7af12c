/** The accuracy suite's cases: statements whose predicted locks must equal what pg_locks shows on PG 15 and PG 18. */
import type { Catalog } from '../../../src/core/catalog.js';
import { fastPathGroupOf } from '../../../src/core/server-profile.js';

export interface AccuracyCase {
  id: string;
  /** What the case is about, for the report. */
  covers: string;
  /** One statement, or several run in one transaction (compared on the transaction's final lock set). */
  sql: string[] | ((catalog: Catalog) => string[]);
  /** explain: EXPLAIN vs predicted plan-phase locks. execute: run it (rolled back) vs every predicted lock. */
  measure: 'explain' | 'execute';
}

const c = (id: string, covers: string, sql: string | string[], measure: AccuracyCase['measure'] = 'explain'): AccuracyCase => ({
  id,
  covers,
  sql: Array.isArray(sql) ? sql : [sql],
  measure,
});

const joinChain = (n: number, kind = 'JOIN'): string =>
  `SELECT * FROM j1 ${Array.from({ length: n - 1 }, (_, i) => `${kind} j${i + 2} ON j${i + 2}.ref = j${i + 1}.id`).join(' ')}`;

const tables: AccuracyCase[] = [
  c('t01', 'table with 20 indexes, point lookup', 'SELECT * FROM t20 WHERE id = 1'),
  c('t02', 'table with 20 indexes, seq scan', 'SELECT count(*) FROM t20'),
  c('t03', 'WHERE false still plans every index', 'SELECT * FROM t20 WHERE false'),
  c('t04', 'same table twice is one lock', 'SELECT * FROM t20 x JOIN t20 y ON x.id = y.c1'),
  c('t05', 'LEFT JOIN removed by the planner still locked', 'SELECT a.* FROM a LEFT JOIN b ON b.id = a.id'),
  c('t06', 'table without indexes', 'SELECT * FROM noidx'),
  c('t07', 'no relation at all', 'SELECT now(), 1 + 1'),
  c('t08', 'user query on a catalog', "SELECT relname FROM pg_class WHERE relname = 'a'"),
  c('t09', 'user query on a shared catalog (never fast path)', 'SELECT datname FROM pg_database'),
  c('t10', 'materialized view', 'SELECT * FROM mv WHERE id = 3'),
  c('t11', 'materialized view joined to its source', 'SELECT * FROM mv JOIN a ON a.id = mv.id'),
  c('t12', 'ONLY on a plain table', 'SELECT * FROM ONLY a'),
  c('t13', 'schema-qualified name', 'SELECT * FROM public.a WHERE id = 1'),
  c('t14', 'function in FROM takes no lock', 'SELECT * FROM generate_series(1, 3) g JOIN a ON a.id = g'),
  c('t15', 't20 joined to a view overflows 16 slots (Q19)', 'SELECT * FROM t20 JOIN v_ab ON v_ab.id = t20.id WHERE t20.id = 1'),
];

const joins: AccuracyCase[] = [];
for (let n = 2; n <= 8; n++) {
  joins.push(c(`j${n}a`, `inner join of ${n} tables`, joinChain(n)));
  joins.push(c(`j${n}b`, `left join of ${n} tables`, joinChain(n, 'LEFT JOIN')));
  joins.push(
    c(
      `j${n}c`,
      `comma join of ${n} tables`,
      `SELECT * FROM ${Array.from({ length: n }, (_, i) => `j${i + 1}`).join(', ')} WHERE j1.id = 1`,
    ),
  );
}
joins.push(
  c('jx1', 'subquery in FROM (flattened)', 'SELECT * FROM (SELECT * FROM j1 WHERE v > 0) s JOIN j2 ON j2.ref = s.id'),
  c(
    'jx2',
    'subquery in FROM with aggregate (planned separately)',
    'SELECT * FROM (SELECT ref, count(*) FROM j1 GROUP BY ref) s JOIN j2 ON j2.id = s.ref',
  ),
  c('jx3', 'EXISTS sublink (pulled up into a semi join)', 'SELECT * FROM j1 WHERE EXISTS (SELECT 1 FROM j2 WHERE j2.ref = j1.id)'),
  c('jx4', 'IN sublink', 'SELECT * FROM j1 WHERE id IN (SELECT ref FROM j2)'),
  c('jx5', 'scalar sublink in the target list', 'SELECT j1.id, (SELECT max(v) FROM j2) FROM j1'),
  c('jx6', 'NOT EXISTS', 'SELECT * FROM j1 WHERE NOT EXISTS (SELECT 1 FROM j2 WHERE j2.ref = j1.id)'),
  c('jx7', 'LATERAL subquery', 'SELECT * FROM j1, LATERAL (SELECT * FROM j2 WHERE j2.ref = j1.id LIMIT 1) l'),
  c('jx8', 'CTE referenced once (inlined)', 'WITH c AS (SELECT * FROM j1) SELECT * FROM c JOIN j2 ON j2.ref = c.id'),
  c('jx9', 'MATERIALIZED CTE', 'WITH c AS MATERIALIZED (SELECT * FROM j1) SELECT * FROM c JOIN j2 ON j2.ref = c.id'),
  c('jx10', 'CTE referenced twice', 'WITH c AS (SELECT * FROM j1) SELECT * FROM c x JOIN c y ON x.id = y.ref'),
  c('jx11', 'unreferenced CTE', 'WITH c AS (SELECT * FROM j3) SELECT * FROM j1'),
  c('jx12', 'UNION of two tables', 'SELECT id FROM j1 UNION SELECT id FROM j2'),
  c('jx13', 'UNION ALL of three tables', 'SELECT id FROM j1 UNION ALL SELECT id FROM j2 UNION ALL SELECT id FROM j3'),
  c('jx14', 'INTERSECT and EXCEPT', 'SELECT id FROM j1 INTERSECT SELECT id FROM j2 EXCEPT SELECT id FROM j3'),
  c(
    'jx15',
    'recursive CTE',
    'WITH RECURSIVE r AS (SELECT id, ref FROM j1 WHERE id = 1 UNION ALL SELECT j1.id, j1.ref FROM j1 JOIN r ON j1.ref = r.id) SELECT * FROM r',
  ),
  c('jx16', 'six-table join past 16 slots with a scalar subquery', `${joinChain(6)} WHERE j1.v = (SELECT max(v) FROM j7)`),
  c('jx17', 'ORDER BY and LIMIT over a join', `${joinChain(3)} ORDER BY j1.id LIMIT 5`),
  c('jx18', 'aggregate over a 5-way join', `SELECT count(*) FROM (${joinChain(5)}) s`),
  // Order-sensitive past 16 slots: where the parser meets sublinks decides which relations still get fast-path slots.
  c(
    'jx19',
    'sublink in JOIN … ON before a later join, past 16 slots',
    'SELECT * FROM t20 JOIN j1 ON j1.id = t20.id AND j1.v IN (SELECT v FROM j2) JOIN j3 ON j3.id = j1.ref WHERE t20.id = 1',
  ),
  c(
    'jx20',
    'sublinks in LIMIT and OFFSET, past 16 slots',
    'SELECT * FROM t20 ORDER BY id LIMIT (SELECT count(*) FROM j1) OFFSET (SELECT count(*) FROM j2)',
  ),
  c(
    'jx21',
    'WITH RECURSIVE whose recursive term joins more tables, past 16 slots',
    'WITH RECURSIVE r AS (SELECT id, ref FROM j1 WHERE id = 1 UNION ALL SELECT j2.id, j2.ref FROM j2 JOIN r ON j2.ref = r.id JOIN j3 ON j3.id = j2.id) SELECT * FROM r JOIN t20 ON t20.id = r.id',
  ),
  c(
    'jx22',
    'set operation with a sublink in ORDER BY, past 16 slots',
    'SELECT id FROM t20 UNION SELECT id FROM j1 ORDER BY 1 LIMIT (SELECT count(*) FROM j2)',
  ),
  c(
    'jx23',
    'sublink in a FROM function call argument',
    'SELECT * FROM t20 JOIN generate_series(1, (SELECT count(*)::int FROM j1)) g ON t20.id = g',
  ),
  c('jx24', 'sublink in a VALUES list in FROM', 'SELECT * FROM t20 JOIN (VALUES (1), ((SELECT max(id) FROM j1))) v(x) ON t20.id = v.x'),
  c('jx25', 'sublink in a window PARTITION BY', 'SELECT count(*) OVER (PARTITION BY (SELECT max(id) FROM j1)) FROM t20'),
  c(
    'jx26',
    'sublink in DISTINCT ON and GROUP BY',
    'SELECT DISTINCT ON ((SELECT 1 FROM j1 LIMIT 1)) id FROM t20 GROUP BY id, (SELECT 2 FROM j2 LIMIT 1)',
  ),
  c(
    'jx27',
    'LATERAL subquery referencing an earlier table',
    'SELECT * FROM t20, LATERAL (SELECT * FROM j1 WHERE j1.id = t20.id LIMIT 1) l',
  ),
);

const views: AccuracyCase[] = [
  c('v01', 'view over a join (Q06)', 'SELECT * FROM v_ab WHERE id = 5'),
  c('v02', 'view over UNION ALL', 'SELECT * FROM v_union WHERE id = 5'),
  c('v03', 'nested views', 'SELECT * FROM v_nested'),
  c('v04', 'view with GROUP BY (not flattened)', 'SELECT * FROM v_agg WHERE a_id = 3'),
  c('v05', 'view FOR UPDATE pushes RowShare to base tables (Q20)', 'SELECT * FROM v_ab WHERE id = 5 FOR UPDATE'),
  c('v06', 'view joined with a table', 'SELECT * FROM v_ab JOIN j1 ON j1.id = v_ab.id'),
  c('v07', 'same view twice', 'SELECT * FROM v_ab x JOIN v_ab y ON x.id = y.bid'),
  c('v08', 'view in a sublink', 'SELECT * FROM j1 WHERE id IN (SELECT id FROM v_ab)'),
  c('v09', 'view and t20 past the slot limit', 'SELECT * FROM v_nested JOIN t20 ON t20.id = v_nested.id'),
  c('v10', 'union view in a join', 'SELECT * FROM v_union u JOIN j2 ON j2.id = u.id'),
];

const partitions: AccuracyCase[] = [
  c('p01', 'range partitions, no pruning (Q03)', 'SELECT count(*) FROM parted'),
  c('p02', 'range, plan-time pruning to one (Q04)', 'SELECT * FROM parted WHERE k = 150'),
  c('p03', 'range, run-time pruning only (Q05)', 'SELECT * FROM parted WHERE k = (SELECT 150)'),
  c('p04', 'range, IN list', 'SELECT * FROM parted WHERE k IN (150, 250)'),
  c('p05', 'range, BETWEEN', 'SELECT * FROM parted WHERE k BETWEEN 100 AND 299'),
  c('p06', 'range, open below', 'SELECT * FROM parted WHERE k < 100'),
  c('p07', 'range, open above', 'SELECT * FROM parted WHERE k >= 700'),
  c('p08', 'range, bound edge excluded', 'SELECT * FROM parted WHERE k > 199 AND k < 300'),
  c('p09', 'range, no partition matches', 'SELECT * FROM parted WHERE k = 5000'),
  c('p10', 'range, non-key filter', 'SELECT * FROM parted WHERE v = 3'),
  c('p11', 'list, one value', "SELECT * FROM lparted WHERE region = 'de'"),
  c('p12', 'list, values in two partitions', "SELECT * FROM lparted WHERE region IN ('us', 'jp')"),
  c('p13', 'list, value only the default holds', "SELECT * FROM lparted WHERE region = 'zz'"),
  c('p14', 'list, no filter', 'SELECT * FROM lparted'),
  c('p15', 'hash, one key', 'SELECT * FROM hparted WHERE id = 1'),
  c('p16', 'hash, IN list', 'SELECT * FROM hparted WHERE id IN (1, 2, 3, 4)'),
  c('p17', 'hash, no filter', 'SELECT count(*) FROM hparted'),
  c('p18', 'sub-partitioned, no filter', 'SELECT * FROM sub'),
  c('p19', 'sub-partitioned, first level pruned', 'SELECT * FROM sub WHERE y = 2025'),
  c('p20', 'sub-partitioned, both levels pruned', "SELECT * FROM sub WHERE y = 2026 AND kind = 'a'"),
  c('p21', 'sub-partitioned, second level only', "SELECT * FROM sub WHERE kind = 'b'"),
  c('p22', 'partitioned table joined to a table', 'SELECT * FROM parted JOIN a ON a.id = parted.v WHERE parted.k = 50'),
  c('p23', 'ONLY on a partitioned table', 'SELECT * FROM ONLY parted'),
  c('p24', 'partition named directly', 'SELECT * FROM parted_3 WHERE k = 350'),
  c('p25', 'UPDATE with plan-time pruning (Q13)', 'UPDATE parted SET v = v + 1 WHERE k = 150'),
  c('p26', 'DELETE without pruning', 'DELETE FROM parted WHERE v = 3'),
  c('p27', 'FOR UPDATE on a pruned partitioned table', 'SELECT * FROM parted WHERE k = 250 FOR UPDATE'),
  c('p28', 'range partitions, reversed comparison', 'SELECT * FROM parted WHERE 150 = k'),
];

const inheritance: AccuracyCase[] = [
  c('i01', 'inheritance parent, all children', 'SELECT * FROM inh_parent'),
  c('i02', 'children excluded by CHECK are still locked (Q18)', 'SELECT * FROM inh_parent WHERE k = 5'),
  c('i03', 'ONLY parent', 'SELECT * FROM ONLY inh_parent'),
  c('i04', 'middle of a three-level hierarchy', 'SELECT * FROM inh_c1'),
  c('i05', 'UPDATE through the parent', 'UPDATE inh_parent SET k = k WHERE id = 1'),
  c('i06', 'DELETE from ONLY a child', 'DELETE FROM ONLY inh_c2 WHERE k = 20'),
];

const rowLocks: AccuracyCase[] = [];
for (const strength of ['UPDATE', 'NO KEY UPDATE', 'SHARE', 'KEY SHARE']) {
  for (const of of ['', ' OF a', ' OF b', ' OF a, b']) {
    for (const wait of ['', ' NOWAIT', ' SKIP LOCKED']) {
      if (of === ' OF a, b' && wait !== '') continue;
      const id = `r-${strength.replace(/ /g, '').toLowerCase()}${of.replace(/[ ,]/g, '')}${wait.replace(/ /g, '').toLowerCase()}`;
      rowLocks.push(
        c(id, `FOR ${strength}${of}${wait}`, `SELECT * FROM a JOIN b ON b.a_id = a.id WHERE a.id = 1 FOR ${strength}${of}${wait}`),
      );
    }
  }
}
rowLocks.push(
  c('r-t20', 'FOR UPDATE on the 20-index table', 'SELECT * FROM t20 WHERE id = 1 FOR UPDATE'),
  c('r-subquery', 'FOR UPDATE reaches tables of a FROM subquery', 'SELECT * FROM (SELECT * FROM a) s JOIN b ON b.a_id = s.id FOR UPDATE'),
  c('r-alias', 'OF names an alias', 'SELECT * FROM a x JOIN b ON b.a_id = x.id FOR UPDATE OF x'),
  c('r-sublink', 'FOR UPDATE does not reach a WHERE sublink', 'SELECT * FROM a WHERE id IN (SELECT a_id FROM b) FOR UPDATE'),
);

const dml: AccuracyCase[] = [
  c('d01', 'INSERT VALUES plans only the target', 'INSERT INTO a VALUES (1001, 1)'),
  c('d02', 'INSERT … SELECT', 'INSERT INTO a SELECT id + 1000, a_id FROM b WHERE id < 3'),
  c('d03', 'INSERT … RETURNING', 'INSERT INTO a VALUES (1002, 2) RETURNING id'),
  c('d04', 'ON CONFLICT (col) opens every index (Q11)', 'INSERT INTO t20 (id) VALUES (1) ON CONFLICT (id) DO NOTHING'),
  c('d05', 'bare ON CONFLICT DO NOTHING (Q40)', 'INSERT INTO t20 (id) VALUES (1) ON CONFLICT DO NOTHING'),
  c('d06', 'ON CONFLICT DO UPDATE', "INSERT INTO upsert_t VALUES (1, 'x', 1) ON CONFLICT (id) DO UPDATE SET v = excluded.v"),
  c('d07', 'ON CONFLICT ON CONSTRAINT', "INSERT INTO upsert_t VALUES (1, 'x', 1) ON CONFLICT ON CONSTRAINT upsert_t_code_key DO NOTHING"),
  c('d08', 'UPDATE by primary key (Q08)', 'UPDATE t20 SET c1 = c1 + 1 WHERE id = 1'),
  c('d09', 'DELETE by primary key (Q09)', 'DELETE FROM t20 WHERE id = 1'),
  c('d10', 'UPDATE … FROM', 'UPDATE a SET x = b.id FROM b WHERE b.a_id = a.id AND b.id = 3'),
  c('d11', 'DELETE … USING', 'DELETE FROM b USING a WHERE a.id = b.a_id AND a.x = 5'),
  c(
    'd12',
    'MERGE',
    'MERGE INTO a USING b ON a.id = b.a_id WHEN MATCHED THEN UPDATE SET x = b.id WHEN NOT MATCHED THEN INSERT VALUES (b.id, b.a_id)',
  ),
  // Sublinks in every DML clause, with the 20-index table so the order past 16 slots is checked too.
  c(
    'd30',
    'UPDATE with sublinks in SET and WHERE, past 16 slots',
    'UPDATE t20 SET c1 = (SELECT max(id) FROM j1) WHERE id = 1 AND c2 IN (SELECT v FROM j2)',
  ),
  c(
    'd31',
    'DELETE … USING a join with a sublink in RETURNING',
    'DELETE FROM t20 USING j1 WHERE j1.id = t20.id AND j1.v = 0 RETURNING (SELECT count(*) FROM j2)',
  ),
  c(
    'd32',
    'INSERT … VALUES with a sublink, ON CONFLICT DO UPDATE with a sublink',
    "INSERT INTO upsert_t VALUES ((SELECT max(id) FROM j1), 'x', 1) ON CONFLICT (id) DO UPDATE SET v = (SELECT count(*) FROM j2)",
  ),
  c(
    'd33',
    'MERGE with sublinks in ON and WHEN, past 16 slots',
    'MERGE INTO t20 USING j1 ON t20.id = j1.id AND j1.v IN (SELECT v FROM j2) WHEN MATCHED AND EXISTS (SELECT 1 FROM j3) THEN UPDATE SET c1 = 1 WHEN NOT MATCHED THEN INSERT (id) VALUES (j1.id)',
  ),
  c(
    'd34',
    'data-modifying CTE feeding a SELECT',
    'WITH moved AS (DELETE FROM j4 WHERE id < 0 RETURNING id) SELECT * FROM t20 WHERE id IN (SELECT id FROM moved)',
  ),
  c(
    'd35',
    'MERGE with only WHEN MATCHED (an inner join), past 16 slots',
    'MERGE INTO t20 USING j1 ON t20.id = j1.id WHEN MATCHED THEN UPDATE SET c1 = j1.v',
  ),
  c(
    'd36',
    'MERGE from a subquery source, past 16 slots',
    'MERGE INTO t20 USING (SELECT j1.id, j2.v FROM j1 JOIN j2 ON j2.ref = j1.id) s ON t20.id = s.id WHEN NOT MATCHED THEN INSERT (id) VALUES (s.id)',
  ),
  c('d13', 'data-modifying CTE', 'WITH d AS (DELETE FROM b WHERE id = 1 RETURNING a_id) SELECT * FROM a WHERE id IN (SELECT a_id FROM d)'),
  c('d14', 'INSERT via CTE', 'WITH i AS (INSERT INTO a VALUES (1003, 3) RETURNING id) SELECT * FROM i'),
  c('d15', 'UPDATE with a sublink', 'UPDATE a SET x = (SELECT max(a_id) FROM b) WHERE id = 2'),
  c('d16', 'INSERT into a partitioned table (Q12)', 'INSERT INTO parted VALUES (155, 1)'),
  c('d17', 'UPDATE of a view-joined table', 'UPDATE j1 SET v = 1 WHERE id IN (SELECT id FROM v_ab)'),
  c('d18', 'DELETE on t20 joined to a and b', 'DELETE FROM t20 USING a, b WHERE t20.id = a.id AND b.a_id = a.id'),
  c('e01', 'executed INSERT: serial sequence and FK check (Q07)', "INSERT INTO child (parent_id, note) VALUES (3, 'n')", 'execute'),
  c('e02', 'executed INSERT: identity sequence', 'INSERT INTO ident (v) VALUES (1)', 'execute'),
  c('e03', 'executed nextval (Q15)', "SELECT nextval('s1')", 'execute'),
  c('e04', 'executed INSERT routed to a range partition', 'INSERT INTO parted VALUES (455, 1) ON CONFLICT DO NOTHING', 'execute'),
  c('e05', 'executed INSERT routed to a list partition', "INSERT INTO lparted VALUES ('fr', 1, 1)", 'execute'),
  c('e06', 'executed INSERT routed to the default partition', "INSERT INTO lparted VALUES ('zz', 1, 1)", 'execute'),
  c('e07', 'executed INSERT routed to a hash partition', 'INSERT INTO hparted VALUES (5, 1)', 'execute'),
  c('e08', 'executed INSERT routed through two levels', "INSERT INTO sub VALUES (2026, 'b', 1)", 'execute'),
  c('e09', 'executed UPDATE of an FK column (Q21)', 'UPDATE child SET parent_id = 5 WHERE id = 1', 'execute'),
  c('e10', 'executed UPDATE not touching the FK column', "UPDATE child SET note = 'x' WHERE id = 1", 'execute'),
  c('e11', 'executed INSERT … SELECT with FK', 'INSERT INTO child (parent_id) SELECT id FROM parent WHERE id <= 3', 'execute'),
  c('e12', 'executed UPDATE of a partition with pruning (Q13)', 'UPDATE parted SET v = v + 1 WHERE k = 150', 'execute'),
  c('e13', 'executed SELECT equals EXPLAIN', 'SELECT * FROM t20 WHERE id = 1', 'execute'),
  c('e14', 'executed INSERT into t20 leaves no index locks (Q35)', 'INSERT INTO t20 (id) VALUES (5000) RETURNING id', 'execute'),
];

const lockModes = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];
const ddl: AccuracyCase[] = [
  ...lockModes.map((m) => c(`l-${m.replace(/ /g, '').toLowerCase()}`, `LOCK TABLE IN ${m} MODE`, `LOCK TABLE a IN ${m} MODE`, 'execute')),
  c('l-default', 'LOCK TABLE default mode', 'LOCK TABLE a', 'execute'),
  c('l-two', 'LOCK TABLE of two tables', 'LOCK TABLE a, b IN SHARE MODE', 'execute'),
  c('x01', 'ADD COLUMN', 'ALTER TABLE a ADD COLUMN z int', 'execute'),
  c('x02', 'SET STATISTICS', 'ALTER TABLE a ALTER COLUMN x SET STATISTICS 200', 'execute'),
  c('x03', 'SET (fillfactor)', 'ALTER TABLE a SET (fillfactor = 90)', 'execute'),
  c('x04', 'SET (autovacuum_enabled)', 'ALTER TABLE a SET (autovacuum_enabled = off)', 'execute'),
  c('x05', 'ADD CHECK NOT VALID', 'ALTER TABLE a ADD CONSTRAINT a_x_chk CHECK (x > -1) NOT VALID', 'execute'),
  c('x06', 'ADD FOREIGN KEY NOT VALID', 'ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID', 'execute'),
  c('x07', 'SET NOT NULL', 'ALTER TABLE a ALTER COLUMN x SET NOT NULL', 'execute'),
  c('x08', 'DISABLE TRIGGER ALL', 'ALTER TABLE child DISABLE TRIGGER ALL', 'execute'),
  c('x09', 'CLUSTER ON', 'ALTER TABLE a CLUSTER ON a_pkey', 'execute'),
  c('x10', 'DETACH PARTITION', 'ALTER TABLE parted DETACH PARTITION parted_7', 'execute'),
  c('x11', 'CREATE INDEX', 'CREATE INDEX a_x2_idx ON a (x)', 'execute'),
  c('x12', 'REINDEX INDEX', 'REINDEX INDEX a_x_idx', 'execute'),
  c('x13', 'REINDEX TABLE', 'REINDEX TABLE a', 'execute'),
  c('x14', 'ANALYZE', 'ANALYZE a', 'execute'),
  c('x15', 'TRUNCATE', 'TRUNCATE b', 'execute'),
  c('x16', 'DROP INDEX', 'DROP INDEX a_x_idx', 'execute'),
  c('x17', 'REFRESH MATERIALIZED VIEW', 'REFRESH MATERIALIZED VIEW mv', 'execute'),
  c('x18', 'COMMENT ON TABLE', "COMMENT ON TABLE a IS 'hello'", 'execute'),
  c(
    'x19',
    'CREATE TRIGGER',
    'CREATE TRIGGER a_trg BEFORE UPDATE ON a FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger()',
    'execute',
  ),
  c('x20', 'ALTER TABLE RENAME', 'ALTER TABLE noidx RENAME TO noidx2', 'execute'),
  c('x21', 'ALTER INDEX RENAME', 'ALTER INDEX a_x_idx RENAME TO a_x_idx2', 'execute'),
  c('x22', 'ALTER SEQUENCE', 'ALTER SEQUENCE s1 RESTART', 'execute'),
  c('x23', 'CREATE TABLE PARTITION OF', 'CREATE TABLE parted_8 PARTITION OF parted FOR VALUES FROM (800) TO (900)', 'execute'),
  c('x24', 'CREATE VIEW', 'CREATE VIEW v_new AS SELECT a.id, a.x, b.a_id FROM a JOIN b ON b.a_id = a.id', 'execute'),
  c('x25', 'ALTER COLUMN TYPE rewrites', 'ALTER TABLE child ALTER COLUMN note TYPE varchar(100)', 'execute'),
  c('x26', 'DROP TABLE', 'DROP TABLE noidx', 'execute'),
  c('x27', 'ADD COLUMN and SET STATISTICS: strongest wins', 'ALTER TABLE a ADD COLUMN z2 int, ALTER COLUMN x SET STATISTICS 10', 'execute'),
  c('x28', 'CREATE STATISTICS', 'CREATE STATISTICS a_stats ON id, x FROM a', 'execute'),
  c('x29', 'ENABLE TRIGGER', 'ALTER TABLE child ENABLE TRIGGER ALL', 'execute'),
  c('x30', 'ALTER INDEX SET (fillfactor)', 'ALTER INDEX a_x_idx SET (fillfactor = 80)', 'execute'),
  c('x31', 'CREATE TABLE with a foreign key', 'CREATE TABLE newchild (id int PRIMARY KEY, a_id int REFERENCES a (id))', 'execute'),
  c('x32', 'DROP VIEW', 'DROP VIEW v_agg', 'execute'),
];

const sameGroup = (catalog: Catalog, count: number): string[] => {
  const groups = catalog.profile.fastPathGroups;
  const names = [...catalog.relations.values()].filter((r) => /^g\d+$/.test(r.name) && r.schema === 'public').sort((x, y) => x.oid - y.oid);
  const target = fastPathGroupOf(names[0]?.oid ?? 0, groups);
  return names
    .filter((r) => fastPathGroupOf(r.oid, groups) === target)
    .slice(0, count)
    .map((r) => r.name);
};

const transactions: AccuracyCase[] = [
  c('x-t1', 'two statements past the slot limit', ['SELECT * FROM t20 WHERE id = 1', 'SELECT * FROM a JOIN b ON b.a_id = a.id']),
  c('x-t2', 'the same statement twice takes nothing new (Q25)', ['SELECT * FROM t20 WHERE id = 1', 'SELECT * FROM t20 WHERE id = 2']),
  c(
    'x-t3',
    'own strong lock sends later weak locks to the main table (Q26)',
    ['LOCK TABLE a IN SHARE MODE', 'SELECT * FROM a WHERE id = 1'],
    'execute',
  ),
  c('x-t4', 'second weak mode after the slots are full (Q28)', [
    'SELECT * FROM t20 WHERE id = 1',
    'SELECT * FROM a WHERE id = 1',
    'SELECT * FROM t20 WHERE id = 1 FOR UPDATE',
  ]),
  c('x-t5', 'second weak mode shares a slot (Q29)', ['SELECT * FROM a', 'SELECT * FROM a FOR UPDATE', 'SELECT * FROM t20']),
  c('x-t6', 'eight joins in four statements', [
    joinChain(2),
    'SELECT * FROM j3 JOIN j4 ON j4.ref = j3.id',
    'SELECT * FROM j5, j6',
    'SELECT * FROM j7 JOIN j8 ON j8.id = j7.ref',
  ]),
  c('x-t7', 'update then read of the same table', ['UPDATE a SET x = x WHERE id = 1', 'SELECT * FROM a JOIN b ON b.a_id = a.id']),
  c('x-t8', 'partitions and a view in one transaction', ['SELECT count(*) FROM parted', 'SELECT * FROM v_ab']),
  {
    id: 'g-collide',
    covers: 'PG 18: 20 tables of one fast-path group (J2)',
    measure: 'explain',
    sql: (catalog) => [`SELECT * FROM ${sameGroup(catalog, 20).join(', ')}`],
  },
  {
    id: 'g-collide-txn',
    covers: 'PG 18: one group filled across statements',
    measure: 'explain',
    sql: (catalog) => {
      const names = sameGroup(catalog, 18);
      return [`SELECT * FROM ${names.slice(0, 9).join(', ')}`, `SELECT * FROM ${names.slice(9).join(', ')}`];
    },
  },
  {
    id: 'g-spread',
    covers: 'tables of every group',
    measure: 'explain',
    sql: (catalog) => [
      `SELECT * FROM ${[...catalog.relations.values()]
        .filter((r) => /^g\d+$/.test(r.name))
        .map((r) => r.name)
        // By number, not by the catalog's iteration order (which follows the loader's query and changed with it).
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
        .slice(0, 40)
        .join(', ')}`,
    ],
  },
];

export const ACCURACY_CASES: AccuracyCase[] = [
  ...tables,
  ...joins,
  ...views,
  ...partitions,
  ...inheritance,
  ...rowLocks,
  ...dml,
  ...ddl,
  ...transactions,
];
