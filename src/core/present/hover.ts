/** Hover text for a query site: kind, totals against the slot budget, locks grouped by relation, transaction total. */
import type { PortableSite, PortableTransaction } from '../analyze/portable.js';
import { shortModeName } from '../lock-modes.js';
import { groupByOwner, type LockPlan, type PlannedLock } from '../lock-plan.js';

/** Groups a plan's locks under the table they belong to (its indexes, partitions, view bases). */
export function groupByTable(plan: LockPlan): Array<{ table: string; locks: PlannedLock[] }> {
  return groupByOwner(plan.locks).map((g) => ({ table: g.owner.relation, locks: g.locks }));
}

export function summary(plan: LockPlan): string {
  const t = plan.totals;
  return `${t.locks} lock${t.locks === 1 ? '' : 's'} · ${t.slowpath} slow-path`;
}

export interface HoverInput {
  /** An analysed site, or its portable copy from the analysis worker (the hover reads no parse tree). */
  site: PortableSite;
  transaction: PortableTransaction | undefined;
  /** "predicted from the catalog of …" or "embedded PostgreSQL 18 with schema.sql". */
  source: string;
  /** The target's budget in words ("target PostgreSQL 17, max_locks_per_transaction 64 …"), when one is set. */
  target?: string | undefined;
  /** The plan on PostgreSQL 18 and with more max_locks_per_transaction there (the upgrade question). */
  upgrade?: string | undefined;
  /** The rule findings on this site, each with a link to its docs page. */
  findings?: Array<{ ruleId: string; severity: string; message: string; docsLink: string }>;
}

/** Why the table itself is locked ("FROM item", "UPDATE target"), from its own lock or the first of its group. */
function groupReason(table: string, locks: readonly PlannedLock[]): string {
  return (locks.find((l) => l.relation === table) ?? locks[0])?.reason ?? '';
}

/** The site's findings, each linked to its rule's docs page. */
function findingLines(input: HoverInput): string[] {
  return (input.findings ?? []).flatMap((f) => ['', `**${f.severity}** [${f.ruleId}](${f.docsLink}): ${f.message}`]);
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function hoverMarkdown(input: HoverInput): string {
  const { site, transaction, source } = input;
  const lines: string[] = [];
  const kind = site.statements.map((s) => s.command).join(', ') || 'query';
  lines.push(`**Lockscope** · ${kind} · ${site.site.origin}${site.site.synthesized ? ' (synthesized from the ORM call)' : ''}`);
  // A call of a helper that queries: the locks are the helper's, taken here (in this loop, in this transaction).
  if (site.via !== undefined) lines.push('', `through \`${site.via.callee}()\`: ${cell(site.site.label)}`);
  if (site.error !== undefined) return [...lines, '', `⚠ ${site.error}`].join('\n');
  const plan = site.plan;
  // No catalog: say why (the source does: untrusted workspace, unreachable database…) and how to get counts.
  if (plan === undefined)
    return [
      ...lines,
      ...findingLines(input),
      '',
      `_No lock counts: ${source}. Connect a database (Lockscope: Connect to Database…) or set \`lockscope.schemaFile\`._`,
    ].join('\n');
  const p = plan.profile;
  lines.push(
    '',
    `**${summary(plan)}** on ${plan.totals.relations} relation${plan.totals.relations === 1 ? '' : 's'} — budget ${p.fastPathSlots} fast-path slots per backend (PostgreSQL ${p.version}${p.fastPathGroups > 1 ? `, ${p.fastPathGroups} groups of 16` : ''})`,
  );
  lines.push('', '| relation | locks | modes | fast / slow | why |', '| --- | --- | --- | --- | --- |');
  for (const group of groupByTable(plan).slice(0, 12)) {
    const fast = group.locks.filter((l) => l.fastpath).length;
    const modes = [...new Set(group.locks.map((l) => shortModeName(l.mode)))].join(', ');
    const extra = group.locks.length > 1 ? ` + ${group.locks.length - 1} (indexes, partitions)` : '';
    lines.push(
      `| \`${group.table}\`${extra} | ${group.locks.length} | ${modes} | ${fast} / ${group.locks.length - fast} | ${cell(groupReason(group.table, group.locks))} |`,
    );
  }
  const notes = site.notes.slice(0, 3);
  if (notes.length > 0) lines.push('', ...notes.map((n) => `_${n}_`));
  if (transaction?.plan !== undefined && transaction.sites.length > 1) {
    lines.push(
      '',
      `Transaction (${transaction.scope.kind}, ${transaction.sites.length} queries): **${summary(transaction.plan)}** on ${transaction.plan.totals.relations} relations`,
    );
  }
  if (input.upgrade !== undefined) lines.push('', `Upgrade: ${input.upgrade}`);
  lines.push(...findingLines(input));
  lines.push('', `_${source}${input.target !== undefined ? ` · ${input.target}` : ''}_`);
  return lines.join('\n');
}
