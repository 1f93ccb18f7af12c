/**
 * Reads pg_stat_statements for the current database: detects the extension (and says how to enable it when absent),
 * then one query per sample — counters only, texts only when asked — so sampling stays cheap with thousands of rows.
 */
import type { StatementCounters, StatementSample } from '../../core/workload/statement-stats.js';
import { DbError } from '../errors.js';
import { QueryCost } from '../query-cost.js';
import type { SqlSession } from '../session.js';

/** Every query this reader sends starts with this comment, so its own statement is left out of the ranking. */
export const OWN_QUERY_MARK = '/* lockscope workload */';

export const ENABLE_HINT = [
  'To enable it: add pg_stat_statements to shared_preload_libraries',
  "(postgresql.conf, or ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements' keeping any libraries already listed),",
  'restart the server, then run CREATE EXTENSION pg_stat_statements; in this database.',
  'On managed services set shared_preload_libraries in the parameter group / server flags instead.',
].join(' ');

/** Whether a statement text is one of this reader's own queries. */
export const isOwnQuery = (text: string | undefined): boolean => text?.startsWith(OWN_QUERY_MARK) === true;

/** pg_stat_statements is missing or not loaded: nothing to rank. */
export class StatementsUnavailableError extends Error {
  override readonly name = 'StatementsUnavailableError';
}

interface Detection {
  schema: string | null;
  preload: string;
  columns: string[] | null;
}

interface RawSample {
  takenAt: string;
  rows: Array<{ q: string; c: number; t: number; r: number; g?: number; u?: number }>;
}

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

export class StatementsReader {
  /** Queries sent and their total wall time, for the reader's own cost (bench/workload-sampler.bench.ts). */
  readonly cost = new QueryCost();
  private countersSql: string | undefined;
  private textsSql: string | undefined;

  constructor(private readonly db: SqlSession) {}

  /** Checks that pg_stat_statements is installed and loaded; throws StatementsUnavailableError saying how to fix it. */
  async detect(): Promise<void> {
    const [found] = await this.cost.timed(() =>
      this.db.query<Detection>(`${OWN_QUERY_MARK} SELECT n.nspname AS schema, current_setting('shared_preload_libraries') AS preload,
        (SELECT array_agg(a.attname::text) FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
          WHERE c.relname = 'pg_stat_statements' AND c.relnamespace = n.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns
        FROM (SELECT 1) one
        LEFT JOIN pg_extension e ON e.extname = 'pg_stat_statements'
        LEFT JOIN pg_namespace n ON n.oid = e.extnamespace`),
    );
    const loaded = /(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(found?.preload ?? '');
    if (found === undefined || found.schema === null || found.columns === null) {
      throw new StatementsUnavailableError(
        `pg_stat_statements is not installed in this database${loaded ? '' : ' (nor loaded by the server)'}. ${ENABLE_HINT}`,
      );
    }
    if (!loaded) {
      throw new StatementsUnavailableError(
        `pg_stat_statements is installed but the server did not load it (shared_preload_libraries = '${found.preload}'). ${ENABLE_HINT}`,
      );
    }
    const has = (column: string): boolean => found.columns?.includes(column) === true;
    const fn = `${quoteIdent(found.schema)}.pg_stat_statements`;
    const total = has('total_exec_time') ? 'total_exec_time' : 'total_time';
    const planCounts = has('generic_plan_calls') ? `, 'g', generic_plan_calls, 'u', custom_plan_calls` : '';
    // Nested statements (inside functions) are counted apart from the top-level call that ran them.
    const topLevel = has('toplevel') ? ' AND toplevel' : '';
    const mine = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database())${topLevel}`;
    this.countersSql = `${OWN_QUERY_MARK} SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "takenAt",
      coalesce((SELECT json_agg(json_build_object('q', queryid::text, 'c', calls, 't', ${total}, 'r', rows${planCounts}))
                  FROM ${fn}(false) WHERE ${mine}), '[]'::json) AS rows`;
    this.textsSql = `${OWN_QUERY_MARK} SELECT queryid::text AS "queryId", query FROM ${fn}(true) WHERE ${mine} AND queryid::text = ANY($1::text[])`;
  }

  /** Counters of every statement of this database (no texts: reading them costs a file read per sample). */
  async sample(): Promise<StatementSample> {
    const sql = this.countersSql;
    if (sql === undefined) throw new DbError('query-failed', 'StatementsReader.sample() before detect().');
    const [raw] = await this.cost.timed(() => this.db.query<RawSample>(sql));
    const counters = new Map<string, StatementCounters>();
    for (const r of raw?.rows ?? []) {
      counters.set(r.q, {
        queryId: r.q,
        calls: Number(r.c),
        totalExecMs: Number(r.t),
        rows: Number(r.r),
        genericPlanCalls: r.g === undefined ? undefined : Number(r.g),
        customPlanCalls: r.u === undefined ? undefined : Number(r.u),
      });
    }
    return { takenAt: raw?.takenAt ?? new Date().toISOString(), counters };
  }

  /** Normalised texts of the given statements (the reader's own carry OWN_QUERY_MARK: see isOwnQuery). */
  async texts(queryIds: readonly string[]): Promise<Map<string, string>> {
    const sql = this.textsSql;
    if (sql === undefined) throw new DbError('query-failed', 'StatementsReader.texts() before detect().');
    if (queryIds.length === 0) return new Map();
    const rows = await this.cost.timed(() => this.db.query<{ queryId: string; query: string | null }>(sql, [queryIds]));
    const out = new Map<string, string>();
    for (const row of rows) if (row.query !== null) out.set(row.queryId, row.query);
    return out;
  }
}
