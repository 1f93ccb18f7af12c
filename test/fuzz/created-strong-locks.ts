/**
 * Exact classification of strong-lock partition collisions with relations a DDL statement creates: their OIDs are
 * known only after it ran, so the fuzzer takes them from pg_locks, replays the prediction through the fast-path
 * accounting with those OIDs and says "collision" only when the replay then equals what PostgreSQL took.
 */
import type { Catalog } from '../../src/core/catalog.js';
import { isStrongMode } from '../../src/core/lock-modes.js';
import type { PlannedLock } from '../../src/core/lock-plan.js';
import { FastPathState } from '../../src/core/predict/fast-path.js';

const key = (lock: PlannedLock): string => `${lock.relation} ${lock.mode} ${lock.fastpath ? 'fast' : 'slow'}`;

/**
 * The predicted locks acquired again with the measured OIDs of the relations the statement created: a predicted lock
 * on a relation without an OID (a new table, index or TOAST relation, named as PostgreSQL names it) takes the OID of
 * the measured lock of that name and mode; strong locks on created relations the prediction does not list (a
 * transient heap, shown by OID only) are held from the start (REFRESH and CLUSTER create it before any weak lock).
 */
export function replayWithCreatedOids(
  predicted: readonly PlannedLock[],
  measured: readonly PlannedLock[],
  catalog: Catalog,
): PlannedLock[] {
  const created = measured.filter((l) => !catalog.relations.has(l.relationOid));
  const realOid = new Map(created.map((l) => [`${l.relation} ${l.mode}`, l.relationOid]));
  const used = new Set<number>();
  const oidOf = (lock: PlannedLock): number => {
    if (lock.relationOid > 0 && catalog.relations.has(lock.relationOid)) return lock.relationOid;
    const oid = realOid.get(`${lock.relation} ${lock.mode}`);
    if (oid === undefined) return lock.relationOid;
    used.add(oid);
    return oid;
  };
  const oids = predicted.map(oidOf);
  const state = new FastPathState(catalog.profile, catalog.databaseOid);
  for (const lock of created) if (isStrongMode(lock.mode) && !used.has(lock.relationOid)) state.assumeStrongLock(lock.relationOid);
  return predicted.map((lock, i) => {
    const oid = oids[i] ?? lock.relationOid;
    const relation = { oid, shared: catalog.relations.get(oid)?.shared ?? false, qualifiedName: lock.relation, relkind: lock.relkind };
    const owner = lock.owner === undefined ? undefined : { oid: lock.owner.relationOid, qualifiedName: lock.owner.relation };
    return state.acquire({ relation, mode: lock.mode, phase: lock.phase, cause: lock.cause, owner, reason: lock.reason });
  });
}

/**
 * Does the mismatch come from strong locks on created relations alone? True when the replay with their measured
 * OIDs differs from the prediction and equals pg_locks lock by lock (`compared` picks the locks both sides compare).
 */
export function explainedByCreatedStrongLocks(
  predicted: readonly PlannedLock[],
  measured: readonly PlannedLock[],
  catalog: Catalog,
  compared: (lock: PlannedLock) => boolean,
): boolean {
  if (catalog.databaseOid === undefined) return false;
  const replayed = replayWithCreatedOids(predicted, measured, catalog).filter(compared).map(key).sort();
  const before = predicted.filter(compared).map(key).sort();
  const truth = [...new Set(measured.filter(compared).map(key))].sort();
  return replayed.join('\n') !== before.join('\n') && [...new Set(replayed)].join('\n') === truth.join('\n');
}
