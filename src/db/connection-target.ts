/** Decides which database to talk to: an explicit URL, DATABASE_URL, or libpq's PG* variables; validates the URL. */
import { redactUrl } from '../core/redact.js';
import { DbError } from './errors.js';

export { redactUrl };

export interface ConnectionTarget {
  /** A postgres:// URL, or undefined to let the driver read PGHOST, PGPORT, PGUSER, PGPASSWORD and PGDATABASE. */
  connectionString: string | undefined;
  /** Where the target came from, for messages. */
  origin: 'argument' | 'DATABASE_URL' | 'PG* variables';
  /** A printable description with any password removed. */
  display: string;
}

const PG_VARIABLES = ['PGHOST', 'PGPORT', 'PGUSER', 'PGDATABASE', 'PGPASSWORD', 'PGSERVICE'];

/**
 * Picks the connection target in the order the CLI contract gives: `--db URL`, then `DATABASE_URL`,
 * then the libpq variables. Returns undefined when none is set.
 */
export function resolveConnectionTarget(
  explicitUrl: string | undefined,
  env: Record<string, string | undefined>,
): ConnectionTarget | undefined {
  if (explicitUrl !== undefined && explicitUrl !== '') {
    return { connectionString: validateUrl(explicitUrl), origin: 'argument', display: redactUrl(explicitUrl) };
  }
  const fromEnv = env['DATABASE_URL'];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { connectionString: validateUrl(fromEnv), origin: 'DATABASE_URL', display: redactUrl(fromEnv) };
  }
  if (PG_VARIABLES.some((name) => (env[name] ?? '') !== '')) {
    const host = env['PGHOST'] ?? 'localhost';
    const port = env['PGPORT'] ?? '5432';
    const db = env['PGDATABASE'] ?? env['PGUSER'] ?? '';
    return { connectionString: undefined, origin: 'PG* variables', display: `${host}:${port}/${db}` };
  }
  return undefined;
}

/** A '/', '#' or '?' inside the userinfo: an '@' and a host still follow it, before any query parameter. */
const RAW_DELIMITER_IN_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@]*[/?#][^/?#@=&]*@[^/?#@]+(\/|$)/i;

const rawDelimiterError = (url: string): DbError =>
  new DbError(
    'bad-url',
    `The password in "${redactUrl(url)}" seems to hold a raw "/", "#" or "?": percent-encode it (%2F, %23, %3F; "@" is %40).`,
  );

/** Accepts postgres:// and postgresql:// URLs (host may be empty with ?host=/socket/dir); rejects anything else. */
export function validateUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // `u:Lk9/x@h/db` fails to parse (the authority ends at the '/', leaving port "Lk9"): say why, not only that.
    if (RAW_DELIMITER_IN_PASSWORD.test(url)) throw rawDelimiterError(url);
    throw new DbError('bad-url', `Not a PostgreSQL connection URL: "${redactUrl(url)}". Expected postgres://user@host:port/database.`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DbError('bad-url', `Unsupported URL scheme "${parsed.protocol}" in "${redactUrl(url)}": use postgres:// or postgresql://.`);
  }
  if (parsed.port !== '' && !/^\d+$/.test(parsed.port)) {
    throw new DbError('bad-url', `Bad port in "${redactUrl(url)}".`);
  }
  // A raw '/', '#' or '?' in a password makes the parser end the authority early: the rest lands in the path or
  // fragment with its '@' still there. Connecting would go to the wrong host with a truncated password.
  if (/@/.test(parsed.pathname + parsed.hash)) throw rawDelimiterError(url);
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) {
    throw new DbError('bad-url', `No host in "${redactUrl(url)}": give host[:port] or ?host=/path/to/socket/dir.`);
  }
  return url;
}
