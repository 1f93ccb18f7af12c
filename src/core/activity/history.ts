/**
 * Live activity over time: one small point per sample (active sessions by wait category, sessions by state, relation
 * and slow-path locks held) kept in a rolling window, and its export as CSV.
 */
import { waitSummary } from './analysis.js';
import type { ActivitySnapshot, WaitCategory } from './model.js';

/** Default rolling window of the Live Activity view. */
export const DEFAULT_HISTORY_SECONDS = 15 * 60;

/** The session states pg_stat_activity reports, in the order the view stacks them. */
export const SESSION_STATES = ['active', 'idle in transaction', 'idle in transaction (aborted)', 'idle', 'other'] as const;
export type SessionStateKey = (typeof SESSION_STATES)[number];

export interface ActivityPoint {
  takenAt: string;
  /** Active sessions by what they wait on (CPU: active and not waiting). */
  waits: Record<WaitCategory, number>;
  /** Sessions of the database by state. */
  states: Record<SessionStateKey, number>;
  /** Relation locks held by the sessions, and how many of them sit in the shared lock table (slow path). */
  relationLocks: number;
  slowPathLocks: number;
}

export function pointOf(snapshot: ActivitySnapshot): ActivityPoint {
  const states: Record<SessionStateKey, number> = {
    active: 0,
    'idle in transaction': 0,
    'idle in transaction (aborted)': 0,
    idle: 0,
    other: 0,
  };
  for (const s of snapshot.sessions) {
    const key = (SESSION_STATES as readonly string[]).includes(s.state ?? '') ? (s.state as SessionStateKey) : 'other';
    states[key]++;
  }
  return {
    takenAt: snapshot.takenAt,
    waits: waitSummary(snapshot),
    states,
    relationLocks: snapshot.sessions.reduce((n, s) => n + s.relationLocks, 0),
    slowPathLocks: snapshot.sessions.reduce((n, s) => n + s.slowPathRelationLocks, 0),
  };
}

/** The points of the last `windowSeconds` (by the samples' own clock), oldest first. */
export class ActivityHistory {
  private readonly points: ActivityPoint[] = [];

  constructor(readonly windowSeconds = DEFAULT_HISTORY_SECONDS) {}

  add(point: ActivityPoint): void {
    this.points.push(point);
    const newest = Date.parse(point.takenAt);
    while (this.points.length > 0 && newest - Date.parse(this.points[0]?.takenAt ?? point.takenAt) > this.windowSeconds * 1000)
      this.points.shift();
  }

  get all(): readonly ActivityPoint[] {
    return this.points;
  }
}

const WAIT_COLUMNS: WaitCategory[] = ['LockManager', 'Lock', 'SubtransSLRU', 'IO', 'CPU', 'Client', 'Other'];

/** One row per point; columns named after the wait categories and states (spreadsheet-ready). */
export function historyCsv(points: readonly ActivityPoint[]): string {
  const header = [
    'taken_at',
    ...WAIT_COLUMNS.map((w) => `wait_${w}`),
    ...SESSION_STATES.map((s) => `state_${s.replace(/[^a-z]+/g, '_').replace(/_$/, '')}`),
    'relation_locks',
    'slow_path_locks',
  ];
  const rows = points.map((p) =>
    [p.takenAt, ...WAIT_COLUMNS.map((w) => p.waits[w]), ...SESSION_STATES.map((s) => p.states[s]), p.relationLocks, p.slowPathLocks].join(
      ',',
    ),
  );
  return `${[header.join(','), ...rows].join('\n')}\n`;
}
