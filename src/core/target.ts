/** The server the code will run on: which PostgreSQL major and max_locks_per_transaction the lock budget is read for. */
import type { Catalog } from './catalog.js';
import { buildServerProfile, PG18_VERSION_NUM, type ServerProfile } from './server-profile.js';

/** Majors whose lock rules the predictor models and the accuracy suite measures (15 and 18; 16/17 differ in known rules). */
export const TARGET_MAJORS = [15, 16, 17, 18] as const;
export type TargetMajor = (typeof TARGET_MAJORS)[number];

/** What the user asked for; an absent field means "as the connected server, or the embedded default". */
export interface TargetSpec {
  major?: TargetMajor | undefined;
  maxLocksPerTransaction?: number | undefined;
}

/**
 * Production as most teams run it today: PostgreSQL 17 with the default max_locks_per_transaction, i.e. 16 fast-path
 * slots. The embedded database is PostgreSQL 18 (PGlite) with 64 slots, which would hide the very limit this tool shows.
 */
export const EMBEDDED_DEFAULT_TARGET: Required<TargetSpec> = { major: 17, maxLocksPerTransaction: 64 };

/** Where the target's figures came from, for the report ("as the connected server", "--target 15", …). */
export type TargetBasis = 'connected-server' | 'chosen' | 'embedded-default';

export interface LockTarget {
  profile: ServerProfile;
  basis: TargetBasis;
  /**
   * PostgreSQL 18 puts each relation's fast-path lock in the group `(oid × 49157) mod groups`: with a target of 18 read
   * from another database's catalog (the embedded one), its OIDs stand in for production's and the group split is an
   * estimate. Undefined when the OIDs are the target's own or the target has one group.
   */
  oidCaveat: string | undefined;
}

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

/** Parses `--target` / `lockscope.target`: "auto" (or empty) or a supported major. */
export function parseTargetMajor(text: string | undefined): TargetMajor | undefined {
  if (text === undefined || text === '' || text === 'auto') return undefined;
  const major = Number(text);
  const supported = TARGET_MAJORS.find((m) => m === major);
  if (supported === undefined) throw new TargetError(`target wants auto or one of PostgreSQL ${TARGET_MAJORS.join(', ')}, got "${text}".`);
  return supported;
}

/** Parses `--max-locks`: max_locks_per_transaction as PostgreSQL accepts it (10 … 2^31-1). */
export function parseMaxLocks(text: string | undefined): number | undefined {
  if (text === undefined || text === '' || text === '0') return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 10 || n > 2147483647)
    throw new TargetError(`max_locks_per_transaction wants a whole number from 10 up (PostgreSQL's minimum), got "${text}".`);
  return n;
}

/** The target for a catalog read from `actual`: the user's choice, else the server itself, else the embedded default. */
export function resolveTarget(actual: ServerProfile, spec: TargetSpec): LockTarget {
  const chosen = spec.major !== undefined || spec.maxLocksPerTransaction !== undefined;
  const fallback = actual.source === 'embedded' ? EMBEDDED_DEFAULT_TARGET : undefined;
  const major = spec.major ?? fallback?.major;
  const maxLocks = spec.maxLocksPerTransaction ?? fallback?.maxLocksPerTransaction ?? actual.maxLocksPerTransaction;
  const sameMajor = major === undefined || Math.floor(actual.versionNum / 10000) === major;
  if (sameMajor && maxLocks === actual.maxLocksPerTransaction && actual.source === 'server')
    return { profile: actual, basis: 'connected-server', oidCaveat: undefined };
  const versionNum = sameMajor ? actual.versionNum : (major ?? 0) * 10000;
  const version = sameMajor ? actual.version : String(major);
  const profile = buildServerProfile(version, versionNum, maxLocks, 'target');
  const oidCaveat =
    actual.source === 'embedded' && profile.fastPathGroups > 1
      ? `PostgreSQL ${PG18_VERSION_NUM / 10000}+ places each relation in one of ${profile.fastPathGroups} fast-path groups by its OID; the embedded database's OIDs stand in for production's, so the split across groups is an estimate`
      : undefined;
  return { profile, basis: chosen ? 'chosen' : fallback !== undefined ? 'embedded-default' : 'connected-server', oidCaveat };
}

/** The catalog as the predictor should read it for this target (its version-dependent rules and fast-path budget). */
export function catalogForTarget(catalog: Catalog, target: LockTarget): Catalog {
  return target.profile === catalog.profile ? catalog : { ...catalog, profile: target.profile };
}

/** One line naming the target, for reports and hovers. */
export function describeTarget(target: LockTarget, actual: ServerProfile): string {
  const p = target.profile;
  const budget = `${p.fastPathSlots} fast-path slots per backend${p.fastPathGroups > 1 ? ` in ${p.fastPathGroups} groups of 16` : ''}`;
  const locks = `max_locks_per_transaction ${p.maxLocksPerTransaction}`;
  switch (target.basis) {
    case 'connected-server':
      return `PostgreSQL ${p.version} (${actual.source === 'embedded' ? 'embedded' : 'the connected server'}), ${locks}: ${budget}`;
    case 'embedded-default':
      return `target PostgreSQL ${p.version}, ${locks} (the embedded PostgreSQL ${actual.version} answers for the schema; choose the target with --target / lockscope.target): ${budget}`;
    case 'chosen':
      return `target PostgreSQL ${p.version}, ${locks} (chosen; the catalog is PostgreSQL ${actual.version}${actual.source === 'embedded' ? ', embedded' : ''}): ${budget}`;
  }
}
