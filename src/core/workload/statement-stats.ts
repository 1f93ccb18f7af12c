/** pg_stat_statements samples and the per-statement rates between two of them (calls/s, mean time). */

/** One pg_stat_statements row of the current database, as read by a sample. */
export interface StatementCounters {
  /** pg_stat_statements.queryid, as text (a bigint). */
  queryId: string;
  calls: number;
  /** Milliseconds spent executing, summed over calls (total_exec_time; total_time before PostgreSQL 13). */
  totalExecMs: number;
  rows: number;
  /** PostgreSQL 18+: how many executions used a generic or a custom plan (undefined before 18). */
  genericPlanCalls: number | undefined;
  customPlanCalls: number | undefined;
}

export interface StatementSample {
  /** Server clock when the sample was read (clock_timestamp()), ISO 8601. */
  takenAt: string;
  /** Counters by queryId. */
  counters: Map<string, StatementCounters>;
}

/** One statement's activity between two samples. */
export interface StatementRate {
  queryId: string;
  /** Normalised text as pg_stat_statements keeps it ($1, $2… for constants); undefined when hidden or missing. */
  query: string | undefined;
  /** Calls between the samples. */
  calls: number;
  callsPerSecond: number;
  /** Mean execution time per call in the interval, milliseconds. */
  meanExecMs: number;
  /** Share of executions that used a generic plan (PostgreSQL 18+), undefined when the server does not say. */
  genericPlanShare: number | undefined;
  /** True when the statement was not in the first sample (new, or evicted and re-entered): counted from zero. */
  enteredDuringInterval: boolean;
}

/** Seconds between two samples by the server's clock. */
export function secondsBetween(first: StatementSample, second: StatementSample): number {
  return (Date.parse(second.takenAt) - Date.parse(first.takenAt)) / 1000;
}

/**
 * Rates of every statement called between the samples. A statement missing from the first sample, or whose
 * counters went down (evicted and re-entered, or stats reset), is counted from zero and marked.
 */
export function ratesBetween(first: StatementSample, second: StatementSample, queryTexts: ReadonlyMap<string, string>): StatementRate[] {
  const seconds = secondsBetween(first, second);
  if (!(seconds > 0)) return [];
  const out: StatementRate[] = [];
  for (const [queryId, now] of second.counters) {
    const before = first.counters.get(queryId);
    const restarted = before === undefined || now.calls < before.calls;
    const base = restarted ? undefined : before;
    const calls = now.calls - (base?.calls ?? 0);
    if (calls <= 0) continue;
    const generic = (now.genericPlanCalls ?? 0) - (base?.genericPlanCalls ?? 0);
    const custom = (now.customPlanCalls ?? 0) - (base?.customPlanCalls ?? 0);
    out.push({
      queryId,
      query: queryTexts.get(queryId),
      calls,
      callsPerSecond: calls / seconds,
      meanExecMs: (now.totalExecMs - (base?.totalExecMs ?? 0)) / calls,
      genericPlanShare: now.genericPlanCalls === undefined || generic + custom <= 0 ? undefined : generic / (generic + custom),
      enteredDuringInterval: restarted,
    });
  }
  return out;
}
