/**
 * SIGINT and SIGTERM for the CLI: the first one aborts the command (a probe stops and reports what it has), cancels
 * every running statement on the server (CancelRequest) and, if the server does not let go within DROP_AFTER_MS,
 * drops the connections; the command then closes its sessions and exits 130 or 143. A second signal exits at once,
 * and so does a command still running FORCE_EXIT_AFTER_MS after the first.
 */
import { cancelLiveSessions, dropLiveSessions } from '../db/live-sessions.js';
import { EXIT } from './cli-error.js';

/** Time the server gets to answer the cancel before the connections are dropped (a frozen server never answers). */
export const DROP_AFTER_MS = 2000;
/**
 * Last resort: a command still running this long after the first signal (e.g. loading a schema into the embedded
 * database, which has no server-side statement to cancel) exits anyway; its sessions have been dropped by then.
 */
export const FORCE_EXIT_AFTER_MS = 5000;

export type InterruptSignal = 'SIGINT' | 'SIGTERM';

export interface Interrupts {
  /** Aborted at the first signal. */
  readonly signal: AbortSignal;
  /** The first signal received, if any. */
  received(): InterruptSignal | undefined;
  /** Removes the handlers (the command ended). */
  dispose(): void;
}

export const exitCodeOf = (signal: InterruptSignal): number => (signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);

/**
 * Installs the handlers for the duration of one command. `report` prints the notice; `exitNow` ends the process on
 * a second signal (process.exit in the CLI).
 */
/** Where signals come from: the process, or in tests an EventEmitter that stands in for it. */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  removeListener(event: InterruptSignal, listener: () => void): unknown;
}

export function catchInterrupts(
  report: (text: string) => void,
  exitNow: (code: number) => void,
  source: SignalSource = process,
): Interrupts {
  const abort = new AbortController();
  let first: InterruptSignal | undefined;
  const timers: NodeJS.Timeout[] = [];
  const onSignal = (signal: InterruptSignal): void => {
    if (first !== undefined) {
      report(`lockscope: ${signal} again: exiting now without waiting for the server.`);
      dropLiveSessions();
      exitNow(exitCodeOf(first));
      return;
    }
    first = signal;
    report(`lockscope: ${signal}: cancelling running statements on the server and closing every session…`);
    abort.abort();
    void cancelLiveSessions();
    timers.push(setTimeout(dropLiveSessions, DROP_AFTER_MS));
    timers.push(
      setTimeout(() => {
        report(`lockscope: still not finished ${FORCE_EXIT_AFTER_MS / 1000} s after ${signal}: exiting now.`);
        exitNow(exitCodeOf(signal));
      }, FORCE_EXIT_AFTER_MS),
    );
    for (const timer of timers) timer.unref();
  };
  const onInt = (): void => onSignal('SIGINT');
  const onTerm = (): void => onSignal('SIGTERM');
  source.on('SIGINT', onInt);
  source.on('SIGTERM', onTerm);
  return {
    signal: abort.signal,
    received: () => first,
    dispose(): void {
      for (const timer of timers) clearTimeout(timer);
      source.removeListener('SIGINT', onInt);
      source.removeListener('SIGTERM', onTerm);
    },
  };
}
