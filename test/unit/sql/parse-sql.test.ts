/** Statements from text: kinds, relations in parse-analysis order with roles and modes, row locks, errors, offsets. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import type { Statement } from '../../../src/core/statement.js';

before(() => loadSqlParser());

function one(sql: string): Statement {
  const outcome = parseSql(sql);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  assert.equal(outcome.statements.length, 1);
  return outcome.statements[0] as Statement;
}

const rel = (s: Statement): string[] => s.relations.map((r) => `${r.schema !== undefined ? `${r.schema}.` : ''}${r.name}:${r.mode.replace('Lock', '')}:${r.role}${r.inherit ? '' : ':only'}`);

const relationCases: Array<[sql: string, kind: string, relations: string[]]> = [
  ['SELECT * FROM a JOIN b ON b.id = a.id', 'select', ['a:AccessShare:read', 'b:AccessShare:read']],
  ['SELECT * FROM s.a, ONLY b', 'select', ['s.a:AccessShare:read', 'b:AccessShare:read:only']],
  ['WITH c AS (SELECT * FROM x) SELECT * FROM c JOIN y ON true', 'select', ['x:AccessShare:read', 'y:AccessShare:read']],
  ['SELECT (SELECT 1 FROM t1) FROM t2 WHERE EXISTS (SELECT 1 FROM t3)', 'select', ['t2:AccessShare:read', 't1:AccessShare:read', 't3:AccessShare:read']],
  ['SELECT * FROM a JOIN b ON true FOR UPDATE OF b', 'select', ['a:AccessShare:read', 'b:RowShare:row-lock']],
  ['SELECT * FROM a x FOR SHARE OF x', 'select', ['a:RowShare:row-lock']],
  ['SELECT * FROM (SELECT * FROM a) s FOR UPDATE', 'select', ['a:RowShare:row-lock']],
  ['SELECT * FROM a WHERE id IN (SELECT id FROM b) FOR UPDATE', 'select', ['a:RowShare:row-lock', 'b:AccessShare:read']],
  ['SELECT 1 FROM a UNION SELECT 1 FROM b', 'select', ['a:AccessShare:read', 'b:AccessShare:read']],
  ['INSERT INTO t SELECT * FROM t WHERE id = 1', 'insert', ['t:RowExclusive:write-target', 't:AccessShare:read']],
  ['UPDATE t SET v = s.v FROM s WHERE s.id = t.id', 'update', ['t:RowExclusive:write-target', 's:AccessShare:read']],
  ['DELETE FROM t USING u WHERE u.id = t.id', 'delete', ['t:RowExclusive:write-target', 'u:AccessShare:read']],
  ['MERGE INTO t USING s ON s.id = t.id WHEN MATCHED THEN DELETE', 'merge', ['t:RowExclusive:write-target', 's:AccessShare:read']],
  ['WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', 'select', ['t:RowExclusive:write-target']],
  ['EXPLAIN SELECT * FROM a', 'select', ['a:AccessShare:read']],
];

for (const [sql, kind, relations] of relationCases) {
  test(`relations: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.kind, kind);
    assert.deepEqual(rel(s), relations);
  });
}

const ddlCases: Array<[sql: string, command: string, relations: string[]]> = [
  ['ALTER TABLE a ADD COLUMN z int', 'ALTER TABLE', ['a:AccessExclusive:ddl-target']],
  ['ALTER TABLE a ALTER COLUMN x SET STATISTICS 100', 'ALTER TABLE', ['a:ShareUpdateExclusive:ddl-target']],
  ['ALTER TABLE a SET (fillfactor = 70, autovacuum_enabled = off)', 'ALTER TABLE', ['a:ShareUpdateExclusive:ddl-target']],
  ['ALTER TABLE a SET (fillfactor = 70), ADD COLUMN q int', 'ALTER TABLE', ['a:AccessExclusive:ddl-target']],
  ['ALTER TABLE b ADD FOREIGN KEY (a_id) REFERENCES a (id)', 'ALTER TABLE', ['b:ShareRowExclusive:ddl-target', 'a:ShareRowExclusive:ddl-target']],
  ['ALTER TABLE b VALIDATE CONSTRAINT b_fk', 'ALTER TABLE', ['b:ShareUpdateExclusive:ddl-target']],
  ['ALTER TABLE p DETACH PARTITION p1 CONCURRENTLY', 'ALTER TABLE', ['p:ShareUpdateExclusive:ddl-target']],
  ['ALTER TABLE c DISABLE TRIGGER ALL', 'ALTER TABLE', ['c:ShareRowExclusive:ddl-target']],
  ['CREATE INDEX ON a (x)', 'CREATE INDEX', ['a:Share:ddl-target']],
  ['CREATE INDEX CONCURRENTLY ON a (x)', 'CREATE INDEX CONCURRENTLY', ['a:ShareUpdateExclusive:ddl-target']],
  ['DROP INDEX CONCURRENTLY a_x_idx', 'DROP INDEX CONCURRENTLY', ['a_x_idx:ShareUpdateExclusive:ddl-target']],
  ['TRUNCATE a, b', 'TRUNCATE', ['a:AccessExclusive:ddl-target', 'b:AccessExclusive:ddl-target']],
  ['VACUUM FULL a', 'VACUUM FULL', ['a:AccessExclusive:ddl-target']],
  ['VACUUM a', 'VACUUM', ['a:ShareUpdateExclusive:ddl-target']],
  ['ANALYZE a', 'ANALYZE', ['a:ShareUpdateExclusive:ddl-target']],
  ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', 'REFRESH MATERIALIZED VIEW CONCURRENTLY', ['mv:Exclusive:ddl-target']],
  ['LOCK TABLE a IN ROW EXCLUSIVE MODE', 'LOCK TABLE', ['a:RowExclusive:ddl-target']],
  ['LOCK a', 'LOCK TABLE', ['a:AccessExclusive:ddl-target']],
  ['ALTER INDEX a_x_idx RENAME TO y', 'ALTER INDEX RENAME', ['a_x_idx:ShareUpdateExclusive:ddl-target']],
  ['ALTER TABLE a RENAME TO b', 'ALTER TABLE RENAME', ['a:AccessExclusive:ddl-target']],
  ['CREATE TABLE p9 PARTITION OF p FOR VALUES FROM (1) TO (2)', 'CREATE TABLE PARTITION OF', ['p:AccessExclusive:ddl-target']],
  ['CREATE TRIGGER t BEFORE INSERT ON a FOR EACH ROW EXECUTE FUNCTION f()', 'CREATE TRIGGER', ['a:ShareRowExclusive:ddl-target']],
  ['GRANT SELECT ON a TO bob', 'GRANT', []],
];

for (const [sql, command, relations] of ddlCases) {
  test(`ddl: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.kind, 'ddl');
    assert.equal(s.command, command);
    assert.deepEqual(rel(s), relations);
  });
}

test('row-lock clauses keep strength, wait policy and OF', () => {
  const s = one('SELECT * FROM a JOIN b ON true FOR NO KEY UPDATE OF a SKIP LOCKED FOR KEY SHARE OF b NOWAIT');
  assert.deepEqual(s.rowLocks, [
    { strength: 'no-key-update', waitPolicy: 'skip-locked', of: ['a'] },
    { strength: 'key-share', waitPolicy: 'nowait', of: ['b'] },
  ]);
});

test('transaction control, lock_timeout and subtransaction openers', () => {
  const outcome = parseSql(`BEGIN; SAVEPOINT s1; SET LOCAL lock_timeout = '2s'; RELEASE s1; ROLLBACK TO s1; COMMIT;
    DO $$ BEGIN BEGIN PERFORM 1; EXCEPTION WHEN others THEN NULL; END; END $$;
    DO $$ BEGIN PERFORM 1; END $$;`);
  assert.ok(outcome.ok);
  const s = outcome.statements;
  assert.deepEqual(s.slice(0, 6).map((x) => x.details.transactionAction ?? (x.details.setsLockTimeout === true ? 'lock_timeout' : '')), ['begin', 'savepoint', 'lock_timeout', 'release', 'rollback-to', 'commit']);
  assert.equal(s[6]?.details.opensSubtransaction, true);
  assert.equal(s[7]?.details.opensSubtransaction, undefined);
});

test('INSERT details: ON CONFLICT inference, source, columns, nextval', () => {
  const s = one("INSERT INTO t (a, b) VALUES (nextval('seq'), 1) ON CONFLICT (a) DO NOTHING");
  assert.equal(s.details.onConflictInference, true);
  assert.equal(s.details.insertSource, 'values');
  assert.deepEqual(s.details.targetColumns, ['a', 'b']);
  assert.deepEqual(s.details.sequenceCalls, ['seq']);
  assert.equal(one('INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING').details.onConflictInference, false);
});

test('several statements are split with offsets into the original text (non-ASCII before them)', () => {
  const text = "SELECT 'überall ✓' FROM a;\n  UPDATE b SET v = ? WHERE id = :id;";
  const outcome = parseSql(text);
  assert.ok(outcome.ok);
  const [first, second] = outcome.statements;
  assert.equal(text.slice(first?.start, first?.end), "SELECT 'überall ✓' FROM a");
  assert.ok(text.slice(second?.start).startsWith('UPDATE b SET v = ?'));
  assert.equal(second?.sql, 'UPDATE b SET v = $1 WHERE id = $2');
  assert.equal(second?.parameterCount, 2);
  assert.equal(second?.sql.slice(second.relations[0]?.offset ?? -1).slice(0, 1), 'b');
});

test('SQL that does not parse is an error with its position, not a throw', () => {
  const text = "SELECT 'ä' FROM a;\nSELEC * FROM b";
  const outcome = parseSql(text);
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.match(outcome.error.message, /syntax error at or near "SELEC"/);
  assert.equal(text.slice(outcome.error.offset, outcome.error.offset + 5), 'SELEC');
});
