/** Reads the server lock profile (version, max_locks_per_transaction, slots) and the relation count in one query. */
import { buildServerProfile, type ServerProfile } from '../core/server-profile.js';
import type { SqlSession } from './session.js';

export interface ServerLockProfile {
  profile: ServerProfile;
  /** current_database(). */
  database: string;
  /** Relations (tables, partitioned tables, indexes, sequences, views, materialized views, foreign tables)
   *  outside pg_catalog, information_schema and pg_toast. */
  relationCount: number;
  /** Where the facts came from, printable. */
  target: string;
}

interface ProfileRow {
  version: string;
  version_num: string;
  max_locks: string;
  database: string;
  relation_count: string;
}

export const SERVER_PROFILE_SQL = `
SELECT current_setting('server_version') AS version,
       current_setting('server_version_num') AS version_num,
       current_setting('max_locks_per_transaction') AS max_locks,
       current_database() AS database,
       (SELECT count(*) FROM pg_catalog.pg_class c
          JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
           AND n.nspname NOT LIKE 'pg_temp_%' AND n.nspname NOT LIKE 'pg_toast_temp_%'
           AND c.relkind IN ('r', 'p', 'i', 'I', 'S', 'v', 'm', 'f'))::text AS relation_count`;

export async function readServerLockProfile(session: SqlSession): Promise<ServerLockProfile> {
  const rows = await session.query<ProfileRow>(SERVER_PROFILE_SQL);
  const row = rows[0];
  if (row === undefined) throw new Error('server profile query returned no row');
  return {
    profile: buildServerProfile(
      row.version,
      Number(row.version_num),
      Number(row.max_locks),
      session.kind === 'server' ? 'server' : 'embedded',
    ),
    database: row.database,
    relationCount: Number(row.relation_count),
    target: session.display,
  };
}
