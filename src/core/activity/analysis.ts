/** Pure analysis of an activity snapshot: blocking tree, idle-in-transaction holders, wait categories, overflow. */
import type { ActivitySession, ActivitySnapshot, BlockingNode, WaitCategory } from './model.js';

/** PGPROC_MAX_CACHED_SUBXIDS: beyond this, a backend's subtransaction cache overflows to pg_subtrans. */
export const SUBXACT_CACHE_SIZE = 64;

/**
 * Groups a wait event the way the incidents need it, across versions: LockManager (PG 13+) was `lock_manager`
 * before; SubtransSLRU (13+) was SubtransControlLock; SubtransBuffer is its buffer I/O.
 */
export function waitCategory(type: string | undefined, event: string | undefined, state: string | undefined): WaitCategory {
  if (type === undefined || type === null) return state === 'active' ? 'CPU' : 'Other';
  if (type === 'LWLock' && (event === 'LockManager' || event === 'lock_manager' || event === 'LockFastPath')) return 'LockManager';
  if (type === 'LWLock' && event !== undefined && /^Subtrans(SLRU|ControlLock|Buffer)$/.test(event)) return 'SubtransSLRU';
  if (type === 'Lock') return 'Lock';
  if (type === 'IO') return 'IO';
  if (type === 'Client') return 'Client';
  return 'Other';
}

/** Roots are sessions that block others but wait on nobody themselves (or cycles, broken at the lowest pid). */
export function blockingTree(sessions: readonly ActivitySession[]): BlockingNode[] {
  const byPid = new Map(sessions.map((s) => [s.pid, s]));
  const waitersOf = new Map<number, ActivitySession[]>();
  for (const s of sessions) {
    for (const blocker of s.blockedBy) {
      const list = waitersOf.get(blocker) ?? [];
      list.push(s);
      waitersOf.set(blocker, list);
    }
  }
  const build = (session: ActivitySession, seen: Set<number>): BlockingNode => {
    seen.add(session.pid);
    const waiting = (waitersOf.get(session.pid) ?? []).filter((w) => !seen.has(w.pid)).map((w) => build(w, seen));
    return { session, waiting };
  };
  const roots: BlockingNode[] = [];
  const seen = new Set<number>();
  const blockers = [...waitersOf.keys()].sort((a, b) => a - b);
  for (const pid of blockers) {
    const session = byPid.get(pid);
    if (session === undefined || seen.has(pid)) continue;
    const waitsOnVisible = session.blockedBy.some((b) => byPid.has(b) && !seen.has(b) && b !== pid);
    if (!waitsOnVisible) roots.push(build(session, seen));
  }
  // Whatever is left is a cycle (a deadlock about to be detected): start at its lowest pid.
  for (const pid of blockers) {
    const session = byPid.get(pid);
    if (session !== undefined && !seen.has(pid)) roots.push(build(session, seen));
  }
  return roots;
}

export function idleInTransaction(snapshot: ActivitySnapshot): ActivitySession[] {
  return snapshot.sessions
    .filter((s) => s.state?.startsWith('idle in transaction') === true)
    .sort((a, b) => (b.stateAgeSeconds ?? 0) - (a.stateAgeSeconds ?? 0));
}

export function waitSummary(snapshot: ActivitySnapshot): Record<WaitCategory, number> {
  const counts: Record<WaitCategory, number> = { LockManager: 0, Lock: 0, SubtransSLRU: 0, IO: 0, CPU: 0, Client: 0, Other: 0 };
  for (const s of snapshot.sessions) if (s.state === 'active') counts[waitCategory(s.waitEventType, s.waitEvent, s.state)]++;
  return counts;
}

export function overflowedSubxacts(snapshot: ActivitySnapshot): ActivitySession[] {
  return snapshot.sessions.filter((s) => s.subxactOverflowed === true || (s.subxactCount ?? 0) >= SUBXACT_CACHE_SIZE);
}

export function sessionsWithSlowPathLocks(snapshot: ActivitySnapshot): ActivitySession[] {
  return snapshot.sessions.filter((s) => s.slowPathRelationLocks > 0).sort((a, b) => b.slowPathRelationLocks - a.slowPathRelationLocks);
}
