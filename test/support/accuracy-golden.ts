/**
 * The accuracy suite's recordings: per target, the catalog snapshot and every case's measured lock set, so a unit
 * test can check the predictor against pg_locks' answers without a cluster (test/fixtures/accuracy/<target>.json).
 */
import { readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Catalog, CatalogRelation } from '../../src/core/catalog.js';
import { structuralOwner } from '../../src/core/catalog.js';
import type { PlannedLock } from '../../src/core/lock-plan.js';
import { predictStatements } from '../../src/core/predict/index.js';
import { parseSql } from '../../src/core/sql/index.js';
import type { ServerProfile } from '../../src/core/server-profile.js';

/** Set LOCKSCOPE_RECORD_ACCURACY=1 for the integration run to (re)write the recordings instead of checking them. */
export const RECORD_ENV = 'LOCKSCOPE_RECORD_ACCURACY';
export const RERECORD_HINT = `re-record with: ${RECORD_ENV}=1 node scripts/run-node-tests.mjs test/integration/accuracy/accuracy.test.ts`;

export interface RecordedCase {
  id: string;
  /** The statements as run (a case written as a function of the catalog is stored resolved). */
  sql: string[];
  measure: 'explain' | 'execute';
  /** pg_locks' answer as sorted lock keys (see lockKey), relations that existed before the statement only. */
  locks: string[];
}

export interface AccuracyRecording {
  target: string;
  catalog: {
    profile: ServerProfile;
    database: string;
    searchPath: string[];
    /** The relations some case touches, plus every relation outside the system schemas. */
    relations: CatalogRelation[];
  };
  cases: RecordedCase[];
}

/** One lock as the comparison sees it: relation, mode and where it lives. */
export const lockKey = (lock: { relation: string; mode: string; fastpath: boolean }): string =>
  `${lock.relation} ${lock.mode} ${lock.fastpath ? 'fast' : 'slow'}`;

export const recordingPath = (target: string): string => join(__dirname, '..', 'fixtures', 'accuracy', `${target}.json`);

export function readRecording(target: string): AccuracyRecording | undefined {
  const path = recordingPath(target);
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as AccuracyRecording) : undefined;
}

export function writeRecording(recording: AccuracyRecording): void {
  const path = recordingPath(recording.target);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(recording, null, 1)}\n`);
}

export function catalogOf(recording: AccuracyRecording): Catalog {
  const relations = new Map<number, CatalogRelation>();
  const byName = new Map<string, number>();
  for (const relation of recording.catalog.relations) {
    relations.set(relation.oid, relation);
    byName.set(`${relation.schema}.${relation.name}`, relation.oid);
  }
  const { profile, database, searchPath } = recording.catalog;
  return { profile, database, searchPath, relations, byName, loadedAt: 0 };
}

const SYSTEM_SCHEMAS = /^(pg_catalog|information_schema|pg_toast)$/;

/**
 * The part of `catalog` the cases need: every user relation, and each system relation a case locked or predicted
 * (with its indexes and TOAST), so the fixture stays small. The recorder checks predictions agree on both.
 */
export function pruneCatalog(catalog: Catalog, touched: ReadonlySet<number>): AccuracyRecording['catalog'] {
  const keep = new Set<number>();
  for (const relation of catalog.relations.values()) {
    const top = structuralOwner(catalog, relation.oid) ?? relation;
    if (!SYSTEM_SCHEMAS.test(top.schema) || touched.has(relation.oid) || touched.has(top.oid)) keep.add(relation.oid);
  }
  for (const oid of [...keep]) {
    const relation = catalog.relations.get(oid);
    for (const index of relation?.indexes ?? []) keep.add(index.oid);
    if (relation?.toastOid !== undefined) keep.add(relation.toastOid);
    if (relation?.toastIndexOid !== undefined) keep.add(relation.toastIndexOid);
  }
  const relations = [...catalog.relations.values()].filter((r) => keep.has(r.oid)).sort((a, b) => a.oid - b.oid);
  return { profile: catalog.profile, database: catalog.database, searchPath: catalog.searchPath, relations };
}

/** The predicted locks of one case, as the accuracy harness compares them (plan-phase only under EXPLAIN). */
export function predictedLocks(catalog: Catalog, sql: readonly string[], measure: RecordedCase['measure']): PlannedLock[] {
  const parsed = parseSql(sql.join(';\n'));
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message}`);
  const txn = sql.length > 1;
  const prediction = predictStatements(parsed.statements, catalog, { txn });
  const failed = prediction.statements.find((s) => s.error !== undefined);
  if (failed !== undefined) throw new Error(`prediction failed: ${failed.error ?? ''}`);
  const locks = txn ? (prediction.transaction?.locks ?? []) : (prediction.statements[0]?.locks ?? []);
  // Relations the statement creates (a rewrite's new TOAST table) are not in the snapshot; the fuzzer compares them by name.
  return locks.filter((l) => (measure === 'execute' || l.phase === 'plan') && catalog.relations.has(l.relationOid));
}

export const predictedKeys = (catalog: Catalog, sql: readonly string[], measure: RecordedCase['measure']): string[] =>
  [...new Set(predictedLocks(catalog, sql, measure).map(lockKey))].sort();

/** How `current` (this run's measurements) differs from the stored recording; empty when it still holds. */
export function staleness(stored: AccuracyRecording | undefined, current: AccuracyRecording): string[] {
  if (stored === undefined) return [`${recordingPath(current.target)} does not exist`];
  const problems: string[] = [];
  if (JSON.stringify(stored.catalog) !== JSON.stringify(current.catalog)) problems.push('the catalog snapshot differs');
  const storedCases = new Map(stored.cases.map((c) => [c.id, c]));
  for (const c of current.cases) {
    const old = storedCases.get(c.id);
    if (old === undefined) problems.push(`${c.id}: not recorded`);
    else if (JSON.stringify(old) !== JSON.stringify(c))
      problems.push(`${c.id}: recorded ${old.locks.length} locks, pg_locks now ${c.locks.length}`);
    storedCases.delete(c.id);
  }
  for (const id of storedCases.keys()) problems.push(`${id}: recorded but no longer a case`);
  return problems;
}
