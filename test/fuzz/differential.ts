/**
 * The fuzzer's truth side: installs a generated schema on a target (PostgreSQL 15 server or PGlite 18), then predicts
 * each case and measures it with pg_locks (EXPLAIN, or the statement executed) in a transaction that is rolled back,
 * and compares lock by lock (relation, mode, fast path). Nothing is hidden but pg_catalog and information_schema.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Catalog } from '../../src/core/catalog.js';
import type { PlannedLock } from '../../src/core/lock-plan.js';
import { predictStatements } from '../../src/core/predict/index.js';
import { parseSql } from '../../src/core/sql/index.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { openEmbeddedSessionThreaded } from '../../src/db/embedded-session-threaded.js';
import { measureLocks } from '../../src/db/measure.js';
import { openServerSession } from '../../src/db/server-session.js';
import { DEFAULT_SAFETY, type SqlSession } from '../../src/db/session.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { explainedByCreatedStrongLocks } from './created-strong-locks.js';
import { renderSchema, type FuzzSchema } from './schema-gen.js';
import type { FuzzCase } from './statement-gen.js';

export type TargetName = 'pg15' | 'pg18';

export interface FuzzTarget {
  name: TargetName;
  session: SqlSession;
  /** PGlite running on this thread: it blocks the event loop, so nothing else should run beside it. */
  inThread: boolean;
  close(): Promise<void>;
}

/** The bundled embedded worker (npm run build; npm test builds before the integration layer). */
const WORKER = join(__dirname, '..', '..', 'dist', 'embedded-worker.js');

export async function openTarget(name: TargetName): Promise<FuzzTarget> {
  if (name === 'pg18') {
    const threaded = existsSync(WORKER);
    const session = threaded ? await openEmbeddedSessionThreaded({}, WORKER) : await openEmbeddedSession();
    return { name, session, inThread: !threaded, close: () => session.close() };
  }
  const cluster: PgCluster = await startCluster();
  const target = resolveConnectionTarget(cluster.url, {});
  if (target === undefined) throw new Error('no target');
  const session = await openServerSession(target, {
    ...DEFAULT_SAFETY,
    readOnly: false,
    statementTimeoutMs: 30000,
    connectTimeoutMs: 30000,
  });
  return {
    name,
    session,
    inThread: false,
    async close() {
      await session.close();
      cluster.stop();
    },
  };
}

/** Replaces the fz schema with `schema` (each statement alone, autocommitted) and loads the catalog. */
export async function installSchema(target: FuzzTarget, schema: FuzzSchema): Promise<Catalog> {
  await target.session.query('DROP SCHEMA IF EXISTS fz CASCADE');
  for (const sql of renderSchema(schema)) {
    try {
      await target.session.query(sql);
    } catch (error) {
      throw new Error(`schema ${schema.seed} on ${target.name}: ${sql}: ${(error as Error).message}`);
    }
  }
  return loadCatalog(target.session);
}

export interface CaseOutcome {
  fuzzCase: FuzzCase;
  target: TargetName;
  exact: boolean;
  /** Measured locks the prediction lacks, and predicted locks pg_locks does not show ("relation mode fast|slow"). */
  missing: string[];
  extra: string[];
  /** The case could not run (the generator's fault) or could not be predicted. */
  error: string | undefined;
  /**
   * A DDL mismatch that the measured OIDs of the relations the statement created explain exactly: replayed with them,
   * the prediction equals pg_locks (their strong locks' partitions sent weak locks to the main table).
   */
  createdStrongLocks?: boolean;
}

const key = (lock: PlannedLock): string => `${lock.relation} ${lock.mode} ${lock.fastpath ? 'fast' : 'slow'}`;

/** System catalogs are the only namespace not compared (catalog updates of DDL lock them in passing). */
const compared = (lock: PlannedLock): boolean =>
  !lock.relation.startsWith('pg_catalog.') && !lock.relation.startsWith('information_schema.') && lock.relation.includes('.');

export async function runCase(target: FuzzTarget, catalog: Catalog, fuzzCase: FuzzCase): Promise<CaseOutcome> {
  const base = { fuzzCase, target: target.name, missing: [], extra: [] };
  const parsed = parseSql(fuzzCase.sql);
  if (!parsed.ok) return { ...base, exact: false, error: `does not parse: ${parsed.error.message}` };
  const prediction = predictStatements(parsed.statements, catalog, { txn: false }).statements[0];
  if (prediction?.error !== undefined) return { ...base, exact: false, error: `prediction failed: ${prediction.error}` };
  let measured;
  try {
    // The backend's cached plans: a referential-integrity query is a saved plan, and after five executions
    // plancache.c switches to a generic plan that is not planned again (only the table and the index it scans are
    // locked, not every index). Lockscope predicts a planned query, so each case starts without cached plans.
    await target.session.query('DISCARD PLANS');
    await coldPartitionQuals(target, catalog);
    measured = await measureLocks(target.session, [fuzzCase.sql], catalog, { execute: fuzzCase.measure === 'execute', txn: false });
  } catch (error) {
    return { ...base, exact: false, error: `measurement failed: ${(error as Error).message}` };
  }
  const predicted = (prediction?.locks ?? []).filter((l) => fuzzCase.measure === 'execute' || l.phase === 'plan').filter(compared);
  const p = new Set(predicted.map(key));
  const m = new Set((measured.statements[0]?.locks ?? []).filter(compared).map(key));
  const missing = [...m].filter((k) => !p.has(k));
  const extra = [...p].filter((k) => !m.has(k));
  const exact = missing.length === 0 && extra.length === 0;
  const measuredLocks = measured.statements[0]?.locks ?? [];
  const createdStrongLocks =
    !exact && fuzzCase.cls.startsWith('ddl-') && explainedByCreatedStrongLocks(prediction?.locks ?? [], measuredLocks, catalog, compared);
  return { ...base, exact, missing, extra, error: undefined, ...(createdStrongLocks ? { createdStrongLocks } : {}) };
}

/**
 * Resets the backend's relcache entries of every partition, so each case sees the cold state Lockscope predicts: a
 * partition's constraint (generate_partition_qual) is cached per backend (rd_partcheck) and building it locks the
 * partition's parents in AccessShareLock, so without the reset whether a case takes those locks depends on the cases
 * before it. A GRANT updates each partition's pg_class row; rolled back, its invalidations still reset this backend's
 * entries (AtEOXact_Inval). COMMENT ON does not: pg_description is not part of a relcache entry.
 */
async function coldPartitionQuals(target: FuzzTarget, catalog: Catalog): Promise<void> {
  const partitions = [...catalog.relations.values()]
    .filter((r) => r.partitionOf !== undefined && (r.relkind === 'table' || r.relkind === 'partitioned-table'))
    .map((r) => r.qualifiedName);
  if (partitions.length === 0) return;
  await target.session.query('BEGIN');
  try {
    await target.session.query(`GRANT SELECT ON TABLE ${partitions.join(', ')} TO CURRENT_USER`);
  } finally {
    await target.session.query('ROLLBACK');
  }
}

/** Installs `schema` and runs every case on it. */
export async function runBatch(target: FuzzTarget, schema: FuzzSchema, cases: readonly FuzzCase[]): Promise<CaseOutcome[]> {
  const catalog = await installSchema(target, schema);
  const outcomes: CaseOutcome[] = [];
  for (const fuzzCase of cases) outcomes.push(await runCase(target, catalog, fuzzCase));
  return outcomes;
}
