/** Runs accuracy cases on one target: predict from the catalog, measure with pg_locks, compare lock by lock. */
import type { Catalog } from '../../../src/core/catalog.js';
import type { PlannedLock } from '../../../src/core/lock-plan.js';
import { predictStatements } from '../../../src/core/predict/index.js';
import { parseSql } from '../../../src/core/sql/index.js';
import { measureLocks } from '../../../src/db/measure.js';
import type { SqlSession } from '../../../src/db/session.js';
import type { AccuracyCase } from './cases.js';

export interface CaseResult {
  id: string;
  covers: string;
  exact: boolean;
  predicted: number;
  measured: number;
  /** Measured locks the prediction lacks, and predicted locks pg_locks does not show. */
  missing: string[];
  extra: string[];
  error?: string;
}

const key = (lock: PlannedLock): string => `${lock.relation} ${lock.mode} ${lock.fastpath ? 'fast' : 'slow'}`;

export async function runCase(session: SqlSession, catalog: Catalog, testCase: AccuracyCase): Promise<CaseResult> {
  const sql = typeof testCase.sql === 'function' ? testCase.sql(catalog) : testCase.sql;
  const base = { id: testCase.id, covers: testCase.covers, predicted: 0, measured: 0, missing: [], extra: [] };
  const parsed = parseSql(sql.join(';\n'));
  if (!parsed.ok) return { ...base, exact: false, error: `does not parse: ${parsed.error.message}` };
  const txn = sql.length > 1;
  const prediction = predictStatements(parsed.statements, catalog, { txn });
  const failed = prediction.statements.find((s) => s.error !== undefined);
  if (failed !== undefined) return { ...base, exact: false, error: `prediction failed: ${failed.error ?? ''}` };
  let measured;
  try {
    measured = await measureLocks(session, sql, catalog, { execute: testCase.measure === 'execute', txn });
  } catch (error) {
    return { ...base, exact: false, error: `measurement failed: ${(error as Error).message}` };
  }
  const predictedLocks = (txn ? (prediction.transaction?.locks ?? []) : (prediction.statements[0]?.locks ?? [])).filter(
    (l) => testCase.measure === 'execute' || l.phase === 'plan',
  );
  // Relations the statement itself creates have no name before it runs: compare what existed.
  const measuredLocks = (txn ? (measured.transaction?.locks ?? []) : (measured.statements[0]?.locks ?? [])).filter((l) =>
    catalog.relations.has(l.relationOid),
  );
  const p = new Set(predictedLocks.map(key));
  const m = new Set(measuredLocks.map(key));
  const missing = [...m].filter((k) => !p.has(k));
  const extra = [...p].filter((k) => !m.has(k));
  return { ...base, exact: missing.length === 0 && extra.length === 0, predicted: p.size, measured: m.size, missing, extra };
}
