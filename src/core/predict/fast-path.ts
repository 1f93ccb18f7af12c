/** Per-transaction fast-path slot accounting, in acquisition order (postgres-lock-rules.md §2.5). */
import type { CatalogRelation } from '../catalog.js';
import { isStrongMode, isWeakMode, LOCK_MODES, type LockMode } from '../lock-modes.js';
import type { LockCause, LockPhase, PlannedLock } from '../lock-plan.js';
import { FAST_PATH_SLOTS_PER_GROUP, fastPathGroupOf, type ServerProfile } from '../server-profile.js';
import { strongLockPartition } from './strong-lock-partition.js';

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
 * group uses, which relations own a slot, which relations this transaction holds strongly, and which of the 1,024
 * FastPathStrongRelationLocks partitions its strong locks fall in.
 */
export class FastPathState {
  private readonly held = new Map<number, PlannedLock>();
  private readonly slotsUsed: number[];
  private readonly slotOwners = new Set<number>();
  private readonly strongRelations = new Set<number>();
  private readonly strongPartitions = new Set<number>();
  /** Every lock in first-acquisition order. */
  readonly acquired: PlannedLock[] = [];

  /**
   * `databaseOid` (the catalog snapshot's) places lock tags in their strong-lock partitions; without it only a strong
   * lock on the same relation sends a weak lock to the main table.
   */
  constructor(
    private readonly profile: ServerProfile,
    private readonly databaseOid?: number,
  ) {
    this.slotsUsed = new Array<number>(profile.fastPathGroups).fill(0);
  }

  /** The strong-lock partition of a relation whose OID is known (a relation the statement creates has none yet). */
  private partitionOf(oid: number, shared = false): number | undefined {
    if (this.databaseOid === undefined || oid <= 0) return undefined;
    // A shared catalog's lock tag carries database OID 0 (SET_LOCKTAG_RELATION).
    return strongLockPartition(shared ? 0 : this.databaseOid, oid);
  }

  /**
   * A strong lock held on a relation the plan does not list (a transient heap whose OID was measured): later weak
   * locks in its partition go to the main lock table.
   */
  assumeStrongLock(relationOid: number, shared = false): void {
    const partition = this.partitionOf(relationOid, shared);
    if (partition !== undefined) this.strongPartitions.add(partition);
  }

  /**
   * lock.c: a weak lock may use the fast path only while FastPathStrongRelationLocks counts no strong lock in its
   * tag's partition. Strong locks held by other backends are not known here, only this transaction's own.
   */
  private inStrongPartition(oid: number): boolean {
    if (this.strongPartitions.size === 0) return false;
    const partition = this.partitionOf(oid);
    return partition !== undefined && this.strongPartitions.has(partition);
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
    const eligible = isWeakMode(request.mode) && !request.relation.shared && !this.strongRelations.has(oid) && !this.inStrongPartition(oid);
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
      // Its partition's count stays raised until the transaction ends: a weak lock on any relation whose tag falls
      // there is slow path from now on (relations already fast-path keep their slots; only this one is transferred).
      this.assumeStrongLock(oid, request.relation.shared);
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
