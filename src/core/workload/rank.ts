/**
 * The workload ranking: each statement pg_stat_statements saw, its predicted locks per call (custom and generic plan)
 * times its calls per second, ranked by slow-path (then all) relation-lock acquisitions per second on the server.
 */
import type { Catalog } from '../catalog.js';
import { groupByOwner, type LockPlan } from '../lock-plan.js';
import { predictStatements } from '../predict/index.js';
import { fingerprintSql, parseSql } from '../sql/index.js';
import type { StatementRate } from './statement-stats.js';

/** A place in code that issues the statement (matched by query fingerprint). */
export interface CodeSite {
  file: string;
  /** 0-based, as editors count. */
  line: number;
  character: number;
  /** How the code issues it: sql-file, sql-string, psycopg, activerecord… */
  origin: string;
}

/** A relation the statement locks, with what it drags in (its indexes, partitions, view bases). */
export interface ResponsibleRelation {
  relation: string;
  relationOid: number;
  /** Lock rows per call for this relation and everything it owns in the plan. */
  locks: number;
  slowPath: number;
  /** Indexes among them (`schema.name`), in lock order. */
  indexes: string[];
  /** Partitions among them. */
  partitions: string[];
}

export interface PlanFigures {
  locksPerCall: number;
  slowPathPerCall: number;
}

export interface RankedStatement extends PlanFigures {
  queryId: string;
  query: string;
  kind: string;
  callsPerSecond: number;
  calls: number;
  meanExecMs: number;
  locksPerSecond: number;
  slowPathPerSecond: number;
  /** Which plan the per-call figures assume: custom, generic, or a mix weighted by the server's own plan counts. */
  plan: 'custom' | 'generic' | 'mixed';
  /** Per-call figures of each plan, when they differ (partition pruning that depends on a $n value). */
  custom: PlanFigures;
  generic: PlanFigures;
  relations: ResponsibleRelation[];
  notes: string[];
  sites: CodeSite[];
  /** The custom plan's locks, for presenters that list them. */
  lockPlan: LockPlan;
}

export interface UnpredictableStatement {
  queryId: string;
  query: string | undefined;
  callsPerSecond: number;
  reason: string;
}

export type RankKey = 'slowpath' | 'locks';

export interface WorkloadRanking {
  statements: RankedStatement[];
  unpredictable: UnpredictableStatement[];
  /** Sums over the predicted statements, per second. */
  totals: { callsPerSecond: number; locksPerSecond: number; slowPathPerSecond: number };
}

const figures = (plan: LockPlan): PlanFigures => ({ locksPerCall: plan.totals.locks, slowPathPerCall: plan.totals.slowpath });

function responsible(plan: LockPlan): ResponsibleRelation[] {
  return groupByOwner(plan.locks).map(({ owner, locks }) => ({
    relation: owner.relation,
    relationOid: owner.relationOid,
    locks: locks.length,
    slowPath: locks.filter((l) => !l.fastpath).length,
    indexes: [...new Set(locks.filter((l) => l.relkind === 'index' || l.relkind === 'partitioned-index').map((l) => l.relation))],
    partitions: [...new Set(locks.filter((l) => l.cause === 'partition').map((l) => l.relation))],
  }));
}

function rankOne(
  rate: StatementRate,
  query: string,
  catalog: Catalog,
  sites: ReadonlyMap<string, CodeSite[]>,
): RankedStatement | UnpredictableStatement {
  const unpredictable = (reason: string): UnpredictableStatement => ({
    queryId: rate.queryId,
    query,
    callsPerSecond: rate.callsPerSecond,
    reason,
  });
  const parsed = parseSql(query);
  if (!parsed.ok) return unpredictable(`does not parse: ${parsed.error.message}`);
  if (parsed.statements.length === 0) return unpredictable('no statement in the text');
  const custom = predictStatements(parsed.statements, catalog, { txn: true });
  const generic = predictStatements(parsed.statements, catalog, { txn: true, generic: true });
  const error = custom.statements.find((s) => s.error !== undefined)?.error;
  if (error !== undefined) return unpredictable(error);
  const customPlan = custom.transaction;
  const genericPlan = generic.transaction;
  if (customPlan === undefined || genericPlan === undefined) return unpredictable('no lock plan');
  const c = figures(customPlan);
  const g = figures(genericPlan);
  // Without the server's plan counts (before PostgreSQL 18) the custom plan is assumed: simple-protocol clients and
  // the first five executions of a prepared statement plan for their values.
  const share = rate.genericPlanShare ?? 0;
  const mix = (a: number, b: number): number => a * (1 - share) + b * share;
  const locksPerCall = mix(c.locksPerCall, g.locksPerCall);
  const slowPathPerCall = mix(c.slowPathPerCall, g.slowPathPerCall);
  const fp = fingerprintSql(query);
  return {
    queryId: rate.queryId,
    query,
    kind: parsed.statements.map((s) => s.kind).join('; '),
    callsPerSecond: rate.callsPerSecond,
    calls: rate.calls,
    meanExecMs: rate.meanExecMs,
    locksPerCall,
    slowPathPerCall,
    locksPerSecond: locksPerCall * rate.callsPerSecond,
    slowPathPerSecond: slowPathPerCall * rate.callsPerSecond,
    plan: share === 0 ? 'custom' : share === 1 ? 'generic' : 'mixed',
    custom: c,
    generic: g,
    relations: responsible(share === 1 ? genericPlan : customPlan),
    notes: [...new Set(custom.statements.flatMap((s) => s.notes))],
    sites: fp === undefined ? [] : (sites.get(fp) ?? []),
    lockPlan: share === 1 ? genericPlan : customPlan,
  };
}

/** Ranks the statements; `sites` maps a query fingerprint (fingerprintSql) to the code that issues it. */
export function rankWorkload(
  rates: readonly StatementRate[],
  catalog: Catalog,
  sites: ReadonlyMap<string, CodeSite[]>,
  key: RankKey = 'slowpath',
): WorkloadRanking {
  const statements: RankedStatement[] = [];
  const unpredictable: UnpredictableStatement[] = [];
  for (const rate of rates) {
    const query = rate.query;
    if (query === undefined || query === '<insufficient privilege>') {
      unpredictable.push({
        queryId: rate.queryId,
        query,
        callsPerSecond: rate.callsPerSecond,
        reason:
          query === undefined
            ? 'pg_stat_statements has no text for it (evicted, or its text file was reset)'
            : "its text is hidden from this role: grant pg_read_all_stats, or connect as the statement's user",
      });
      continue;
    }
    const outcome = rankOne(rate, query, catalog, sites);
    if ('reason' in outcome) unpredictable.push(outcome);
    else statements.push(outcome);
  }
  const primary = (s: RankedStatement): number => (key === 'slowpath' ? s.slowPathPerSecond : s.locksPerSecond);
  statements.sort((a, b) => primary(b) - primary(a) || b.locksPerSecond - a.locksPerSecond || b.callsPerSecond - a.callsPerSecond);
  unpredictable.sort((a, b) => b.callsPerSecond - a.callsPerSecond);
  const sum = (f: (s: RankedStatement) => number): number => statements.reduce((n, s) => n + f(s), 0);
  return {
    statements,
    unpredictable,
    totals: {
      callsPerSecond: sum((s) => s.callsPerSecond),
      locksPerSecond: sum((s) => s.locksPerSecond),
      slowPathPerSecond: sum((s) => s.slowPathPerSecond),
    },
  };
}
