/**
 * Every server session this process has open, so an interrupted command (SIGINT, SIGTERM) can cancel their running
 * statements on the server and close them before it exits, whichever command opened them.
 */

/** What an open session offers the interrupt path. */
export interface LiveSession {
  /** Cancels the statement the session is running, if any (CancelRequest); bounded in time, never throws. */
  cancel(): Promise<void>;
  /** Drops the connection at once (for the second interrupt, which exits without waiting). */
  drop(): void;
}

const live = new Set<LiveSession>();

/** Registers a session; returns the function that unregisters it (call it when the session closes). */
export function trackSession(session: LiveSession): () => void {
  live.add(session);
  return () => {
    live.delete(session);
  };
}

/** How many sessions are open now (tests, and the interrupt message). */
export function liveSessionCount(): number {
  return live.size;
}

/** Sends a cancel to every open session's running statement and waits for all of them to be sent (each ≤ 1 s). */
export async function cancelLiveSessions(): Promise<void> {
  await Promise.all([...live].map((s) => s.cancel()));
}

/** Drops every open connection at once. */
export function dropLiveSessions(): void {
  for (const session of live) session.drop();
}
