/** The upgrade question: the same locks, in the same order, on another server's fast-path budget (PostgreSQL 18, more max_locks). */
import type { Catalog } from '../catalog.js';
import { totalsOf, type LockPlan, type PlannedLock } from '../lock-plan.js';
import {
  buildServerProfile,
  FAST_PATH_GROUPS_MAX,
  FAST_PATH_SLOTS_PER_GROUP,
  PG18_VERSION_NUM,
  type ServerProfile,
} from '../server-profile.js';
import { FastPathState } from './fast-path.js';

/**
 * The plan's locks acquired again in their order on `profile`: only the fast/slow split changes (the lock set is the
 * catalog's). A lock's relation is looked up for the shared-catalog flag; a relation the catalog no longer has counts
 * as not shared, as every user relation is.
 */
export function replayOnProfile(plan: LockPlan, profile: ServerProfile, catalog: Catalog): LockPlan {
  const state = new FastPathState(profile, catalog.databaseOid);
  const locks: PlannedLock[] = [];
  for (const lock of plan.locks) {
    const known = catalog.relations.get(lock.relationOid);
    const relation = {
      oid: lock.relationOid,
      shared: known?.shared ?? false,
      qualifiedName: lock.relation,
      relkind: lock.relkind,
    };
    const owner = lock.owner === undefined ? undefined : { oid: lock.owner.relationOid, qualifiedName: lock.owner.relation };
    locks.push(state.acquire({ relation, mode: lock.mode, phase: lock.phase, cause: lock.cause, owner, reason: lock.reason }));
  }
  return { locks, totals: totalsOf(locks), profile };
}

export interface UpgradeComparison {
  /** The plan on PostgreSQL 18 with the target's max_locks_per_transaction. */
  onPg18: LockPlan;
  /**
   * The smallest power-of-two max_locks_per_transaction (above the target's) at which PostgreSQL 18 keeps every lock
   * that can use the fast path in it; undefined when the target's setting already does, or when even the 1,024-group
   * maximum does not (strong locks never take the fast path, whatever the setting).
   */
  raiseMaxLocksTo: { maxLocksPerTransaction: number; plan: LockPlan } | undefined;
}

/** What PostgreSQL 18 would do with this plan, and what raising max_locks_per_transaction there would change. */
export function compareWithPg18(plan: LockPlan, target: ServerProfile, catalog: Catalog): UpgradeComparison {
  const on18 = (maxLocks: number): LockPlan =>
    replayOnProfile(plan, buildServerProfile('18', PG18_VERSION_NUM, maxLocks, 'target'), catalog);
  const onPg18 = target.versionNum >= PG18_VERSION_NUM ? plan : on18(target.maxLocksPerTransaction);
  // The locks that could ever be fast: what is left slow with every group available is not a matter of slots.
  const floor = on18(FAST_PATH_GROUPS_MAX * FAST_PATH_SLOTS_PER_GROUP).totals.slowpath;
  if (onPg18.totals.slowpath <= floor) return { onPg18, raiseMaxLocksTo: undefined };
  for (let maxLocks = 2 * FAST_PATH_SLOTS_PER_GROUP; maxLocks <= FAST_PATH_GROUPS_MAX * FAST_PATH_SLOTS_PER_GROUP; maxLocks *= 2) {
    if (maxLocks <= target.maxLocksPerTransaction) continue;
    const candidate = on18(maxLocks);
    if (candidate.totals.slowpath <= floor) return { onPg18, raiseMaxLocksTo: { maxLocksPerTransaction: maxLocks, plan: candidate } };
  }
  return { onPg18, raiseMaxLocksTo: undefined };
}

/** "on PostgreSQL 18: 0 slow-path (64 slots in 4 groups)" plus the max_locks advice, or undefined when nothing changes. */
export function upgradeSentence(plan: LockPlan, target: ServerProfile, catalog: Catalog): string | undefined {
  if (plan.locks.length === 0) return undefined;
  const { onPg18, raiseMaxLocksTo } = compareWithPg18(plan, target, catalog);
  const p18 = onPg18.profile;
  const parts: string[] = [];
  if (target.versionNum < PG18_VERSION_NUM)
    parts.push(
      `on PostgreSQL 18 (max_locks_per_transaction ${p18.maxLocksPerTransaction}: ${p18.fastPathSlots} slots in ${p18.fastPathGroups} group${p18.fastPathGroups === 1 ? '' : 's'}): ${onPg18.totals.slowpath} slow-path`,
    );
  if (raiseMaxLocksTo !== undefined)
    parts.push(
      `on PostgreSQL 18 with max_locks_per_transaction ${raiseMaxLocksTo.maxLocksPerTransaction}: ${raiseMaxLocksTo.plan.totals.slowpath} slow-path`,
    );
  if (parts.length === 0) return undefined;
  return parts.join('; ');
}
