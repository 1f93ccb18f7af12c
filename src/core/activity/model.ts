/** What the activity sampler reports: sessions, waits, blocking tree, idle-in-transaction, slow-path locks, subxacts. */

export interface ActivitySession {
  pid: number;
  user: string | undefined;
  applicationName: string;
  /** active, idle, idle in transaction, idle in transaction (aborted), … */
  state: string | undefined;
  waitEventType: string | undefined;
  waitEvent: string | undefined;
  /** Seconds since the transaction started (undefined outside a transaction). */
  transactionAgeSeconds: number | undefined;
  /** Seconds since the current (or last) query started. */
  queryAgeSeconds: number | undefined;
  /** Seconds in the current state (how long it has been idle in transaction). */
  stateAgeSeconds: number | undefined;
  query: string;
  /** pg_blocking_pids(pid). */
  blockedBy: number[];
  /** Relation locks held, and how many of them are in the main lock table (pg_locks.fastpath = false). */
  relationLocks: number;
  slowPathRelationLocks: number;
  /** PG 16+: pg_stat_get_backend_subxact. */
  subxactCount: number | undefined;
  subxactOverflowed: boolean | undefined;
}

export interface SlowPathByRelation {
  relation: string;
  slowPathLocks: number;
  fastPathLocks: number;
}

export interface SubtransSlru {
  /** The pg_stat_slru row name on this server: "Subtrans" (≤16) or "subtransaction" (17+). */
  name: string;
  blksHit: number;
  blksRead: number;
  blksZeroed: number;
}

export interface ActivitySnapshot {
  takenAt: string;
  serverVersionNum: number;
  database: string;
  /** Sessions of this database other than the sampler's own, client backends only. */
  sessions: ActivitySession[];
  slowPathByRelation: SlowPathByRelation[];
  subtransSlru: SubtransSlru | undefined;
  /** False before PostgreSQL 16, which cannot report per-backend subtransaction caches. */
  subxactSupported: boolean;
}

/** A node of the blocking tree: a session and the sessions waiting on it. */
export interface BlockingNode {
  session: ActivitySession;
  waiting: BlockingNode[];
}

export type WaitCategory = 'LockManager' | 'Lock' | 'SubtransSLRU' | 'IO' | 'CPU' | 'Client' | 'Other';
