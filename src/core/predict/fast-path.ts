/** Per-transaction fast-path slot accounting, in acquisition order (postgres-lock-rules.md §2.5). */
import type { CatalogRelation } from '../catalog.js';
import { isStrongMode, isWeakMode, LOCK_MODES, type LockMode } from '../lock-modes.js';
import type { LockCause, LockPhase, PlannedLock } from '../lock-plan.js';
import { FAST_PATH_SLOTS_PER_GROUP, fastPathGroupOf, type ServerProfile } from '../server-profile.js';

/** What fast-path accounting needs of a relation (a catalog relation, or a planned lock replayed on another profile). */
export type FastPathRelation = Pick<CatalogRelation, 'oid' | 'shared' | 'qualifiedName' | 'relkind'>;

export interface LockRequest {
  relation: CatalogRelation;
  mode: LockMode;
  phase: LockPhase;
  cause: LockCause;
  /** The relation `relation` belongs to (PlannedLock.owner). */
  owner: CatalogRelation | undefined;
  reason: string;
  /** A DEFERRABLE INITIALLY DEFERRED key's check: taken at COMMIT, not by the statement (predictStatements). */
  atCommit?: boolean;
  /**
   * Released at the end of the statement (ExecCloseIndices' index_close(…, RowExclusiveLock)): it holds a fast-path
   * slot while the statement runs, so later locks of the statement may miss one, but pg_locks does not show it after.
   */
  transient?: boolean;
}

/** What fast-path accounting reads of a request; a LockRequest is one, and so is a planned lock being replayed. */
export interface FastPathRequest {
  relation: FastPathRelation;
  mode: LockMode;
  phase: LockPhase;
  cause: LockCause;
  owner: Pick<CatalogRelation, 'oid' | 'qualifiedName'> | undefined;
  reason: string;
}

const MODE_NUMBERS = new Map<LockMode, number>(LOCK_MODES.map((mode, i) => [mode, i + 1]));

/** (relation, mode) as one number: the estimate looks it up twice per lock, and a string key was a tenth of its time. */
const heldKey = (oid: number, mode: LockMode): number => oid * 16 + (MODE_NUMBERS.get(mode) ?? 0);

/**
 * One backend's lock state through a transaction: which (relation, mode) pairs are held, how many slots each
 * group uses, which relations own a slot, and which relations this transaction holds strongly.
 */
export class FastPathState {
  private readonly held = new Map<number, PlannedLock>();
  private readonly slotsUsed: number[];
  private readonly slotOwners = new Set<number>();
  private readonly strongRelations = new Set<number>();
  /** Every lock in first-acquisition order. */
  readonly acquired: PlannedLock[] = [];

  constructor(private readonly profile: ServerProfile) {
    this.slotsUsed = new Array<number>(profile.fastPathGroups).fill(0);
  }

  /** Is this (relation, mode) already held by the transaction? */
  holds(request: FastPathRequest): boolean {
    return this.held.has(heldKey(request.relation.oid, request.mode));
  }

  /** Takes the lock (a no-op when held: re-acquisition is free) and returns the lock as held. */
  acquire(request: FastPathRequest): PlannedLock {
    const key = heldKey(request.relation.oid, request.mode);
    const existing = this.held.get(key);
    if (existing !== undefined) return existing;
    const oid = request.relation.oid;
    const group = fastPathGroupOf(oid, this.profile.fastPathGroups);
    let fastpath = false;
    const eligible = isWeakMode(request.mode) && !request.relation.shared && !this.strongRelations.has(oid);
    // The counter is checked before looking for the relation's slot: once a group is full, even a second weak
    // mode on a relation that already owns a slot goes to the main table (lock.c, measured Q28).
    if (eligible && (this.slotsUsed[group] ?? 0) < FAST_PATH_SLOTS_PER_GROUP) {
      fastpath = true;
      if (!this.slotOwners.has(oid)) {
        this.slotOwners.add(oid);
        this.slotsUsed[group] = (this.slotsUsed[group] ?? 0) + 1;
      }
    }
    if (isStrongMode(request.mode)) {
      // FastPathTransferRelationLocks moves every fast-path entry for the relation, our own included, to the
      // main table; later weak locks on it in this transaction go there too (Q26, D06).
      this.strongRelations.add(oid);
      for (const lock of this.acquired) if (lock.relationOid === oid) lock.fastpath = false;
    }
    const lock: PlannedLock = {
      relation: request.relation.qualifiedName,
      relationOid: oid,
      relkind: request.relation.relkind,
      mode: request.mode,
      fastpath,
      phase: request.phase,
      cause: request.cause,
      owner: request.owner === undefined ? undefined : { relation: request.owner.qualifiedName, relationOid: request.owner.oid },
      reason: request.reason,
    };
    this.held.set(key, lock);
    this.acquired.push(lock);
    return lock;
  }

  /** Releases a lock this transaction took (a transient one): its fast-path slot is free again once no mode holds it. */
  release(request: FastPathRequest): void {
    const oid = request.relation.oid;
    const key = heldKey(oid, request.mode);
    const lock = this.held.get(key);
    if (lock === undefined) return;
    this.held.delete(key);
    this.acquired.splice(this.acquired.indexOf(lock), 1);
    if (!lock.fastpath || [...this.held.values()].some((l) => l.relationOid === oid && l.fastpath)) return;
    // FastPathUnGrantRelationLock recounts the slots in use.
    this.slotOwners.delete(oid);
    const group = fastPathGroupOf(oid, this.profile.fastPathGroups);
    this.slotsUsed[group] = (this.slotsUsed[group] ?? 1) - 1;
  }
}
