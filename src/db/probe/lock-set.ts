/**
 * The Locks tab's data: the exact relation locks from pg_locks (EXPLAIN or the statements themselves, rolled back)
 * beside the prediction for the same statements, row by row, with the differences marked.
 */
import type { Catalog } from '../../core/catalog.js';
import { totalsOf, type LockPlan, type PlannedLock } from '../../core/lock-plan.js';
import { predictStatements } from '../../core/predict/index.js';
import type { Statement } from '../../core/statement.js';
import type { LockRow, LocksResult } from '../../core/probe/runner-types.js';
import { guardBeforeSend } from '../guard-before-send.js';
import { measureLocks, OWN_LOCKS_SQL, inRolledBackTransaction, sendUserStatement } from '../measure.js';
import type { SqlSession } from '../session.js';

const keyOf = (l: { relation: string; mode: string }): string => `${l.relation}\u0000${l.mode}`;

/**
 * Pairs measured and predicted locks by relation and mode. With EXPLAIN only plan-phase locks can appear in pg_locks,
 * so predicted execute-phase locks are listed as such rather than as misses.
 */
export function compareLockSets(measured: LockPlan, predicted: LockPlan, executed: boolean): LockRow[] {
  const rows: LockRow[] = [];
  const predictedByKey = new Map<string, PlannedLock>();
  for (const p of predicted.locks) if (!predictedByKey.has(keyOf(p))) predictedByKey.set(keyOf(p), p);
  const seen = new Set<string>();
  for (const m of measured.locks) {
    const key = keyOf(m);
    seen.add(key);
    const p = predictedByKey.get(key);
    rows.push({
      relation: m.relation,
      relkind: m.relkind,
      mode: m.mode,
      measuredFastpath: m.fastpath,
      predictedFastpath: p?.fastpath,
      phase: p?.phase ?? m.phase,
      reason: p?.reason ?? (m.owner === undefined ? 'not predicted' : `not predicted (belongs to ${m.owner.relation})`),
      owner: (p ?? m).owner?.relation,
      status: p === undefined ? 'only-measured' : p.fastpath === m.fastpath ? 'match' : 'fastpath-differs',
    });
  }
  for (const p of predicted.locks) {
    const key = keyOf(p);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({
      relation: p.relation,
      relkind: p.relkind,
      mode: p.mode,
      measuredFastpath: undefined,
      predictedFastpath: p.fastpath,
      phase: p.phase,
      reason: p.reason,
      owner: p.owner?.relation,
      status: !executed && p.phase === 'execute' ? 'execute-phase' : 'only-predicted',
    });
  }
  return rows;
}

/** Counts the transaction's other lock rows (virtualxid, transactionid, tuple…) before the rollback. */
async function otherLockCount(session: SqlSession, statements: readonly string[], executed: boolean): Promise<number> {
  await guardBeforeSend(statements, { purpose: executed ? 'execute' : 'explain', disposable: false });
  return inRolledBackTransaction(session, executed ? 'BEGIN READ WRITE' : 'BEGIN', async () => {
    for (const sql of statements) await sendUserStatement(session, executed ? sql : `EXPLAIN (COSTS OFF) ${sql}`);
    const rows = await session.query<{ locktype: string }>(OWN_LOCKS_SQL);
    return rows.filter((r) => r.locktype !== 'relation').length;
  });
}

/**
 * `statements` are parsed from the rendered SQL (literals, not $n), so the prediction and the measurement see the
 * same values — partition pruning depends on them.
 */
export async function measureLockSet(
  session: SqlSession,
  statements: readonly Statement[],
  catalog: Catalog,
  executed: boolean,
): Promise<LocksResult> {
  const sqls = statements.map((s) => s.sql);
  const measurement = await measureLocks(session, sqls, catalog, { execute: executed, txn: true });
  const measured: LockPlan = measurement.transaction ?? { locks: [], totals: totalsOf([]), profile: catalog.profile };
  const prediction = predictStatements(statements, catalog, { txn: true });
  const lastPlan = prediction.statements[prediction.statements.length - 1];
  const predictedAll: LockPlan = prediction.transaction ?? lastPlan ?? { locks: [], totals: totalsOf([]), profile: catalog.profile };
  // What the measurement could have seen: EXPLAIN takes the plan-phase locks only.
  const comparable = executed ? predictedAll.locks : predictedAll.locks.filter((l) => l.phase === 'plan');
  const notes = [
    ...measurement.warnings,
    ...prediction.statements.flatMap((p) => [...p.notes, ...(p.error !== undefined ? [`prediction: ${p.error}`] : [])]),
  ];
  if (!executed && comparable.length < predictedAll.locks.length) {
    notes.push(
      `${predictedAll.locks.length - comparable.length} predicted lock(s) are taken only when the statement executes; run with "Execute (rolled back)" to measure them.`,
    );
  }
  return {
    executed,
    rows: compareLockSets(measured, predictedAll, executed),
    measured: measured.totals,
    predicted: totalsOf(comparable),
    fastPathSlots: catalog.profile.fastPathSlots,
    maxLocksPerTransaction: catalog.profile.maxLocksPerTransaction,
    otherLocks: await otherLockCount(session, sqls, executed),
    notes: [...new Set(notes)],
  };
}
