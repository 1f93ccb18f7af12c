/** Runs accuracy cases on one target: predict from the catalog, measure with pg_locks, compare lock by lock. */
import type { Catalog } from '../../../src/core/catalog.js';
import { measureLocks } from '../../../src/db/measure.js';
import type { SqlSession } from '../../../src/db/session.js';
import { lockKey, predictedLocks, type RecordedCase } from '../../support/accuracy-golden.js';
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
  /** What pg_locks showed, for the recording (test/fixtures/accuracy); absent when the case failed to run. */
  recorded?: RecordedCase;
  /** Relations predicted or measured, so the recording keeps their catalog entries. */
  touched: number[];
}

export async function runCase(session: SqlSession, catalog: Catalog, testCase: AccuracyCase): Promise<CaseResult> {
  const sql = typeof testCase.sql === 'function' ? testCase.sql(catalog) : testCase.sql;
  const base = { id: testCase.id, covers: testCase.covers, predicted: 0, measured: 0, missing: [], extra: [], touched: [] };
  const txn = sql.length > 1;
  let predicted;
  try {
    predicted = predictedLocks(catalog, sql, testCase.measure);
  } catch (error) {
    return { ...base, exact: false, error: (error as Error).message };
  }
  let measured;
  try {
    measured = await measureLocks(session, sql, catalog, { execute: testCase.measure === 'execute', txn });
  } catch (error) {
    return { ...base, exact: false, error: `measurement failed: ${(error as Error).message}` };
  }
  // Relations the statement itself creates have no name before it runs: compare what existed.
  const measuredLocks = (txn ? (measured.transaction?.locks ?? []) : (measured.statements[0]?.locks ?? [])).filter((l) =>
    catalog.relations.has(l.relationOid),
  );
  const p = new Set(predicted.map(lockKey));
  const m = new Set(measuredLocks.map(lockKey));
  const missing = [...m].filter((k) => !p.has(k));
  const extra = [...p].filter((k) => !m.has(k));
  return {
    ...base,
    exact: missing.length === 0 && extra.length === 0,
    predicted: p.size,
    measured: m.size,
    missing,
    extra,
    recorded: { id: testCase.id, sql, measure: testCase.measure, locks: [...m].sort() },
    touched: [...predicted, ...measuredLocks].map((l) => l.relationOid),
  };
}
