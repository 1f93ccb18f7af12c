/** The CLI's rendering of lock plans (predicted or measured): the JSON of the contract and a compact text table. */
import type { LockPlan, PlannedLock } from '../core/lock-plan.js';
import type { ServerProfile } from '../core/server-profile.js';

export interface StatementReport {
  sql: string;
  kind: string;
  plan: LockPlan;
  notes?: string[];
  error?: string | undefined;
}

export function serverJsonOf(profile: ServerProfile): Record<string, unknown> {
  return {
    version: profile.version,
    versionNum: profile.versionNum,
    fastPathSlots: profile.fastPathSlots,
    fastPathGroups: profile.fastPathGroups,
    maxLocksPerTransaction: profile.maxLocksPerTransaction,
    source: profile.source,
  };
}

function lockJson(lock: PlannedLock): Record<string, unknown> {
  return { relation: lock.relation, relkind: lock.relkind, mode: lock.mode, fastpath: lock.fastpath, phase: lock.phase, reason: lock.reason };
}

export function planJson(plan: LockPlan): Record<string, unknown> {
  return { locks: plan.locks.map(lockJson), totals: plan.totals };
}

/** `estimate --json` / `measure --json` document (design.md, CLI contract). */
export function reportJson(profile: ServerProfile, statements: StatementReport[], transaction: LockPlan | undefined, extra: Record<string, unknown> = {}): string {
  const doc: Record<string, unknown> = {
    server: serverJsonOf(profile),
    ...extra,
    statements: statements.map((s) => ({
      sql: s.sql,
      kind: s.kind,
      ...planJson(s.plan),
      ...(s.notes !== undefined && s.notes.length > 0 ? { notes: s.notes } : {}),
      ...(s.error !== undefined ? { error: s.error } : {}),
    })),
  };
  if (transaction !== undefined) doc['transaction'] = planJson(transaction);
  return JSON.stringify(doc, null, 2);
}

const MODE_ABBREVIATIONS: Record<string, string> = {
  AccessShareLock: 'AccessShare',
  RowShareLock: 'RowShare',
  RowExclusiveLock: 'RowExclusive',
  ShareUpdateExclusiveLock: 'ShareUpdateExclusive',
  ShareLock: 'Share',
  ShareRowExclusiveLock: 'ShareRowExclusive',
  ExclusiveLock: 'Exclusive',
  AccessExclusiveLock: 'AccessExclusive',
};

export function summaryLine(plan: LockPlan): string {
  const t = plan.totals;
  return `${t.locks} lock${t.locks === 1 ? '' : 's'} on ${t.relations} relation${t.relations === 1 ? '' : 's'} · ${t.fastpath} fast-path · ${t.slowpath} slow-path (budget ${plan.profile.fastPathSlots} slots${plan.profile.fastPathGroups > 1 ? ` in ${plan.profile.fastPathGroups} groups` : ''})`;
}

export function planText(plan: LockPlan): string {
  const width = Math.max(8, ...plan.locks.map((l) => l.relation.length));
  const rows = plan.locks.map((l) => {
    const path = l.fastpath ? 'fast' : 'SLOW';
    return `  ${l.relation.padEnd(width)}  ${(MODE_ABBREVIATIONS[l.mode] ?? l.mode).padEnd(20)}  ${path}  ${l.phase.padEnd(7)}  ${l.reason}`;
  });
  return [summaryLine(plan), ...rows].join('\n');
}

export function reportText(profile: ServerProfile, statements: StatementReport[], transaction: LockPlan | undefined, title: string): string {
  const parts = [`${title} — PostgreSQL ${profile.version} (${profile.source}), ${profile.fastPathSlots} fast-path slots per backend`];
  statements.forEach((s, i) => {
    parts.push('', `[${i + 1}] ${s.sql.replace(/\s+/g, ' ').trim()}`);
    if (s.error !== undefined) parts.push(`  error: ${s.error}`);
    else parts.push(planText(s.plan));
    for (const note of s.notes ?? []) parts.push(`  note: ${note}`);
  });
  if (transaction !== undefined) parts.push('', 'transaction total:', planText(transaction));
  return parts.join('\n');
}
