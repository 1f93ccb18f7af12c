/** The server facts that decide fast-path capacity: version and max_locks_per_transaction → slots and groups. */

/** Slots per fast-path group; the only figure before PostgreSQL 18 (`FP_LOCK_SLOTS_PER_BACKEND 16`). */
export const FAST_PATH_SLOTS_PER_GROUP = 16;
/** PostgreSQL 18 caps the number of groups per backend (`FP_LOCK_GROUPS_PER_BACKEND_MAX`). */
export const FAST_PATH_GROUPS_MAX = 1024;
/** First server_version_num with per-group fast-path slots sized from max_locks_per_transaction. */
export const PG18_VERSION_NUM = 180000;

/**
 * Where a profile's facts came from, so the UI can say "measured on server" versus "embedded default"; `target` is
 * a profile built for the server the code will run on (src/core/target.ts), not read from any database.
 */
export type ProfileSource = 'server' | 'embedded' | 'target';

export interface ServerProfile {
  /** Human version as `SHOW server_version` prints it, trimmed of the distribution suffix (e.g. "15.18"). */
  version: string;
  /** `server_version_num`, e.g. 150018. */
  versionNum: number;
  /** `max_locks_per_transaction` of the server. */
  maxLocksPerTransaction: number;
  /** Fast-path slots one backend has for relation locks in one transaction. */
  fastPathSlots: number;
  /** Number of 16-slot groups; a relation may only use the slots of its own group (PG 18). */
  fastPathGroups: number;
  source: ProfileSource;
}

/** Smallest power of two ≥ n, for n ≥ 1 (Postgres' `pg_nextpower2_32`). */
function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

/**
 * Fast-path groups per backend. Before PG 18 one group of 16. On 18+ it is
 * `Max(Min(pg_nextpower2_32(max_locks_per_xact) / 16, 1024), 1)` (postinit.c `InitializeFastPathLocks`).
 */
export function fastPathGroups(versionNum: number, maxLocksPerTransaction: number): number {
  if (versionNum < PG18_VERSION_NUM) return 1;
  const groups = Math.floor(nextPowerOfTwo(Math.max(1, maxLocksPerTransaction)) / FAST_PATH_SLOTS_PER_GROUP);
  return Math.max(Math.min(groups, FAST_PATH_GROUPS_MAX), 1);
}

/**
 * The group a relation's fast-path lock must live in: `(relid * 49157) & (groups - 1)` on PG 18,
 * computed in 64-bit like the C macro so large OIDs do not lose bits.
 */
export function fastPathGroupOf(relationOid: number, groups: number): number {
  if (groups <= 1) return 0;
  return Number((BigInt(relationOid) * 49157n) & BigInt(groups - 1));
}

export function buildServerProfile(
  version: string,
  versionNum: number,
  maxLocksPerTransaction: number,
  source: ProfileSource,
): ServerProfile {
  const groups = fastPathGroups(versionNum, maxLocksPerTransaction);
  return {
    version: shortVersion(version),
    versionNum,
    maxLocksPerTransaction,
    fastPathSlots: groups * FAST_PATH_SLOTS_PER_GROUP,
    fastPathGroups: groups,
    source,
  };
}

/** "15.18 (Debian 15.18-0+deb12u1)" → "15.18". */
export function shortVersion(version: string): string {
  const match = /^\s*(\d+(?:\.\d+)*)/.exec(version);
  return match?.[1] ?? version.trim();
}
