/** The probe runner's data shapes (EXPLAIN trees, lock comparisons, load runs): shared by db, protocol and webview. */
import type { WaitCategory } from '../activity/model.js';
import type { EnvironmentTag } from '../config/connection-profiles.js';
import type { LockTotals } from '../lock-plan.js';

export type { EnvironmentTag };

/** One `$n` parameter: a fixed value ("42", "alice") or a generator ("int:1..1000", "pick:a,b,c"). */
export interface ProbeParam {
  /** "$1", "$2", … */
  name: string;
  spec: string;
}

export interface ProbeConnectionInfo {
  /** Printable target (no password) or the profile's name. */
  label: string;
  environment: EnvironmentTag;
  serverVersion: string;
  serverVersionNum: number;
  /** Fast-path slots per backend on this server: the budget the Locks tab compares against. */
  fastPathSlots: number;
}

/** How the Load tab runs the query: alone, inside its transaction scope's other statements, or each statement alone. */
export type LoadMode = 'as-is' | 'transaction-with-scope' | 'split';

export interface ProbeOpenState {
  sql: string;
  params: ProbeParam[];
  /** The other statements of the query's transaction scope (in order, the query included), when the caller knows them. */
  scope: string[];
  connection: ProbeConnectionInfo;
}

export interface ExplainOptions {
  analyze: boolean;
  buffers: boolean;
  verbose: boolean;
  settings: boolean;
  /** PostgreSQL 16+: plan with $n unbound (cannot be combined with ANALYZE). */
  genericPlan: boolean;
}

/** One node of the plan tree, flattened from EXPLAIN (FORMAT JSON) so the page need not know its key names. */
export interface PlanTreeNode {
  id: number;
  nodeType: string;
  /** "on app.orders o", "using orders_pkey", join type… */
  detail: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  /** With ANALYZE: rows per loop × loops, and total time including children (ms, all loops). */
  actualRows: number | undefined;
  loops: number | undefined;
  actualTotalMs: number | undefined;
  /** Time spent in this node alone (total minus children), the figure "slowest node" is decided on. */
  exclusiveMs: number | undefined;
  /** max(est/actual, actual/est) with both floored at 1; undefined without ANALYZE. */
  misestimate: number | undefined;
  sharedHit: number | undefined;
  sharedRead: number | undefined;
  children: PlanTreeNode[];
}

export interface ExplainedStatement {
  sql: string;
  tree: PlanTreeNode;
  /** EXPLAIN's own outputs, for the raw views. */
  text: string;
  json: string;
  planningMs: number | undefined;
  executionMs: number | undefined;
  /** Node ids to highlight; undefined without ANALYZE or when the plan has one node. */
  slowestNodeId: number | undefined;
  misestimatedNodeId: number | undefined;
  /** Settings that differ from the defaults (EXPLAIN SETTINGS). */
  settings: Record<string, string>;
}

export interface ExplainResult {
  options: ExplainOptions;
  statements: ExplainedStatement[];
  /** Every run ends in ROLLBACK; repeated here so the page can say so. */
  rolledBack: true;
}

export type LockRowStatus = 'match' | 'fastpath-differs' | 'only-measured' | 'only-predicted' | 'execute-phase';

export interface LockRow {
  relation: string;
  relkind: string;
  mode: string;
  /** undefined: not in that set. */
  measuredFastpath: boolean | undefined;
  predictedFastpath: boolean | undefined;
  phase: 'plan' | 'execute';
  reason: string;
  /** The table an index, TOAST relation, partition or view base belongs to (PlannedLock.owner). */
  owner: string | undefined;
  status: LockRowStatus;
}

export interface LocksResult {
  /** EXPLAIN (plan-phase locks) or the statements themselves (rolled back). */
  executed: boolean;
  rows: LockRow[];
  measured: LockTotals;
  predicted: LockTotals;
  fastPathSlots: number;
  maxLocksPerTransaction: number;
  /** Non-relation locks the transaction held (virtualxid, transactionid, tuple…). */
  otherLocks: number;
  notes: string[];
}

export type WaitsByType = Record<WaitCategory, number>;

export interface LoadOptions {
  clients: number;
  durationSeconds: number;
  warmupSeconds: number;
  thinkTimeMs: number;
  mode: LoadMode;
  /** simple: one Query message per iteration; prepared: parsed once per session (generic plans after 5 runs). */
  protocol?: 'simple' | 'prepared';
}

/** One second of a running probe. Waits are average active probe sessions per category during that second. */
export interface LoadProgress {
  runId: number;
  second: number;
  tps: number;
  transactions: number;
  errors: number;
  /** p50 / p95 / p99 of the iterations completed in this second (undefined when none completed). */
  latencyMs: { p50: number; p95: number; p99: number } | undefined;
  waits: WaitsByType;
}

export interface LoadRunResult {
  runId: number;
  label: string;
  options: LoadOptions;
  statements: string[];
  transactions: number;
  tps: number;
  durationSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  throughput: number[];
  /** Per second, average active probe sessions by wait category (the engine's 100 ms samples). */
  waitTimeline: WaitsByType[];
  /** Session-samples by category over the whole run, and how many samples were taken. */
  waits: WaitsByType;
  waitSamples: number;
  errors: Record<string, number>;
  cancelled: boolean;
}

export type ProbeOperation = 'explain' | 'locks' | 'load' | 'export' | 'params';
