/**
 * Deferred foreign keys in a transaction (--txn): the check of a DEFERRABLE INITIALLY DEFERRED key locks the
 * referenced table at COMMIT, so the INSERT's own locks leave it out and COMMIT's carry it; ROLLBACK drops it.
 * pg_locks cannot show locks taken and released inside COMMIT, so this checks the prediction on a real catalog.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Catalog } from '../../../src/core/catalog.js';
import { predictStatements } from '../../../src/core/predict/index.js';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { loadCatalog } from '../../../src/db/catalog-loader.js';
import { openTarget, type FuzzTarget } from '../../fuzz/differential.js';

let target: FuzzTarget;
let catalog: Catalog;

before(async () => {
  await loadSqlParser();
  target = await openTarget('pg18');
  await target.session.query('DROP SCHEMA IF EXISTS fz CASCADE');
  for (const sql of [
    'CREATE SCHEMA fz',
    'CREATE TABLE fz.users (id bigint PRIMARY KEY)',
    'CREATE TABLE fz.log (id bigint, ref bigint REFERENCES fz.users (id) DEFERRABLE INITIALLY DEFERRED)',
    'CREATE TABLE fz.audit (id bigint, ref bigint REFERENCES fz.users (id))',
  ])
    await target.session.query(sql);
  catalog = await loadCatalog(target.session);
});
after(() => target?.close());

const locksOf = (sql: string): string[][] => {
  const parsed = parseSql(sql);
  assert.ok(parsed.ok);
  return predictStatements(parsed.statements, catalog, { txn: true }).statements.map((s) => s.locks.map((l) => `${l.relation} ${l.mode}`));
};

test('the snapshot marks the deferred key only', () => {
  const log = [...catalog.relations.values()].find((r) => r.qualifiedName === 'fz.log');
  const audit = [...catalog.relations.values()].find((r) => r.qualifiedName === 'fz.audit');
  assert.equal(log?.foreignKeys[0]?.deferred, true);
  assert.equal(audit?.foreignKeys[0]?.deferred, undefined);
});

test('cases: where the deferred check lands in a transaction', () => {
  const cases: Array<{ sql: string; at: number[]; without: number[] }> = [
    { sql: 'BEGIN; INSERT INTO fz.log VALUES (1, 1); COMMIT', at: [2], without: [1] },
    { sql: 'BEGIN; INSERT INTO fz.log VALUES (1, 1); ROLLBACK', at: [], without: [1, 2] },
    { sql: 'BEGIN; INSERT INTO fz.audit VALUES (1, 1); COMMIT', at: [1], without: [2] },
  ];
  for (const c of cases) {
    const statements = locksOf(c.sql);
    for (const i of c.at) assert.ok(statements[i]?.includes('fz.users RowShareLock'), `${c.sql}: statement ${i} locks fz.users`);
    for (const i of c.without)
      assert.ok(!statements[i]?.includes('fz.users RowShareLock'), `${c.sql}: statement ${i} does not lock fz.users`);
  }
});
