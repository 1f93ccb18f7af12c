/**
 * Row-locking clauses (FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE [OF …] [NOWAIT | SKIP LOCKED]) and which FROM
 * items they cover. Mirrors isLockedRefname (parse_relation.c): an item is covered when the query level was locked
 * from its parent (a FROM subquery of a locked level), when a clause has no OF list, or when OF names its refname
 * (the alias if there is one, else the table name). Sublinks and CTEs are never locked from the parent.
 */
import type { Node } from '@pgsql/types';
import { list, nodeAs } from './ast.js';

export type RowLockStrength = 'update' | 'no-key-update' | 'share' | 'key-share';
export type WaitPolicy = 'block' | 'nowait' | 'skip-locked';

export interface RowLockClause {
  strength: RowLockStrength;
  waitPolicy: WaitPolicy;
  /** Names/aliases in `OF …`; empty means every FROM item of that query level. */
  of: string[];
}

const STRENGTHS: Record<string, RowLockStrength> = {
  LCS_FORUPDATE: 'update',
  LCS_FORNOKEYUPDATE: 'no-key-update',
  LCS_FORSHARE: 'share',
  LCS_FORKEYSHARE: 'key-share',
};
const WAIT_POLICIES: Record<string, WaitPolicy> = { LockWaitBlock: 'block', LockWaitSkip: 'skip-locked', LockWaitError: 'nowait' };
const ORDER: RowLockStrength[] = ['key-share', 'share', 'no-key-update', 'update'];

/** The one SQL spelling of each strength and wait policy (messages, synthesized statements and fixes all use it). */
const STRENGTH_SQL: Record<RowLockStrength, string> = {
  update: 'UPDATE',
  'no-key-update': 'NO KEY UPDATE',
  share: 'SHARE',
  'key-share': 'KEY SHARE',
};
const WAIT_SQL: Record<WaitPolicy, string> = { block: '', nowait: 'NOWAIT', 'skip-locked': 'SKIP LOCKED' };

/** "FOR NO KEY UPDATE". */
export function strengthLabel(strength: RowLockStrength): string {
  return `FOR ${STRENGTH_SQL[strength]}`;
}

/** "NOWAIT", "SKIP LOCKED", or "" for a lock that waits. */
export function waitPolicySql(policy: WaitPolicy): string {
  return WAIT_SQL[policy];
}

/** The clauses of one query level, as data. */
export function rowLockClauses(lockingClause: readonly Node[] | undefined): RowLockClause[] {
  const out: RowLockClause[] = [];
  for (const node of list(lockingClause)) {
    const clause = nodeAs(node, 'LockingClause');
    if (clause === undefined) continue;
    out.push({
      strength: STRENGTHS[clause.strength ?? ''] ?? 'update',
      waitPolicy: WAIT_POLICIES[clause.waitPolicy ?? ''] ?? 'block',
      of: list(clause.lockedRels)
        .map((r) => nodeAs(r, 'RangeVar')?.relname ?? '')
        .filter((n) => n !== ''),
    });
  }
  return out;
}

/** What locks the FROM items of one query level. */
export interface LockScope {
  clauses: RowLockClause[];
  /** Set when the parent level's clause covers this whole level (FROM subquery of a locked level). */
  fromParent: RowLockStrength | undefined;
}

export const NO_LOCKS: LockScope = { clauses: [], fromParent: undefined };

/** The strength locking the FROM item whose refname is `refname` (undefined for an unaliased subquery), if any. */
export function coveringStrength(scope: LockScope, refname: string | undefined): RowLockStrength | undefined {
  let best = scope.fromParent;
  for (const clause of scope.clauses) {
    const covers = clause.of.length === 0 || (refname !== undefined && clause.of.includes(refname));
    if (covers && (best === undefined || ORDER.indexOf(clause.strength) > ORDER.indexOf(best))) best = clause.strength;
  }
  return best;
}
