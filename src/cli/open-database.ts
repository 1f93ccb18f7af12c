/** Turns the CLI's --db / --schema options (or the environment) into an open database session. */
import { resolveConnectionTarget } from '../db/connection-target.js';
import { openEmbeddedSession } from '../db/embedded-session.js';
import { openServerSession } from '../db/server-session.js';
import { DEFAULT_SAFETY, type SessionSafety, type SqlSession } from '../db/session.js';
import { UsageError } from './cli-error.js';

export interface DatabaseOptions {
  db?: string | undefined;
  schema?: string | undefined;
  connectTimeoutSeconds?: number | undefined;
}

/** --schema wins (the embedded database); otherwise --db, DATABASE_URL, then PG* variables. */
export async function openDatabase(
  options: DatabaseOptions,
  env: Record<string, string | undefined>,
  safety: SessionSafety = DEFAULT_SAFETY,
): Promise<SqlSession> {
  if (options.db !== undefined && options.schema !== undefined) {
    throw new UsageError('Give either --db URL or --schema FILE, not both.');
  }
  if (options.schema !== undefined) return openEmbeddedSession({ schemaFile: options.schema });
  const target = resolveConnectionTarget(options.db, env);
  if (target === undefined) {
    throw new UsageError('No database: give --db URL, --schema FILE, or set DATABASE_URL (or the PG* variables).');
  }
  const connectTimeoutMs = (options.connectTimeoutSeconds ?? safety.connectTimeoutMs / 1000) * 1000;
  return openServerSession(target, { ...safety, connectTimeoutMs });
}
