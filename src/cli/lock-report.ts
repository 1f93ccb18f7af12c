/** The CLI's rendering of lock plans (predicted or measured): the JSON of the contract and a compact text table. */
import { shortModeName } from '../core/lock-modes.js';
import type { LockPlan, PlannedLock } from '../core/lock-plan.js';
import { serverJson } from '../core/present/cli-json.js';
import type { ServerProfile } from '../core/server-profile.js';

export interface StatementReport {
  sql: string;
  kind: string;
  plan: LockPlan;
  notes?: string[];
  error?: string | undefined;
  /** The plan on PostgreSQL 18 and with more max_locks_per_transaction (estimate only): JSON `upgrade`, text line. */
  upgrade?: { json: Record<string, unknown>; line: string | undefined } | undefined;
}

/** What a report says about the transaction as a whole, beyond its plan. */
export interface TransactionExtras {
  upgrade?: StatementReport['upgrade'];
}

function lockJson(lock: PlannedLock): Record<string, unknown> {
  return {
    relation: lock.relation,
    relkind: lock.relkind,
    mode: lock.mode,
    fastpath: lock.fastpath,
    phase: lock.phase,
    reason: lock.reason,
    cause: lock.cause,
    owner: lock.owner?.relation ?? null,
  };
}

export function planJson(plan: LockPlan): Record<string, unknown> {
  return { locks: plan.locks.map(lockJson), totals: plan.totals };
}

/** `estimate --json` / `measure --json` document (design.md, CLI contract). */
export function reportJson(
  profile: ServerProfile,
  statements: StatementReport[],
  transaction: LockPlan | undefined,
  extra: Record<string, unknown> = {},
  txExtras: TransactionExtras = {},
): string {
  const doc: Record<string, unknown> = {
    server: serverJson(profile),
    ...extra,
    statements: statements.map((s) => ({
      sql: s.sql,
      kind: s.kind,
      ...planJson(s.plan),
      ...(s.notes !== undefined && s.notes.length > 0 ? { notes: s.notes } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
      ...(s.upgrade !== undefined ? { upgrade: s.upgrade.json } : {}),
    })),
  };
  if (transaction !== undefined)
    doc['transaction'] = { ...planJson(transaction), ...(txExtras.upgrade !== undefined ? { upgrade: txExtras.upgrade.json } : {}) };
  return JSON.stringify(doc, null, 2);
}

export function summaryLine(plan: LockPlan): string {
  const t = plan.totals;
  return `${t.locks} lock${t.locks === 1 ? '' : 's'} on ${t.relations} relation${t.relations === 1 ? '' : 's'} · ${t.fastpath} fast-path · ${t.slowpath} slow-path (budget ${plan.profile.fastPathSlots} slots${plan.profile.fastPathGroups > 1 ? ` in ${plan.profile.fastPathGroups} groups` : ''})`;
}

interface TextRow {
  relation: string;
  mode: string;
  path: string;
  phase: string;
  reason: string;
}

const isIndex = (l: PlannedLock | undefined): boolean => l !== undefined && (l.relkind === 'index' || l.relkind === 'partitioned-index');

/** Two index locks fold into one row: same table, mode, phase and cause (and reason, unless the planner opened both). */
function foldable(a: PlannedLock, b: PlannedLock | undefined): boolean {
  return (
    b !== undefined &&
    isIndex(b) &&
    b.owner?.relationOid === a.owner?.relationOid &&
    b.mode === a.mode &&
    b.phase === a.phase &&
    b.cause === a.cause &&
    (a.cause === 'planner-index' || b.reason === a.reason)
  );
}

/**
 * One row per lock, except that consecutive index locks of the same table, mode and phase fold into one row
 * ("22 indexes of public.orders", "fast 10 · SLOW 12") unless `verbose`.
 */
function textRows(plan: LockPlan, verbose: boolean): TextRow[] {
  const rows: TextRow[] = [];
  for (let i = 0; i < plan.locks.length; i++) {
    const lock = plan.locks[i] as PlannedLock;
    const table = lock.owner?.relation;
    let j = i;
    if (!verbose && table !== undefined && isIndex(lock)) while (foldable(lock, plan.locks[j + 1])) j++;
    if (j > i) {
      const group = plan.locks.slice(i, j + 1);
      const fast = group.filter((l) => l.fastpath).length;
      const slow = group.length - fast;
      const path = slow === 0 ? 'fast' : fast === 0 ? 'SLOW' : `fast ${fast} · SLOW ${slow}`;
      const why = lock.cause === 'planner-index' ? 'the planner opens every index, whatever plan it picks' : lock.reason;
      rows.push({ relation: `${group.length} indexes of ${table ?? ''}`, mode: lock.mode, path, phase: lock.phase, reason: why });
      i = j;
      continue;
    }
    rows.push({ relation: lock.relation, mode: lock.mode, path: lock.fastpath ? 'fast' : 'SLOW', phase: lock.phase, reason: lock.reason });
  }
  return rows;
}

export function planText(plan: LockPlan, verbose = false): string {
  const rows = textRows(plan, verbose);
  const width = Math.max(8, ...rows.map((r) => r.relation.length));
  const pathWidth = Math.max(4, ...rows.map((r) => r.path.length));
  const lines = rows.map(
    (r) =>
      `  ${r.relation.padEnd(width)}  ${shortModeName(r.mode).padEnd(20)}  ${r.path.padEnd(pathWidth)}  ${r.phase.padEnd(7)}  ${r.reason}`,
  );
  return [summaryLine(plan), ...lines].join('\n');
}

export function reportText(
  profile: ServerProfile,
  statements: StatementReport[],
  transaction: LockPlan | undefined,
  title: string,
  verbose = false,
  /** What the fast-path flags were computed for (estimate's target); default: the profile as read. */
  budget = `PostgreSQL ${profile.version} (${profile.source}), ${profile.fastPathSlots} fast-path slots per backend`,
  txExtras: TransactionExtras = {},
): string {
  const parts = [`${title} — ${budget}`];
  statements.forEach((s, i) => {
    parts.push('', `[${i + 1}] ${s.sql.replace(/\s+/g, ' ').trim()}`);
    if (s.error !== undefined) parts.push(`  error: ${s.error}`);
    else if (s.kind !== 'transaction' || s.plan.locks.length > 0) parts.push(planText(s.plan, verbose));
    for (const note of s.notes ?? []) parts.push(`  note: ${note}`);
    if (s.upgrade?.line !== undefined) parts.push(s.upgrade.line);
  });
  if (transaction !== undefined) {
    parts.push('', 'transaction total:', planText(transaction, verbose));
    if (txExtras.upgrade?.line !== undefined) parts.push(txExtras.upgrade.line);
  }
  return parts.join('\n');
}
