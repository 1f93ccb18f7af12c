/** The predicted (or measured) lock set of a statement or transaction, with fast-path assignment and totals. */
import type { LockMode } from './lock-modes.js';
import type { RelKind } from './catalog.js';
import type { ServerProfile } from './server-profile.js';

export type LockPhase = 'plan' | 'execute';

export interface PlannedLock {
  /** `schema.name` as format('%I.%I') prints it. */
  relation: string;
  relationOid: number;
  relkind: RelKind;
  mode: LockMode;
  fastpath: boolean;
  /** plan: parse/rewrite/plan take it (EXPLAIN shows it); execute: only execution adds it. */
  phase: LockPhase;
  /** Why Postgres takes it, for people: "FROM item", "index of app.t (planner opens every index)". */
  reason: string;
}

export interface LockTotals {
  /** Lock rows (distinct relation × mode), as pg_locks counts them. */
  locks: number;
  /** Distinct relations (= fast-path slots needed). */
  relations: number;
  fastpath: number;
  slowpath: number;
}

export interface LockPlan {
  locks: PlannedLock[];
  totals: LockTotals;
  profile: ServerProfile;
}

export function totalsOf(locks: readonly PlannedLock[]): LockTotals {
  const relations = new Set(locks.map((l) => l.relationOid));
  const fast = locks.filter((l) => l.fastpath).length;
  return { locks: locks.length, relations: relations.size, fastpath: fast, slowpath: locks.length - fast };
}
