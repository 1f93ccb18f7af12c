/** DDL and utility statements: command, the relations they lock and the level (postgres-lock-rules.md §4). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { one, rels } from './helpers.js';

before(() => loadSqlParser());

const D = 'ddl-target';
const cases: Array<[sql: string, command: string, relations: string[]]> = [
  // ALTER TABLE: the strongest level over all subcommands, starting at SUE.
  ['ALTER TABLE a ADD COLUMN z int', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a ALTER COLUMN x SET STATISTICS 100', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE a ALTER COLUMN x SET (n_distinct = 10)', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE a SET (fillfactor = 70, autovacuum_enabled = off)', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE a SET (toast.autovacuum_vacuum_scale_factor = 0.1)', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE a SET (fillfactor = 70, user_catalog_table = true)', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a RESET (autovacuum_enabled)', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE a SET (fillfactor = 70), ADD COLUMN q int', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a ALTER COLUMN x SET STATISTICS 10, DISABLE TRIGGER ALL', 'ALTER TABLE', [`a:SRX:${D}`]],
  ['ALTER TABLE a ALTER COLUMN x TYPE bigint', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a ALTER COLUMN x SET NOT NULL', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a ADD CONSTRAINT c CHECK (x > 0) NOT VALID', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER TABLE a CLUSTER ON a_idx', 'ALTER TABLE', [`a:SUE:${D}`]],
  ['ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES s.a (id)', 'ALTER TABLE', [`b:SRX:${D}`, `s.a:SRX:${D}`]],
  [
    'ALTER TABLE b ADD CONSTRAINT fk FOREIGN KEY (a_id) REFERENCES a NOT VALID, ADD COLUMN n int',
    'ALTER TABLE',
    [`b:AX:${D}`, `a:SRX:${D}`],
  ],
  ['ALTER TABLE b VALIDATE CONSTRAINT b_fk', 'ALTER TABLE', [`b:SUE:${D}`]],
  ['ALTER TABLE c ENABLE TRIGGER t1', 'ALTER TABLE', [`c:SRX:${D}`]],
  ['ALTER TABLE ONLY p ATTACH PARTITION p1 FOR VALUES IN (1)', 'ALTER TABLE', [`p:SUE:${D}:only`, `p1:AX:${D}`]],
  ['ALTER TABLE p DETACH PARTITION p1', 'ALTER TABLE', [`p:AX:${D}`, `p1:AX:${D}`]],
  ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', 'ALTER TABLE', [`p:SUE:${D}`, `p1:SUE:${D}`]],
  ['ALTER TABLE p DETACH PARTITION p1 FINALIZE', 'ALTER TABLE', [`p:SUE:${D}`]],
  ['ALTER TABLE a OWNER TO bob', 'ALTER TABLE', [`a:AX:${D}`]],
  ['ALTER INDEX a_idx SET (fillfactor = 50)', 'ALTER INDEX', [`a_idx:SUE:${D}`]],
  ['ALTER INDEX a_idx ALTER COLUMN 1 SET STATISTICS 100', 'ALTER INDEX', [`a_idx:SUE:${D}`]],
  // RENAME: indexes need only SUE, tables/columns/constraints AX.
  ['ALTER INDEX a_x_idx RENAME TO y', 'ALTER INDEX RENAME', [`a_x_idx:SUE:${D}`]],
  ['ALTER TABLE a RENAME TO b', 'ALTER TABLE RENAME', [`a:AX:${D}`]],
  ['ALTER TABLE a RENAME COLUMN x TO y', 'ALTER TABLE RENAME', [`a:AX:${D}`]],
  ['ALTER TABLE a SET SCHEMA archive', 'ALTER TABLE SET SCHEMA', [`a:AX:${D}`]],
  // Indexes.
  ['CREATE INDEX ON a (x)', 'CREATE INDEX', [`a:S:${D}`]],
  ['CREATE UNIQUE INDEX CONCURRENTLY a_x ON app.a (x)', 'CREATE INDEX CONCURRENTLY', [`app.a:SUE:${D}`]],
  ['REINDEX TABLE a', 'REINDEX', [`a:S:${D}`]],
  ['REINDEX INDEX a_idx', 'REINDEX', [`a_idx:AX:${D}`]],
  ['REINDEX (CONCURRENTLY) TABLE a', 'REINDEX CONCURRENTLY', [`a:SUE:${D}`]],
  ['DROP INDEX a_x_idx', 'DROP INDEX', [`a_x_idx:AX:${D}`]],
  ['DROP INDEX CONCURRENTLY s.a_x_idx', 'DROP INDEX CONCURRENTLY', [`s.a_x_idx:SUE:${D}`]],
  // Whole-table statements.
  ['DROP TABLE s.a, b CASCADE', 'DROP TABLE', [`s.a:AX:${D}`, `b:AX:${D}`]],
  ['TRUNCATE a, ONLY b', 'TRUNCATE', [`a:AX:${D}`, `b:AX:${D}:only`]],
  ['VACUUM a', 'VACUUM', [`a:SUE:${D}`]],
  ['VACUUM (FULL, ANALYZE) a, b', 'VACUUM FULL', [`a:AX:${D}`, `b:AX:${D}`]],
  ['VACUUM', 'VACUUM', []],
  ['ANALYZE a (x)', 'ANALYZE', [`a:SUE:${D}`]],
  ['CLUSTER a USING a_idx', 'CLUSTER', [`a:AX:${D}`]],
  ['REFRESH MATERIALIZED VIEW mv', 'REFRESH MATERIALIZED VIEW', [`mv:AX:${D}`]],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', 'REFRESH MATERIALIZED VIEW CONCURRENTLY', [`mv:X:${D}`]],
  ['LOCK a', 'LOCK TABLE', [`a:AX:${D}`]],
  ['LOCK TABLE a, ONLY b IN ROW EXCLUSIVE MODE', 'LOCK TABLE', [`a:RX:${D}`, `b:RX:${D}:only`]],
  ['LOCK TABLE a IN SHARE ROW EXCLUSIVE MODE NOWAIT', 'LOCK TABLE', [`a:SRX:${D}`]],
  ['COMMENT ON TABLE app.users IS $$x$$', 'COMMENT', [`app.users:SUE:${D}`]],
  ['COMMENT ON COLUMN users.name IS NULL', 'COMMENT', [`users:SUE:${D}`]],
  ['COMMENT ON FUNCTION f() IS NULL', 'COMMENT', []],
  ['CREATE STATISTICS s ON a, b FROM t', 'CREATE STATISTICS', [`t:SUE:${D}`]],
  ['CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()', 'CREATE TRIGGER', [`a:SRX:${D}`]],
  ['ALTER SEQUENCE s RESTART', 'ALTER SEQUENCE', [`s:SRX:${D}`]],
  // CREATE TABLE names the relations it locks: parents and referenced tables (the new table is not listed).
  ['CREATE TABLE p9 PARTITION OF p FOR VALUES FROM (1) TO (2)', 'CREATE TABLE PARTITION OF', [`p:AX:${D}`]],
  ['CREATE TABLE ch () INHERITS (par)', 'CREATE TABLE', [`par:SUE:${D}`]],
  ['CREATE TABLE c (id int REFERENCES p (id), x int, FOREIGN KEY (x) REFERENCES q)', 'CREATE TABLE', [`p:SRX:${D}`, `q:SRX:${D}`]],
  ['GRANT SELECT ON a TO bob', 'GRANT', []],
  ['CREATE SEQUENCE sq', 'CREATE SEQUENCE', []],
];

for (const [sql, command, relations] of cases) {
  test(`ddl: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.kind, 'ddl');
    assert.equal(s.command, command);
    assert.equal(s.details.ddlCommand, command);
    assert.deepEqual(rels(s), relations);
  });
}

test('ALTER TABLE lists its subcommands and the reason names them', () => {
  const s = one('ALTER TABLE a ADD COLUMN z int, ALTER COLUMN x SET STATISTICS 5, ADD FOREIGN KEY (y) REFERENCES b');
  assert.deepEqual(s.details.ddlSubcommands, ['ADD COLUMN', 'SET STATISTICS', 'ADD FOREIGN KEY']);
  assert.equal(s.relations[0]?.reason, 'ALTER TABLE ADD COLUMN, SET STATISTICS, ADD FOREIGN KEY');
});

const concurrently: Array<[sql: string, expected: boolean]> = [
  ['CREATE INDEX CONCURRENTLY ON a (x)', true],
  ['CREATE INDEX ON a (x)', false],
  ['REINDEX INDEX CONCURRENTLY i', true],
  ['DROP INDEX CONCURRENTLY i', true],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', true],
  ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', true],
];

for (const [sql, expected] of concurrently) {
  test(`concurrently: ${sql}`, () => assert.equal(one(sql).details.concurrently, expected));
}

test('names without an AST location (DROP, COMMENT) still get their offset in the statement', () => {
  const s = one('DROP TABLE IF EXISTS app.orders, "Lines"');
  assert.deepEqual(
    s.relations.map((r) => s.sql.slice(r.offset, r.offset + 10)),
    ['app.orders', '"Lines"'],
  );
});
