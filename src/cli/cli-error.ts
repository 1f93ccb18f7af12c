/** Errors the CLI reports as a message and an exit code, never as a stack trace. */
import { LimitError } from '../core/probe/limits.js';
import { GuardRefusedError, TransactionEscapedError } from '../core/safety/index.js';
import { DbError } from '../db/errors.js';
import { StatementsUnavailableError } from '../db/workload/statements-reader.js';

/**
 * Exit codes of the CLI contract (design.md, docs/cli.md). 3 covers every way the server fails a run: unreachable,
 * lost mid-run, stopped answering, no free connection slot. 70 is sysexits' EX_SOFTWARE (a bug in Lockscope, not bad
 * input); 130 and 143 are the shell's 128 + SIGINT and 128 + SIGTERM.
 */
export const EXIT = { ok: 0, findings: 1, badInput: 2, unreachable: 3, internal: 70, interrupted: 130, terminated: 143 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Bad command-line input: unknown command or option, missing argument. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The probe option that sets each load figure. */
const optionOf = { clients: 'clients', durationSeconds: 'duration', warmupSeconds: 'warmup', thinkTimeMs: 'think' } as const;

/** Maps any error to the message and exit code the CLI prints. Unknown errors are bugs: they keep their stack. */
export function describeFailure(error: unknown): { message: string; code: ExitCode } {
  if (error instanceof UsageError) return { message: error.message, code: EXIT.badInput };
  // Validation is bad input whichever layer refused it (the CLI early, or the engine where the probe starts).
  if (LimitError.is(error)) return { message: `--${optionOf[error.field]}: ${error.message}`, code: EXIT.badInput };
  // The guard refused a statement before anything was sent: bad input, named and explained.
  if (error instanceof GuardRefusedError) return { message: error.message, code: EXIT.badInput };
  // A statement left Lockscope's transaction: a Lockscope bug (the guard let it through), said loudly, never retried.
  if (error instanceof TransactionEscapedError) return { message: error.message, code: EXIT.internal };
  // The server is reachable but cannot answer the question: the message says how to make it able to.
  if (error instanceof StatementsUnavailableError) return { message: error.message, code: EXIT.badInput };
  if (DbError.is(error)) {
    return { message: error.message, code: error.isConnectionFailure ? EXIT.unreachable : EXIT.badInput };
  }
  const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return { message: `internal error (please report): ${text}`, code: EXIT.internal };
}
