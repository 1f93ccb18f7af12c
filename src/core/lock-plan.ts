/** The predicted (or measured) lock set of a statement or transaction, with fast-path assignment and totals. */
import type { LockMode } from './lock-modes.js';
import type { RelKind } from './catalog.js';
import type { ServerProfile } from './server-profile.js';

export type LockPhase = 'plan' | 'execute';

/** Why PostgreSQL takes a lock, as data (the `reason` says it for people). */
export type LockCause =
  | 'statement-target' // INSERT/UPDATE/DELETE/MERGE/COPY FROM target (RowExclusiveLock at parse)
  | 'from-item' // a relation the statement reads: FROM, JOIN, USING, MERGE source, sublinks, CTE bodies
  | 'row-lock-target' // a FROM item covered by FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE
  | 'view-base' // a base relation of a view, locked when the rewriter expands it (owner: the view)
  | 'planner-index' // an index the planner opens to plan a scan of its table (owner: the table)
  | 'partition' // a partition kept by plan-time pruning (owner: its partitioned parent)
  | 'inheritance-child' // a child of a legacy inheritance parent (owner: the parent)
  | 'arbiter-index' // an index ON CONFLICT inference opens (owner: the target)
  | 'sequence' // a sequence behind a column default or named in nextval/currval/setval
  | 'fk-check' // a foreign-key check of written rows: the referenced table and its indexes
  | 'fk-action' // a referential action or NO ACTION check when referenced rows change: the referencing table
  | 'tuple-routing' // the partition an inserted row is routed to (owner: the partitioned table)
  | 'partition-constraint' // a parent read to check a partition constraint
  | 'toast' // a TOAST table or its index (owner: the table it belongs to)
  | 'ddl-target' // the relation a DDL or utility statement names, in the statement's own mode
  | 'ddl-companion' // what a DDL statement locks besides its target: indexes, referenced tables, catalogs
  | 'measured'; // read from pg_locks (a measurement knows no cause)

/** The relation a lock's relation belongs to. */
export interface LockOwner {
  /** `schema.name` as format('%I.%I') prints it. */
  relation: string;
  relationOid: number;
}

export interface PlannedLock {
  /** `schema.name` as format('%I.%I') prints it. */
  relation: string;
  relationOid: number;
  relkind: RelKind;
  mode: LockMode;
  fastpath: boolean;
  /** plan: parse/rewrite/plan take it (EXPLAIN shows it); execute: only execution adds it. */
  phase: LockPhase;
  /** Why PostgreSQL takes it. */
  cause: LockCause;
  /**
   * The relation this one belongs to: the table of an index or TOAST relation, the parent of a partition or
   * inheritance child, the view of a view base. Undefined for a relation the statement names itself.
   */
  owner: LockOwner | undefined;
  /** Why Postgres takes it, for people: "FROM item", "the planner opens every index of app.t". Never parsed. */
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

/**
 * The top-level relation each lock belongs to within the plan: owners are followed up (an index of a partition → the
 * partition → its partitioned table; a view base's index → the base → the view) as long as the plan locks the owner,
 * and stop at a relation the plan also locks on its own account.
 */
export function topOwners(locks: readonly PlannedLock[]): Map<PlannedLock, LockOwner> {
  /** A relation's owner within this plan; undefined when any of its locks is top-level. */
  const ownerOf = new Map<number, LockOwner | undefined>();
  for (const lock of locks) {
    if (lock.owner === undefined) ownerOf.set(lock.relationOid, undefined);
    else if (!ownerOf.has(lock.relationOid)) ownerOf.set(lock.relationOid, lock.owner);
  }
  const out = new Map<PlannedLock, LockOwner>();
  for (const lock of locks) {
    let top: LockOwner = { relation: lock.relation, relationOid: lock.relationOid };
    const seen = new Set<number>([top.relationOid]);
    for (;;) {
      const next = ownerOf.get(top.relationOid);
      if (next === undefined || seen.has(next.relationOid) || !ownerOf.has(next.relationOid)) break;
      top = next;
      seen.add(top.relationOid);
    }
    out.set(lock, top);
  }
  return out;
}

/** A plan's locks grouped under their top-level relation (its indexes, partitions, view bases), in first-lock order. */
export function groupByOwner(locks: readonly PlannedLock[]): Array<{ owner: LockOwner; locks: PlannedLock[] }> {
  const tops = topOwners(locks);
  const groups = new Map<number, { owner: LockOwner; locks: PlannedLock[] }>();
  for (const lock of locks) {
    const owner = tops.get(lock) ?? { relation: lock.relation, relationOid: lock.relationOid };
    const group = groups.get(owner.relationOid) ?? { owner, locks: [] };
    group.locks.push(lock);
    groups.set(owner.relationOid, group);
  }
  return [...groups.values()];
}
