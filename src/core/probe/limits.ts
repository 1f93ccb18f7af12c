/**
 * The load probe's bounds, in one place: the CLI and the webview host check them for an early message, the probe
 * runner's form shows them, and the load engine checks them again where every probe starts (src/db/probe/engine.ts),
 * so no caller can start an unbounded probe. A refusal is a LimitError (bad input, exit 2), never a database error.
 */

export const PROBE_LIMITS = {
  minClients: 1,
  maxClients: 256,
  maxDurationSeconds: 300,
  maxWarmupSeconds: 60,
  maxThinkTimeMs: 10_000,
} as const;

/** The figures of a load probe the bounds apply to. */
export interface ProbeLoad {
  clients: number;
  durationSeconds: number;
  warmupSeconds: number;
  thinkTimeMs: number;
}

export type ProbeLoadField = keyof ProbeLoad;

/** A probe refused before it starts because a figure is out of bounds (or not a number). */
export class LimitError extends Error {
  override readonly name = 'LimitError';
  constructor(
    readonly field: ProbeLoadField,
    message: string,
  ) {
    super(message);
  }

  static is(error: unknown): error is LimitError {
    return error instanceof LimitError;
  }
}

const within = (value: number, min: number, max: number, minExclusive = false): boolean =>
  Number.isFinite(value) && (minExclusive ? value > min : value >= min) && value <= max;

/** The first figure out of bounds, with the message people see; undefined when the load may run. */
export function probeLoadProblem(load: ProbeLoad): { field: ProbeLoadField; message: string } | undefined {
  const l = PROBE_LIMITS;
  if (!(Number.isInteger(load.clients) && within(load.clients, l.minClients, l.maxClients)))
    return { field: 'clients', message: `Clients must be a whole number from ${l.minClients} to ${l.maxClients}, got ${load.clients}.` };
  if (!within(load.durationSeconds, 0, l.maxDurationSeconds, true))
    return {
      field: 'durationSeconds',
      message: `Duration must be more than 0 and at most ${l.maxDurationSeconds} s, got ${load.durationSeconds}.`,
    };
  if (!within(load.warmupSeconds, 0, l.maxWarmupSeconds))
    return { field: 'warmupSeconds', message: `Warm-up must be 0–${l.maxWarmupSeconds} s, got ${load.warmupSeconds}.` };
  if (!within(load.thinkTimeMs, 0, l.maxThinkTimeMs))
    return { field: 'thinkTimeMs', message: `Think time must be 0–${l.maxThinkTimeMs} ms, got ${load.thinkTimeMs}.` };
  return undefined;
}

/** Throws a LimitError naming the first figure out of bounds. */
export function checkProbeLoad(load: ProbeLoad): void {
  const problem = probeLoadProblem(load);
  if (problem !== undefined) throw new LimitError(problem.field, problem.message);
}
