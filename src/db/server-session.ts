/** Opens a guarded node-postgres session: application_name, timeouts and read-only set at connect time. */
import pg from 'pg';
import type { ConnectionTarget } from './connection-target.js';
import { closeClient, dropClient, sendCancelRequest } from './cancel-request.js';
import { classifyDbError, DbError } from './errors.js';
import { trackSession } from './live-sessions.js';
import { DEFAULT_SAFETY, type SentStatement, type SessionSafety, type SqlSession, type TransactionStatus } from './session.js';

/** pg's ReadyForQuery status byte (client.getTransactionStatus(), untyped in @types/pg) as a TransactionStatus. */
function statusOf(client: pg.Client): TransactionStatus {
  const status = (client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();
  return status === 'T' ? 'in-transaction' : status === 'E' ? 'failed' : 'idle';
}

/** pg runs a query through Parse/Bind/Execute with `queryMode: 'extended'` even without values (not in @types/pg). */
type ExtendedQuery = pg.QueryConfig & { queryMode: 'extended' };

/**
 * Startup options are sent in the connection packet, so they hold before the first query runs:
 * no window where a session exists without its timeouts.
 */
function startupOptions(safety: SessionSafety): string {
  const settings = [
    `statement_timeout=${safety.statementTimeoutMs}`,
    `lock_timeout=${safety.lockTimeoutMs}`,
    `idle_in_transaction_session_timeout=${safety.idleInTransactionTimeoutMs}`,
    `default_transaction_read_only=${safety.readOnly ? 'on' : 'off'}`,
    // The catalog query is large but runs in under a second; JIT compiling it costs seconds (measured: 2.7 s → 0.9 s).
    'jit=off',
  ];
  return settings.map((s) => `-c ${s}`).join(' ');
}

/** How long past statement_timeout the client waits for an answer before it calls the server unresponsive. */
export const CLIENT_GRACE_MS = 2000;

export async function openServerSession(target: ConnectionTarget, safety: SessionSafety = DEFAULT_SAFETY): Promise<SqlSession> {
  const config: pg.ClientConfig = {
    application_name: safety.applicationName,
    connectionTimeoutMillis: safety.connectTimeoutMs,
    options: startupOptions(safety),
    // A client-side guard too: if the server never answers (a hung host), pg gives up after this.
    query_timeout: safety.statementTimeoutMs + CLIENT_GRACE_MS,
  };
  if (target.connectionString !== undefined) config.connectionString = target.connectionString;
  const client = new pg.Client(config);
  let lastError: unknown;
  // An idle client whose server goes away emits 'error'; without a listener Node would crash the process.
  client.on('error', (error) => {
    lastError = error;
  });
  try {
    await client.connect();
  } catch (error) {
    await closeClient(client);
    throw classifyDbError(error, target.display);
  }
  let closed = false;
  const untrack = trackSession({ cancel: () => sendCancelRequest(client), drop: () => dropClient(client) });
  const deadlineSeconds = (safety.statementTimeoutMs + CLIENT_GRACE_MS) / 1000;
  const run = async <Row extends object>(
    query: string | ExtendedQuery,
    values?: unknown[],
  ): Promise<pg.QueryResult<Row & pg.QueryResultRow>> => {
    // A connection that failed while idle (server killed or restarted) reports that failure, not pg's "not queryable".
    if (closed || lastError !== undefined)
      throw classifyDbError(lastError ?? new Error('Connection terminated: session closed'), target.display);
    try {
      return typeof query === 'string'
        ? await client.query<Row & pg.QueryResultRow>(query, values)
        : await client.query<Row & pg.QueryResultRow>(query);
    } catch (error) {
      const failure = classifyDbError(error, target.display);
      if (failure.reason !== 'unresponsive') throw failure;
      // Queued in the server's listen backlog, the cancel stops the statement as soon as a frozen server runs again.
      void sendCancelRequest(client);
      // The session is done for: later queries (a ROLLBACK on the way out) fail at once instead of waiting again, and
      // the dropped socket makes the server roll back and end the session when it runs again.
      const stopped = `PostgreSQL at ${target.display} stopped answering: no reply within ${deadlineSeconds} s.`;
      lastError = new DbError('unresponsive', stopped, error);
      dropClient(client);
      throw lastError;
    }
  };
  return {
    kind: 'server',
    display: target.display,
    async query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
      return (await run<Row>(sql, params === undefined ? undefined : [...params])).rows as Row[];
    },
    async sendStatement<Row extends object>(sql: string, params?: readonly unknown[]): Promise<SentStatement<Row>> {
      const extended: ExtendedQuery = { text: sql, values: params === undefined ? [] : [...params], queryMode: 'extended' };
      const result = await run<Row>(extended);
      return { rows: result.rows as Row[], status: statusOf(client) };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      untrack();
      await closeClient(client);
    },
  };
}
