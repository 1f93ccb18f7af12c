/** Typed database errors: every failure to reach or use a database becomes a DbError with a reason a user can act on. */
import { redactSecrets } from '../core/redact.js';

export type DbErrorReason =
  | 'bad-url' // the connection string cannot be parsed
  | 'config' // the settings name a connection that is not configured
  | 'unreachable' // nothing answers at host:port / socket, DNS fails, or the connect timeout expires
  | 'auth' // wrong password or role not allowed
  | 'no-database' // the server is there but the database is not
  | 'timeout' // statement_timeout or lock_timeout cancelled a query
  | 'connection-lost' // the session died mid-way (server restart, network drop, terminated backend)
  | 'unresponsive' // the server accepted the connection but stopped answering (frozen host, stopped process)
  | 'too-many-connections' // the server refused a new session: no free connection slot (SQLSTATE 53300)
  | 'schema-load' // the embedded database could not load the schema file
  | 'query-failed'; // any other error the server reported

export class DbError extends Error {
  override readonly name = 'DbError';
  constructor(
    readonly reason: DbErrorReason,
    message: string,
    /** The driver's own error, kept for logs. */
    readonly original?: unknown,
    /** SQLSTATE when the server sent one. */
    readonly sqlState?: string,
  ) {
    // Messages quote URLs and driver text: no password may survive into a log, the CLI or a webview.
    super(redactSecrets(message));
  }

  static is(value: unknown, reason?: DbErrorReason): value is DbError {
    return value instanceof DbError && (reason === undefined || value.reason === reason);
  }

  /** True when the failure means "could not talk to the database at all" (CLI exit code 3). */
  get isConnectionFailure(): boolean {
    return (
      this.reason === 'unreachable' ||
      this.reason === 'auth' ||
      this.reason === 'no-database' ||
      this.reason === 'connection-lost' ||
      this.reason === 'unresponsive' ||
      this.reason === 'too-many-connections'
    );
  }
}

interface DriverErrorShape {
  code?: unknown;
  message?: unknown;
  errno?: unknown;
  position?: unknown;
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOENT', 'ETIMEDOUT']);
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', '57P01', '57P02', '57P03']);

/** Turns whatever node-postgres or PGlite threw into a DbError; `where` names the target for the message. */
export function classifyDbError(error: unknown, where: string): DbError {
  if (error instanceof DbError) return error;
  const shape = (typeof error === 'object' && error !== null ? error : {}) as DriverErrorShape;
  const code = typeof shape.code === 'string' ? shape.code : undefined;
  const text = typeof shape.message === 'string' ? shape.message : String(error);

  if (code !== undefined && NETWORK_CODES.has(code)) {
    return new DbError('unreachable', `Cannot reach PostgreSQL at ${where}: ${networkHint(code, text)}`, error);
  }
  if (/timeout expired|connection timeout|timed out/i.test(text) && code === undefined) {
    return new DbError('unreachable', `Cannot reach PostgreSQL at ${where}: no answer before the connect timeout.`, error);
  }
  if (code === '28P01' || code === '28000') {
    return new DbError('auth', `PostgreSQL at ${where} refused the login: ${text}`, error, code);
  }
  if (code === '53300') {
    return new DbError('too-many-connections', `PostgreSQL at ${where} has no free connection slot: ${text}`, error, code);
  }
  // pg's client-side read timeout (query_timeout): the server took the query and never answered.
  if (text === 'Query read timeout') {
    return new DbError('unresponsive', `PostgreSQL at ${where} stopped answering: no reply to a query within its deadline.`, error);
  }
  if (code === '3D000') {
    return new DbError('no-database', `PostgreSQL at ${where} has no such database: ${text}`, error, code);
  }
  if (code === '57014' || code === '55P03') {
    const what = code === '55P03' ? 'lock_timeout' : 'statement_timeout';
    return new DbError('timeout', `A query was cancelled by ${what} on ${where}: ${text}`, error, code);
  }
  if (
    (code !== undefined && LOST_CODES.has(code)) ||
    /Connection terminated|server closed the connection|terminating connection|is not queryable/i.test(text)
  ) {
    return new DbError('connection-lost', `The connection to ${where} was lost: ${text}`, error, code);
  }
  return new DbError('query-failed', `PostgreSQL at ${where} reported an error: ${text}`, error, code);
}

function networkHint(code: string, text: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused (is the server running and listening there?).';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve.';
    case 'ENOENT':
      return 'no Unix socket at that path (is the server running?).';
    case 'ETIMEDOUT':
      return 'no answer before the connect timeout.';
    default:
      return text;
  }
}
