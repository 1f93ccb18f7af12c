/**
 * Exact relation locks from pg_locks: each statement (or its EXPLAIN) runs in a transaction that is always rolled
 * back, and the backend's own relation locks are read before the rollback.
 */
import type { LockMode } from '../core/lock-modes.js';
import { totalsOf, type LockPlan, type PlannedLock } from '../core/lock-plan.js';
import { structuralOwner, type Catalog } from '../core/catalog.js';
import { nameNewToastRelations } from '../core/created-names.js';
import { TransactionEscapedError } from '../core/safety/index.js';
import { guardBeforeSend } from './guard-before-send.js';
import { DbError, classifyDbError } from './errors.js';
import type { SqlSession } from './session.js';

export interface MeasureOptions {
  /** Run the statements themselves instead of EXPLAIN (writes are rolled back). */
  execute: boolean;
  /** All statements in one transaction, in order. */
  txn: boolean;
}

export interface MeasuredStatement extends LockPlan {
  sql: string;
  /** Lock rows that are not relation locks (virtualxid, transactionid, object, advisory, tuple). */
  otherLocks: Array<{ locktype: string; mode: string; fastpath: boolean }>;
}

export interface Measurement {
  statements: MeasuredStatement[];
  /** With txn: the locks held after the last statement (then `statements` is empty: one snapshot, at the end). */
  transaction: LockPlan | undefined;
  /** The guard's warnings: what the statements change that PostgreSQL cannot roll back (sequences). */
  warnings: string[];
}

/**
 * The backend's own locks, minus the lock query's own AccessShareLock on the pg_locks view. No join to pg_class:
 * that would lock pg_class and its indexes for the rest of the transaction; names come from the catalog snapshot
 * (regclass output, a transient syscache lookup, covers relations the statement created).
 */
export const OWN_LOCKS_SQL = `
SELECT l.locktype, l.mode, l.fastpath, l.relation::int8 AS oid, l.relation::regclass::text AS relation,
       -- Only for a relation that still exists (a dropped one prints as its OID; before PostgreSQL 14 the lookup fails).
       CASE WHEN l.relation::regclass::text !~ '^[0-9]+$'
            THEN (pg_catalog.pg_identify_object('pg_catalog.pg_class'::pg_catalog.regclass, l.relation, 0)).schema END AS schema
  FROM pg_catalog.pg_locks l
 WHERE l.pid = pg_backend_pid()
   AND l.granted
   AND NOT (l.locktype = 'relation' AND l.relation = 'pg_catalog.pg_locks'::regclass)`;

interface LockRow {
  locktype: string;
  mode: string;
  fastpath: boolean;
  oid: string | null;
  relation: string | null;
  /** The relation's schema (pg_identify_object, a syscache lookup too): regclass omits it on the search path. */
  schema: string | null;
}

/** A relation the snapshot does not know (the statement created it), named schema-qualified as the snapshot names. */
function unknownRelationName(row: LockRow): string {
  const name = row.relation ?? String(row.oid);
  if (row.schema === null || row.relation === null || row.relation.includes('.')) return name;
  const schema = /^[a-z_][a-z0-9_$]*$/.test(row.schema) ? row.schema : `"${row.schema.replace(/"/g, '""')}"`;
  return `${schema}.${name}`;
}

async function ownLocks(
  session: SqlSession,
  catalog: Catalog,
  phase: 'plan' | 'execute',
): Promise<{ plan: LockPlan; other: MeasuredStatement['otherLocks'] }> {
  const rows = await session.query<LockRow>(OWN_LOCKS_SQL);
  const locks: PlannedLock[] = [];
  const other: MeasuredStatement['otherLocks'] = [];
  for (const row of rows) {
    if (row.locktype !== 'relation') {
      other.push({ locktype: row.locktype, mode: row.mode, fastpath: row.fastpath });
      continue;
    }
    const oid = Number(row.oid);
    const known = catalog.relations.get(oid);
    const owner = structuralOwner(catalog, oid);
    locks.push({
      relation: known?.qualifiedName ?? unknownRelationName(row),
      relationOid: oid,
      relkind: known?.relkind ?? 'table',
      mode: row.mode as LockMode,
      fastpath: row.fastpath,
      phase,
      cause: 'measured',
      owner: owner === undefined ? undefined : { relation: owner.qualifiedName, relationOid: owner.oid },
      reason: row.fastpath ? 'measured: fast-path slot' : 'measured: main lock table',
    });
  }
  // A new table's TOAST relations are named by their table, as a prediction names them (core/created-names.ts).
  const named = nameNewToastRelations(locks, catalog);
  return { plan: { locks: named, totals: totalsOf(named), profile: catalog.profile }, other };
}

/**
 * `catalog` (loaded before, outside the transaction) names the relations and gives the server profile. Every statement
 * passes the guard before anything is sent: a refused one throws GuardRefusedError and nothing runs.
 */
export async function measureLocks(
  session: SqlSession,
  statements: readonly string[],
  catalog: Catalog,
  options: MeasureOptions,
): Promise<Measurement> {
  const warnings = await guardBeforeSend(statements, { purpose: options.execute ? 'execute' : 'explain', disposable: false, catalog });
  const results: MeasuredStatement[] = [];
  let transaction: LockPlan | undefined;
  const begin = options.execute ? 'BEGIN READ WRITE' : 'BEGIN';
  const phase = options.execute ? 'execute' : 'plan';
  const runOne = async (sql: string): Promise<void> => {
    const text = options.execute ? sql : `EXPLAIN (COSTS OFF) ${sql}`;
    try {
      await sendUserStatement(session, text);
    } catch (error) {
      throw DbError.is(error) ? error : classifyDbError(error, session.display);
    }
    const { plan, other } = await ownLocks(session, catalog, phase);
    results.push({ ...plan, sql, otherLocks: other });
  };
  if (options.txn) {
    // One snapshot at the end: reading pg_locks between statements would itself lock the pg_locks view and take a
    // fast-path slot from the statements that follow.
    await inRolledBackTransaction(session, begin, async () => {
      for (const sql of statements) await sendUserStatement(session, options.execute ? sql : `EXPLAIN (COSTS OFF) ${sql}`);
      transaction = (await ownLocks(session, catalog, phase)).plan;
    });
  } else {
    for (const sql of statements) await inRolledBackTransaction(session, begin, () => runOne(sql));
  }
  return { statements: results, transaction, warnings };
}

/**
 * Sends a statement written by the user (guarded before) alone, and checks that the session is still inside the
 * transaction afterwards: if not, the statement escaped it and may have committed — TransactionEscapedError, never
 * retried. A failed transaction ("failed") is still a transaction: nothing in it can commit.
 */
export async function sendUserStatement<Row extends object>(session: SqlSession, sql: string): Promise<Row[]> {
  const { rows, status } = await session.sendStatement<Row>(sql);
  if (status === 'idle') throw new TransactionEscapedError(sql, 'no transaction in progress');
  return rows;
}

/**
 * BEGIN … ROLLBACK around `work`, rolling back on every path; a failed rollback (dead connection) is reported. The
 * BEGIN is checked to have opened a transaction, so `work` always starts inside one.
 */
export async function inRolledBackTransaction<T>(session: SqlSession, begin: string, work: () => Promise<T>): Promise<T> {
  const opened = await session.sendStatement(begin);
  if (opened.status !== 'in-transaction') throw new TransactionEscapedError(begin, opened.status);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  await session.query('ROLLBACK');
  return result;
}
