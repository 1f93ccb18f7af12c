/** The one interface every database session offers — a real server over node-postgres or the embedded PGlite. */

export type SessionKind = 'server' | 'embedded';

/**
 * The session's transaction status after a statement, as ReadyForQuery reports it: `idle` (no transaction block —
 * after a user statement that means it escaped Lockscope's transaction), `in-transaction`, or `failed` (in a
 * transaction block that an error aborted: still inside, nothing can commit).
 */
export type TransactionStatus = 'idle' | 'in-transaction' | 'failed';

/** A statement's rows and the transaction status right after it. */
export interface SentStatement<Row> {
  rows: Row[];
  status: TransactionStatus;
}

export interface SqlSession {
  readonly kind: SessionKind;
  /** Printable target (no password), for messages and the status bar. */
  readonly display: string;
  /** Runs one statement with optional $n parameters and returns its rows. Errors are DbErrors. */
  query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * Sends one statement on a user's behalf alone, through the extended protocol (the server refuses a second statement
   * in it; parameters are bound, never spliced into the text), and reports the transaction status after it.
   */
  sendStatement<Row extends object>(sql: string, params?: readonly unknown[]): Promise<SentStatement<Row>>;
  /** Closes the session; safe to call twice. Never throws. */
  close(): Promise<void>;
}

/** Safety settings every Lockscope session carries (design.md, Safety). */
export interface SessionSafety {
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
  /** Analysis sessions are read-only; only a probe of a disposable database may write. */
  readOnly: boolean;
  applicationName: string;
}

export const DEFAULT_SAFETY: SessionSafety = {
  connectTimeoutMs: 5000,
  statementTimeoutMs: 5000,
  lockTimeoutMs: 1000,
  idleInTransactionTimeoutMs: 10000,
  readOnly: true,
  applicationName: 'lockscope',
};

/** Runs `work` with a session and always closes it, whatever happens. */
export async function withSession<T>(open: () => Promise<SqlSession>, work: (session: SqlSession) => Promise<T>): Promise<T> {
  const session = await open();
  try {
    return await work(session);
  } finally {
    await session.close();
  }
}
