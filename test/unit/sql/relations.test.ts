/** DML relations in the order parse analysis opens them, with role, mode, ONLY, aliases, CTE scoping and offsets. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { one, rels } from './helpers.js';

before(() => loadSqlParser());

const cases: Array<[sql: string, kind: string, relations: string[]]> = [
  // FROM items left to right, joins depth first, ON-clause sublinks after both sides of their join.
  ['SELECT * FROM a JOIN b ON b.id = a.id', 'select', ['a:AS', 'b:AS']],
  ['SELECT * FROM s.a, ONLY b', 'select', ['s.a:AS', 'b:AS:only']],
  ['SELECT * FROM a JOIN (b JOIN c ON c.x = (SELECT 1 FROM s1)) ON true, d', 'select', ['a:AS', 'b:AS', 'c:AS', 's1:AS', 'd:AS']],
  ['SELECT * FROM "MixedCase" m, Unquoted u', 'select', ['MixedCase:AS', 'unquoted:AS']],
  ['SELECT * FROM a NATURAL JOIN b LEFT JOIN c USING (id) CROSS JOIN d', 'select', ['a:AS', 'b:AS', 'c:AS', 'd:AS']],
  // Clause order: FROM, target list, WHERE, HAVING, ORDER BY, GROUP BY, OFFSET, LIMIT.
  ['SELECT (SELECT 1 FROM t1) FROM t2 WHERE EXISTS (SELECT 1 FROM t3)', 'select', ['t2:AS', 't1:AS', 't3:AS']],
  [
    'SELECT (SELECT 1 FROM tl) FROM a GROUP BY (SELECT 1 FROM g) HAVING (SELECT true FROM h) ORDER BY (SELECT 1 FROM o) LIMIT (SELECT 1 FROM l) OFFSET (SELECT 1 FROM f)',
    'select',
    ['a:AS', 'tl:AS', 'h:AS', 'o:AS', 'g:AS', 'f:AS', 'l:AS'],
  ],
  // x IN (SELECT …): the subselect is analysed before the left-hand expression.
  ['SELECT * FROM a WHERE (SELECT 1 FROM lhs) IN (SELECT 1 FROM rhs)', 'select', ['a:AS', 'rhs:AS', 'lhs:AS']],
  // WITH first; a CTE name is not a relation; every CTE is analysed even when unused.
  ['WITH c AS (SELECT * FROM x) SELECT * FROM c JOIN y ON true', 'select', ['x:AS', 'y:AS']],
  ['WITH unused AS (SELECT * FROM u) SELECT * FROM t', 'select', ['u:AS', 't:AS']],
  ['WITH c AS (SELECT 1) SELECT * FROM public.c', 'select', ['public.c:AS']],
  ['WITH a AS (SELECT * FROM b), b AS (SELECT * FROM a) SELECT * FROM b', 'select', ['b:AS']],
  ['SELECT * FROM c, (WITH c AS (SELECT 1) SELECT * FROM c) s', 'select', ['c:AS']],
  ['SELECT (WITH w AS (SELECT * FROM inner_t) SELECT 1 FROM w) FROM w', 'select', ['w:AS', 'inner_t:AS']],
  // WITH RECURSIVE: dependency order (TopologicalSort), self references are CTE references.
  ['WITH RECURSIVE b AS (SELECT * FROM c JOIN t2 ON true), c AS (SELECT * FROM t1) SELECT * FROM b', 'select', ['t1:AS', 't2:AS']],
  [
    'WITH RECURSIVE r(n) AS (SELECT id FROM seed UNION ALL SELECT n FROM r JOIN step ON true) SELECT * FROM r',
    'select',
    ['seed:AS', 'step:AS'],
  ],
  // Set operations: left arm, then right; ORDER BY of the whole afterwards.
  ['SELECT 1 FROM a UNION SELECT 1 FROM b EXCEPT SELECT 1 FROM c', 'select', ['a:AS', 'b:AS', 'c:AS']],
  ['(SELECT 1 FROM a INTERSECT SELECT 1 FROM b) ORDER BY (SELECT 1 FROM o)', 'select', ['a:AS', 'b:AS', 'o:AS']],
  // Subqueries, LATERAL, VALUES, functions and TABLESAMPLE in FROM.
  ['SELECT * FROM a, LATERAL (SELECT * FROM b WHERE b.id = a.id) s', 'select', ['a:AS', 'b:AS']],
  ['SELECT * FROM generate_series(1, (SELECT max(id) FROM mx)) g, big TABLESAMPLE SYSTEM (10)', 'select', ['mx:AS', 'big:AS']],
  ['SELECT * FROM (VALUES (1), ((SELECT 2 FROM v1))) v(x), w', 'select', ['v1:AS', 'w:AS']],
  ["SELECT * FROM unnest(ARRAY[1]) u, json_to_record('{}') AS j(a int)", 'select', []],
  // The same relation twice is listed twice (the predictor dedupes).
  ['SELECT * FROM t x JOIN t y ON x.id = y.parent', 'select', ['t:AS', 't:AS']],
  // INSERT: target (RX) before the SELECT, then ON CONFLICT and RETURNING sublinks.
  ['INSERT INTO t SELECT * FROM t WHERE id = 1', 'insert', ['t:RX:write-target', 't:AS']],
  ['INSERT INTO t VALUES ((SELECT max(id) FROM u)), (2)', 'insert', ['t:RX:write-target', 'u:AS']],
  [
    'INSERT INTO t (a) SELECT a FROM s UNION ALL SELECT a FROM u ON CONFLICT (a) DO UPDATE SET a = (SELECT 1 FROM w) RETURNING (SELECT 1 FROM r)',
    'insert',
    ['t:RX:write-target', 's:AS', 'u:AS', 'w:AS', 'r:AS'],
  ],
  ['WITH src AS (SELECT * FROM s) INSERT INTO t SELECT * FROM src', 'insert', ['s:AS', 't:RX:write-target']],
  ['INSERT INTO t WITH src AS (SELECT * FROM s) SELECT * FROM src', 'insert', ['t:RX:write-target', 's:AS']],
  // UPDATE: target, FROM, WHERE, RETURNING, and SET last (transformUpdateTargetList).
  ['UPDATE t SET v = s.v FROM s WHERE s.id = t.id', 'update', ['t:RX:write-target', 's:AS']],
  [
    'UPDATE ONLY t SET v = (SELECT 1 FROM setsrc) FROM f WHERE f.id = (SELECT 1 FROM wh) RETURNING (SELECT 1 FROM ret)',
    'update',
    ['t:RX:write-target:only', 'f:AS', 'wh:AS', 'ret:AS', 'setsrc:AS'],
  ],
  // DELETE: target, USING, WHERE, RETURNING.
  ['DELETE FROM t USING u WHERE u.id = t.id AND EXISTS (SELECT 1 FROM v)', 'delete', ['t:RX:write-target', 'u:AS', 'v:AS']],
  // MERGE: target, source, ON, then WHEN clauses.
  ['MERGE INTO t USING s ON s.id = t.id WHEN MATCHED THEN DELETE', 'merge', ['t:RX:write-target', 's:AS']],
  [
    'MERGE INTO t USING (SELECT * FROM src) s ON s.id = t.id WHEN MATCHED AND EXISTS (SELECT 1 FROM m1) THEN UPDATE SET v = (SELECT 1 FROM m2) WHEN NOT MATCHED THEN INSERT VALUES (s.id)',
    'merge',
    ['t:RX:write-target', 'src:AS', 'm1:AS', 'm2:AS'],
  ],
  // Data-modifying CTEs: their targets are write targets.
  ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'select', ['t:RX:write-target']],
  [
    'WITH d AS (DELETE FROM old RETURNING *), i AS (INSERT INTO arch SELECT * FROM d RETURNING *) UPDATE stats SET n = (SELECT count(*) FROM i)',
    'update',
    ['old:RX:write-target', 'arch:RX:write-target', 'stats:RX:write-target'],
  ],
  // EXPLAIN is its statement; CREATE VIEW / CREATE TABLE AS read their sources.
  ['EXPLAIN SELECT * FROM a', 'select', ['a:AS']],
  ['EXPLAIN (ANALYZE, BUFFERS) DELETE FROM t USING u WHERE u.id = t.id', 'delete', ['t:RX:write-target', 'u:AS']],
  ['CREATE VIEW v AS SELECT * FROM a JOIN b USING (id)', 'ddl', ['a:AS', 'b:AS']],
  ['CREATE TABLE n AS SELECT * FROM a', 'ddl', ['a:AS']],
  ['COPY t FROM STDIN', 'utility', ['t:RX:write-target']],
];

for (const [sql, kind, relations] of cases) {
  test(`relations: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.kind, kind);
    assert.deepEqual(rels(s), relations);
  });
}

test('aliases, reasons and offsets point at the names in the statement', () => {
  const s = one(
    'WITH d AS (DELETE FROM old RETURNING *) SELECT * FROM "Big" AS b, (SELECT 1 FROM sub) x WHERE x IN (SELECT 1 FROM inner_t)',
  );
  assert.deepEqual(
    s.relations.map((r) => [r.name, r.alias, r.reason, s.sql.slice(r.offset, r.offset + r.name.length + (r.name === 'Big' ? 2 : 0))]),
    [
      ['old', undefined, 'DELETE target in WITH d', 'old'],
      ['Big', 'b', 'FROM item', '"Big"'],
      ['sub', undefined, 'FROM item in a FROM subquery', 'sub'],
      ['inner_t', undefined, 'FROM item in a sublink', 'inner_t'],
    ],
  );
});

test('INSERT details: ON CONFLICT inference, source, columns, sequences', () => {
  const s = one("INSERT INTO t (a, b) VALUES (nextval('app.seq'), currval('\"Seq\"'::regclass)) ON CONFLICT (a) DO NOTHING");
  assert.equal(s.details.onConflictInference, true);
  assert.equal(s.details.insertSource, 'values');
  assert.deepEqual(s.details.targetColumns, ['a', 'b']);
  assert.deepEqual(s.details.sequenceCalls, ['app.seq', '"Seq"']);
});

const insertDetails: Array<[sql: string, inference: boolean, source: string, columns: string[]]> = [
  ['INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING', false, 'values', []],
  ['INSERT INTO t VALUES (1) ON CONFLICT ON CONSTRAINT t_pkey DO NOTHING', true, 'values', []],
  ['INSERT INTO t DEFAULT VALUES', false, 'default-values', []],
  ['INSERT INTO t (x) SELECT x FROM s', false, 'select', ['x']],
];

for (const [sql, inference, source, columns] of insertDetails) {
  test(`INSERT details: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.details.onConflictInference, inference);
    assert.equal(s.details.insertSource, source);
    assert.deepEqual(s.details.targetColumns, columns);
  });
}

test('UPDATE target columns are the SET columns', () => {
  assert.deepEqual(one('UPDATE t SET a = 1, b = (SELECT 2), (c, d) = (3, 4)').details.targetColumns, ['a', 'b', 'c', 'd']);
});
