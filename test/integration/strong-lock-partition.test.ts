/**
 * Strong-lock partitions on a real server: two tables whose lock tags share one of lock.c's 1,024
 * FastPathStrongRelationLocks partitions (found with the predictor's own hash over the OIDs the server gave them);
 * after a strong lock on one, a weak lock on the other goes to the main lock table. Predicted with --txn and compared
 * with pg_locks on PostgreSQL 15 and PGlite 18.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalog } from '../../src/core/catalog.js';
import { predictStatements } from '../../src/core/predict/index.js';
import { strongLockPartition } from '../../src/core/predict/strong-lock-partition.js';
import { loadSqlParser, parseSql } from '../../src/core/sql/index.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { measureLocks } from '../../src/db/measure.js';
import { openTarget, type FuzzTarget, type TargetName } from '../fuzz/differential.js';

const TABLES = 160;

/** Two tables of one partition and a third of another, by the server's OIDs. */
function collision(catalog: Catalog): { strong: string; weak: string; apart: string } {
  const database = catalog.databaseOid;
  assert.ok(database !== undefined, 'the snapshot carries the database OID');
  const tables = [...catalog.relations.values()].filter((r) => r.schema === 'slp' && r.relkind === 'table');
  assert.equal(tables.length, TABLES);
  const seen = new Map<number, string>();
  for (const t of tables) {
    const partition = strongLockPartition(database, t.oid);
    const first = seen.get(partition);
    if (first !== undefined) {
      const apart = tables.find((x) => strongLockPartition(database, x.oid) !== partition);
      assert.ok(apart !== undefined);
      return { strong: first, weak: t.qualifiedName, apart: apart.qualifiedName };
    }
    seen.set(partition, t.qualifiedName);
  }
  throw new Error(`no two of ${TABLES} tables share a partition`);
}

const key = (l: { relation: string; mode: string; fastpath: boolean }): string => `${l.relation} ${l.mode} ${l.fastpath ? 'fast' : 'slow'}`;

for (const name of ['pg15', 'pg18'] as TargetName[]) {
  describe(`strong-lock partitions on ${name}`, () => {
    let target: FuzzTarget;
    let catalog: Catalog;
    before(async () => {
      await loadSqlParser();
      target = await openTarget(name);
      await target.session.query('CREATE SCHEMA slp');
      await target.session.query(
        `DO $$ BEGIN FOR i IN 1..${TABLES} LOOP EXECUTE format('CREATE TABLE slp.t%s (a int)', i); END LOOP; END $$`,
      );
      catalog = await loadCatalog(target.session);
    });
    after(() => target?.close());

    const rows = [
      {
        name: 'a weak lock after a strong lock in its partition is slow path; one in another partition is fast',
        sql: (c: ReturnType<typeof collision>) => [
          `LOCK TABLE ${c.strong} IN SHARE MODE`,
          `SELECT * FROM ${c.weak}`,
          `SELECT * FROM ${c.apart}`,
        ],
        weakFast: false,
      },
      {
        name: 'a weak lock taken before the strong lock keeps its fast-path slot',
        sql: (c: ReturnType<typeof collision>) => [
          `SELECT * FROM ${c.weak}`,
          `LOCK TABLE ${c.strong} IN ACCESS EXCLUSIVE MODE`,
          `SELECT * FROM ${c.apart}`,
        ],
        weakFast: true,
      },
    ];
    for (const row of rows)
      test(row.name, async () => {
        const c = collision(catalog);
        const statements = row.sql(c);
        const parsed = parseSql(statements.join(';\n'));
        assert.ok(parsed.ok);
        const predicted = predictStatements(parsed.statements, catalog, { txn: true }).transaction?.locks ?? [];
        const measured = (await measureLocks(target.session, statements, catalog, { execute: true, txn: true })).transaction?.locks ?? [];
        const ours = (locks: typeof predicted): string[] =>
          locks
            .filter((l) => l.relation.startsWith('slp.'))
            .map(key)
            .sort();
        assert.deepEqual(ours(predicted), ours(measured));
        assert.ok(ours(measured).includes(`${c.weak} AccessShareLock ${row.weakFast ? 'fast' : 'slow'}`), ours(measured).join('; '));
        assert.ok(ours(measured).includes(`${c.apart} AccessShareLock fast`));
      });
  });
}
