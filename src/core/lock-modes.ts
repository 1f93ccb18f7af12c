/** Postgres table-level lock modes, spelled as pg_locks spells them, with the properties the fast path cares about. */

/** The eight table-level lock modes in strength order (1..8), as `pg_locks.mode` spells them. */
export const LOCK_MODES = [
  'AccessShareLock',
  'RowShareLock',
  'RowExclusiveLock',
  'ShareUpdateExclusiveLock',
  'ShareLock',
  'ShareRowExclusiveLock',
  'ExclusiveLock',
  'AccessExclusiveLock',
] as const;

export type LockMode = (typeof LOCK_MODES)[number];

/** 1-based strength, matching the lock-mode numbers in the Postgres source (AccessShareLock = 1). */
export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode) + 1;
}

/**
 * Only AccessShare, RowShare and RowExclusive may use a fast-path slot
 * (`EligibleForRelationFastPath`: mode < ShareUpdateExclusiveLock).
 */
export function isWeakMode(mode: LockMode): boolean {
  return lockStrength(mode) < lockStrength('ShareUpdateExclusiveLock');
}

/**
 * Share and above are "strong": they go to the main lock table and push every backend's fast-path
 * entries for the relation into it (`ConflictsWithRelationFastPath`: mode > ShareUpdateExclusiveLock).
 */
export function isStrongMode(mode: LockMode): boolean {
  return lockStrength(mode) > lockStrength('ShareUpdateExclusiveLock');
}

export function strongerMode(a: LockMode, b: LockMode): LockMode {
  return lockStrength(a) >= lockStrength(b) ? a : b;
}

export function isLockMode(value: string): value is LockMode {
  return (LOCK_MODES as readonly string[]).includes(value);
}

/** "AccessShareLock" → "AccessShare": the short form reports and hovers print. */
export function shortModeName(mode: string): string {
  return mode.endsWith('Lock') ? mode.slice(0, -4) : mode;
}
