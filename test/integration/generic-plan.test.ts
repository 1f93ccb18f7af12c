/** --generic predicts a cached generic plan: every partition locked (no plan-time pruning), no planner index locks. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Catalog } from '../../src/core/catalog.js';
import { predictStatements } from '../../src/core/predict/index.js';
import { loadSqlParser, parseSql } from '../../src/core/sql/index.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openServerSession } from '../../src/db/server-session.js';
import { DEFAULT_SAFETY, type SqlSession } from '../../src/db/session.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let db: SqlSession;
let catalog: Catalog;

before(async () => {
  await loadSqlParser();
  cluster = await startCluster();
  cluster.psql(`CREATE TABLE parted (k int NOT NULL, v int, PRIMARY KEY (k)) PARTITION BY RANGE (k);
    DO $$ BEGIN FOR i IN 0..7 LOOP EXECUTE format('CREATE TABLE parted_%s PARTITION OF parted FOR VALUES FROM (%s) TO (%s)', i, i*100, (i+1)*100); END LOOP; END $$;
    CREATE INDEX parted_v_idx ON parted (v);
    CREATE TABLE t5 (id int PRIMARY KEY, a int, b int, c int, d int);
    CREATE INDEX ON t5 (a); CREATE INDEX ON t5 (b); CREATE INDEX ON t5 (c); CREATE INDEX ON t5 (d);`);
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  db = await openServerSession(target, { ...DEFAULT_SAFETY, readOnly: false });
  catalog = await loadCatalog(db);
});
after(async () => {
  await db?.close();
  cluster?.stop();
});

/** Locks of EXPLAIN EXECUTE on a generic plan that an earlier transaction built (a cached plan being reused). */
async function measuredGeneric(name: string, sql: string, argument: string): Promise<string[]> {
  await db.query('SET plan_cache_mode = force_generic_plan');
  await db.query(`PREPARE ${name} AS ${sql}`);
  await db.query(`EXECUTE ${name}(${argument})`);
  await db.query('BEGIN');
  try {
    await db.query(`EXPLAIN EXECUTE ${name}(${argument})`);
    const rows = await db.query<{ rel: string; mode: string }>(
      `SELECT relation::regclass::text AS rel, mode FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation <> 'pg_locks'::regclass`,
    );
    return rows.map((r) => `public.${r.rel} ${r.mode}`).sort();
  } finally {
    await db.query('ROLLBACK');
    await db.query(`DEALLOCATE ${name}`);
    await db.query('RESET plan_cache_mode');
  }
}

function predicted(sql: string, generic: boolean): string[] {
  const parsed = parseSql(sql);
  assert.ok(parsed.ok);
  const plan = predictStatements(parsed.statements, catalog, { txn: false, generic }).statements[0];
  return (plan?.locks ?? [])
    .filter((l) => l.phase === 'plan')
    .map((l) => `${l.relation} ${l.mode}`)
    .sort();
}

test('generic plan on a partitioned table locks every partition and no index (Q36: 9 locks)', async () => {
  const sql = 'SELECT * FROM parted WHERE k = $1';
  const measured = await measuredGeneric('q36', sql, '150');
  assert.equal(measured.length, 9);
  assert.deepEqual(predicted(sql, true), measured);
  // A custom (fresh) plan of the same statement prunes to one partition with its indexes.
  assert.equal(predicted('SELECT * FROM parted WHERE k = 150', false).length, 4);
});

test('generic plan on a table with indexes locks only the table under EXPLAIN EXECUTE (Q38)', async () => {
  const sql = 'SELECT * FROM t5 WHERE id = $1';
  const measured = await measuredGeneric('q38', sql, '1');
  assert.deepEqual(predicted(sql, true), measured);
  assert.equal(predicted(sql, false).length, 6);
});
