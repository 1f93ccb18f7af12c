/**
 * Shared by the escape-*.test.ts files: the throwaway cluster's schema, a snapshot of everything a statement could
 * leave behind (table and sequence checksums, large objects, Lockscope sessions, locks, prepared transactions, files,
 * settings, a victim session), and one CLI case run against it.
 */
import { existsSync } from 'node:fs';
import type pg from 'pg';
import type { PgCluster } from '../support/pg-cluster.js';
import { startCli } from './faults-harness.js';

/** The schema every case runs against: a serial table, a plain one, and a procedure that commits. */
export const ESCAPE_SCHEMA = `
CREATE TABLE t (id serial PRIMARY KEY, v int NOT NULL, note text);
INSERT INTO t (v, note) SELECT g, 'n' || g FROM generate_series(1, 50) g;
CREATE TABLE audit (k int PRIMARY KEY, what text);
INSERT INTO audit VALUES (1, 'kept');
CREATE ROLE other LOGIN;
GRANT ALL ON t, audit TO other;
CREATE PROCEDURE commit_then_write() LANGUAGE plpgsql AS $$ BEGIN UPDATE t SET v = 0; COMMIT; DELETE FROM audit; END $$;`;

/** A file COPY … TO PROGRAM / TO 'file' would create if it ran. */
export const WITNESS_FILE = '/tmp/lockscope-escape-witness';

export interface Snapshot {
  /** Per table and sequence: md5 of its rows / its state. */
  checksums: Record<string, string>;
  largeObjects: number;
  preparedXacts: number;
  /** Locks held by any session but the snapshot's own (advisory included). */
  locks: number;
  advisoryLocks: number;
  lockscopeSessions: number;
  /** Settings stored outside a session (ALTER SYSTEM, ALTER ROLE/DATABASE SET). */
  storedSettings: string;
  victimAlive: boolean;
  witnessFile: boolean;
}

/** Reads everything in one psql session (excluded from the lock and session counts), one value per line. */
export function snapshot(cluster: PgCluster, victimPid: number): Snapshot {
  const queries = [
    `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM t x`,
    `SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM audit x`,
    `SELECT last_value || ':' || is_called FROM t_id_seq`,
    'SELECT count(*) FROM pg_largeobject_metadata',
    'SELECT count(*) FROM pg_prepared_xacts',
    `SELECT count(*) FROM pg_locks WHERE pid IS DISTINCT FROM pg_backend_pid() AND pid IS DISTINCT FROM ${victimPid}`,
    `SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'`,
    `SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'lockscope%'`,
    `SELECT coalesce(string_agg(setconfig::text, ';'), '') || '/' || (SELECT count(*) FROM pg_file_settings WHERE sourcefile LIKE '%auto.conf') FROM pg_db_role_setting`,
    `SELECT count(*) FROM pg_stat_activity WHERE pid = ${victimPid}`,
    `SELECT count(*) FROM pg_database WHERE datname = 'escape_db'`,
  ];
  const [t, audit, seq, lo, prepared, locks, advisory, sessions, settings, victim, databases] = cluster
    .psql(queries.map((q) => `${q};`).join('\n'))
    .trim()
    .split('\n');
  return {
    checksums: { t: t ?? '', audit: audit ?? '', t_id_seq: seq ?? '', databases: databases ?? '' },
    largeObjects: Number(lo),
    preparedXacts: Number(prepared),
    locks: Number(locks),
    advisoryLocks: Number(advisory),
    lockscopeSessions: Number(sessions),
    storedSettings: settings ?? '',
    victimAlive: victim === '1',
    witnessFile: existsSync(WITNESS_FILE),
  };
}

export type CaseOutcome = 'refused' | 'runs' | 'warns';

export interface EscapeCase {
  /** The escape family, as docs/safety.md names it. */
  family: string;
  /** CLI arguments after the command and --db. */
  command: 'measure' | 'probe';
  args: string[];
  expect: CaseOutcome;
}

export interface CaseResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one case through the built CLI. */
export async function runCase(url: string, c: EscapeCase): Promise<CaseResult> {
  const extra = c.command === 'probe' ? ['--clients', '2', '--duration', '0.5', '--warmup', '0'] : [];
  const run = startCli([c.command, '--db', url, '--connect-timeout', '30', ...extra, ...c.args]);
  const { code, stdout, stderr } = await run.exited;
  return { code, stdout, stderr };
}

/** Polls until no Lockscope session is left (a closed socket takes the server a moment to notice), at most 2 s. */
export async function settle(mon: pg.Client): Promise<void> {
  const until = performance.now() + 2000;
  while (performance.now() < until) {
    const r = await mon.query<{ n: string }>(`SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE 'lockscope%'`);
    if (r.rows[0]?.n === '0') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
