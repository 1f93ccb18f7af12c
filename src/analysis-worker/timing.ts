/**
 * Where one keystroke's lint spends its time, hop by hop (the editor bench prints it): marks in milliseconds since the
 * epoch (`performance.timeOrigin + performance.now()`), comparable across the host's and the worker's threads.
 */

/** Now, on a clock shared by every thread of the process. */
export const epochNow = (): number => performance.timeOrigin + performance.now();

/** The worker's marks of one lint, from the request's arrival to the last reply posted. */
export interface WorkerMarks {
  /** The request reached the worker (its message event, or read from the port before a lint). */
  received: number;
  /** The lint began (after the requests queued ahead of it). */
  start: number;
  /** Phases of core's lint (lint.ts): index update, scans, analysis, rules. */
  update: number;
  scan: number;
  analyze: number;
  rules: number;
  /** The portable analysis made and encoded as a delta against the host's copy. */
  portable: number;
  encoded: number;
  /** The 'linted' reply posted (after its parts, each acknowledged by the host). */
  posted: number;
  /** Parts posted ahead of it, and the entries the delta carried. */
  parts: number;
  entries: number;
  /**
   * The worker's garbage collections observed since its previous lint, [epoch start, ms] (PerformanceObserver 'gc'
   * entries arrive after the synchronous lint they fell in: the bench places each in a lint's window).
   */
  gc: Array<[start: number, ms: number]>;
}

/** The host's marks around one lint request. */
export interface HostMarks {
  /** The request posted to the worker. */
  sent: number;
  /** The 'linted' reply's message event on the host, and its delta decoded. */
  replied: number;
  decoded: number;
}

export type LintTiming = { worker: WorkerMarks; host: HostMarks };
