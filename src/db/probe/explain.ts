/**
 * EXPLAIN for the probe runner: the statements run under EXPLAIN (JSON, then TEXT) inside transactions that are always
 * rolled back, with statement and lock timeouts; the JSON plan becomes a tree with per-node exclusive time and
 * estimate error, and the slowest and most misestimated nodes are picked out.
 */
import type { ExplainedStatement, ExplainOptions, PlanTreeNode } from '../../core/probe/runner-types.js';
import { guardBeforeSend } from '../guard-before-send.js';
import { inRolledBackTransaction, sendUserStatement } from '../measure.js';
import type { SqlSession } from '../session.js';

/** First server_version_num with EXPLAIN (GENERIC_PLAN). */
export const GENERIC_PLAN_VERSION = 160000;

export interface ExplainInput {
  /** The statement with parameters rendered as literals (or left as $n for GENERIC_PLAN). */
  sql: string;
  /** True when it may write (ANALYZE executes it, so the transaction must be READ WRITE; it is still rolled back). */
  writes: boolean;
}

export interface ExplainTimeouts {
  statementTimeoutMs: number;
  lockTimeoutMs: number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (o: JsonObject, key: string): number | undefined => (typeof o[key] === 'number' ? (o[key] as number) : undefined);
const str = (o: JsonObject, key: string): string | undefined => (typeof o[key] === 'string' ? (o[key] as string) : undefined);

/** The option list, GENERIC_PLAN only where the server has it and never with ANALYZE (the server would refuse). */
export function explainOptionList(options: ExplainOptions, versionNum: number, format: 'JSON' | 'TEXT'): string {
  const generic = options.genericPlan && versionNum >= GENERIC_PLAN_VERSION;
  const analyze = options.analyze && !generic;
  const parts = [`ANALYZE ${analyze}`, `BUFFERS ${options.buffers}`, `VERBOSE ${options.verbose}`, `SETTINGS ${options.settings}`];
  if (generic) parts.push('GENERIC_PLAN');
  parts.push(`FORMAT ${format}`);
  return parts.join(', ');
}

function detailOf(plan: JsonObject): string {
  const parts: string[] = [];
  const relation = str(plan, 'Relation Name');
  if (relation !== undefined) {
    const schema = str(plan, 'Schema');
    const alias = str(plan, 'Alias');
    parts.push(`on ${schema !== undefined ? `${schema}.` : ''}${relation}${alias !== undefined && alias !== relation ? ` ${alias}` : ''}`);
  }
  const index = str(plan, 'Index Name');
  if (index !== undefined) parts.push(`using ${index}`);
  const join = str(plan, 'Join Type');
  if (join !== undefined) parts.push(`${join} join`);
  const cte = str(plan, 'CTE Name');
  if (cte !== undefined) parts.push(`CTE ${cte}`);
  const op = str(plan, 'Operation');
  if (op !== undefined) parts.push(op);
  return parts.join(' ');
}

/** Builds the tree; `next` numbers nodes in reading order so ids are stable across renders. */
export function planTree(plan: JsonObject, next: { id: number } = { id: 0 }): PlanTreeNode {
  const id = next.id++;
  const children = (Array.isArray(plan['Plans']) ? plan['Plans'] : []).filter(isObject).map((child) => planTree(child, next));
  const loops = num(plan, 'Actual Loops');
  const perLoopMs = num(plan, 'Actual Total Time');
  const actualTotalMs = perLoopMs !== undefined ? perLoopMs * (loops ?? 1) : undefined;
  const childMs = children.reduce((sum, c) => sum + (c.actualTotalMs ?? 0), 0);
  const planRows = num(plan, 'Plan Rows') ?? 0;
  const actualPerLoop = num(plan, 'Actual Rows');
  // Estimates are per loop, like Actual Rows; compare the two as the planner sees them.
  const misestimate =
    actualPerLoop === undefined || loops === 0
      ? undefined
      : Math.max(Math.max(1, actualPerLoop) / Math.max(1, planRows), Math.max(1, planRows) / Math.max(1, actualPerLoop));
  return {
    id,
    nodeType: str(plan, 'Node Type') ?? '?',
    detail: detailOf(plan),
    startupCost: num(plan, 'Startup Cost') ?? 0,
    totalCost: num(plan, 'Total Cost') ?? 0,
    planRows,
    actualRows: actualPerLoop !== undefined ? actualPerLoop * (loops ?? 1) : undefined,
    loops,
    actualTotalMs,
    exclusiveMs: actualTotalMs !== undefined ? Math.max(0, actualTotalMs - childMs) : undefined,
    misestimate,
    sharedHit: num(plan, 'Shared Hit Blocks'),
    sharedRead: num(plan, 'Shared Read Blocks'),
    children,
  };
}

function flatten(node: PlanTreeNode, out: PlanTreeNode[] = []): PlanTreeNode[] {
  out.push(node);
  for (const c of node.children) flatten(c, out);
  return out;
}

/** The node to highlight by `score`, only when there is something to compare (two nodes or more, a score above `floor`). */
function pick(nodes: PlanTreeNode[], score: (n: PlanTreeNode) => number | undefined, floor: number): number | undefined {
  let best: PlanTreeNode | undefined;
  for (const n of nodes) {
    const s = score(n);
    if (s !== undefined && s > floor && (best === undefined || s > (score(best) ?? 0))) best = n;
  }
  return nodes.length > 1 ? best?.id : undefined;
}

/** One EXPLAIN (FORMAT JSON) output → the view's statement, with `text` from the TEXT run. */
export function explainedStatement(sql: string, output: Json, text: string): ExplainedStatement {
  const top = Array.isArray(output) ? output[0] : output;
  if (!isObject(top) || !isObject(top['Plan'])) throw new Error('EXPLAIN returned no plan');
  const tree = planTree(top['Plan']);
  const nodes = flatten(tree);
  const settings: Record<string, string> = {};
  const rawSettings = top['Settings'];
  if (isObject(rawSettings)) for (const [k, v] of Object.entries(rawSettings)) settings[k] = String(v);
  return {
    sql,
    tree,
    text,
    json: JSON.stringify(output, null, 2),
    planningMs: num(top, 'Planning Time'),
    executionMs: num(top, 'Execution Time'),
    slowestNodeId: pick(nodes, (n) => n.exclusiveMs, 0),
    misestimatedNodeId: pick(nodes, (n) => n.misestimate, 1),
    settings,
  };
}

/**
 * Runs EXPLAIN on each statement, all in one transaction per format (later statements see what earlier ones did),
 * each transaction rolled back whatever happens. ANALYZE therefore executes the statements twice.
 */
export async function explainStatements(
  session: SqlSession,
  inputs: readonly ExplainInput[],
  options: ExplainOptions,
  versionNum: number,
  timeouts: ExplainTimeouts,
): Promise<ExplainedStatement[]> {
  // ANALYZE executes the statements: they pass the guard as executed ones. Nothing is sent if one is refused.
  await guardBeforeSend(
    inputs.map((i) => i.sql),
    { purpose: options.analyze ? 'execute' : 'explain', disposable: false },
  );
  const begin = options.analyze && inputs.some((i) => i.writes) ? 'BEGIN READ WRITE' : 'BEGIN';
  const run = async (format: 'JSON' | 'TEXT'): Promise<Array<Array<Record<string, Json>>>> =>
    inRolledBackTransaction(session, begin, async () => {
      // SET LOCAL: the limits hold for this transaction even if the session's defaults were changed.
      await session.query(`SET LOCAL statement_timeout = ${Math.floor(timeouts.statementTimeoutMs)}`);
      await session.query(`SET LOCAL lock_timeout = ${Math.floor(timeouts.lockTimeoutMs)}`);
      const out: Array<Array<Record<string, Json>>> = [];
      for (const input of inputs)
        out.push(
          await sendUserStatement<Record<string, Json>>(
            session,
            `EXPLAIN (${explainOptionList(options, versionNum, format)}) ${input.sql}`,
          ),
        );
      return out;
    });
  const json = await run('JSON');
  const text = await run('TEXT');
  return inputs.map((input, i) => {
    const plan = json[i]?.[0]?.['QUERY PLAN'] ?? null;
    const lines = (text[i] ?? []).map((row) => String(row['QUERY PLAN'] ?? ''));
    return explainedStatement(input.sql, plan, lines.join('\n'));
  });
}
