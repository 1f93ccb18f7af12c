/** slow-path-locks: a statement or transaction needs more relation locks than the backend's fast-path slots. */
import { isWeakMode } from '../lock-modes.js';
import { topOwners, type LockPlan, type PlannedLock } from '../lock-plan.js';
import { defineRule, docsPath } from './types.js';
import { isMigrationFile, plural } from './site-facts.js';
import { createdEarlierInFile } from './new-tables.js';
import type { Analysis, AnalyzedSite } from '../analyze/analyze.js';

const ID = 'slow-path-locks';

/**
 * Weak locks that wanted a fast-path slot and did not get one. Strong DDL locks always use
 * the main table by design; they are not what fills the LockManager partitions under load.
 */
export function spilled(plan: LockPlan): PlannedLock[] {
  return plan.locks.filter((l) => !l.fastpath && isWeakMode(l.mode));
}

function why(plan: LockPlan): string {
  const tops = topOwners(plan.locks);
  const byTable = new Map<string, number>();
  for (const l of spilled(plan)) {
    const table = tops.get(l)?.relation ?? l.relation;
    byTable.set(table, (byTable.get(table) ?? 0) + 1);
  }
  return [...byTable]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([t, n]) => `${n} on ${t}`)
    .join(', ');
}

/** DDL only on tables the same file created above (a migration linking its new tables): nothing queries them yet. */
function onNewTablesOnly(analysis: Analysis, a: AnalyzedSite): boolean {
  return (
    a.statements.length > 0 &&
    a.statements.every(
      (s) =>
        s.kind === 'ddl' &&
        createdEarlierInFile(
          analysis,
          a,
          s,
          s.relations.map((r) => r.name),
        ),
    )
  );
}

export const slowPathLocks = defineRule({
  meta: {
    id: ID,
    description: 'A statement or transaction takes more relation locks than fit in the fast-path slots.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  messages: {
    statement:
      '{{locks}} on {{relations}}: {{spilled}} do not fit the fast path and go to the shared lock table ({{slots}} fast-path slots per backend on PostgreSQL {{version}}); slow-path locks: {{why}}.',
    transaction: 'This transaction ({{scope}}, {{queries}}) holds {{locks}} on {{relations}}: {{spilled}} slow-path; {{why}}.',
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      const plan = a.plan;
      if (plan === undefined || spilled(plan).length === 0 || a.via !== undefined || isMigrationFile(a.site.file)) continue;
      if (onNewTablesOnly(analysis, a)) continue;
      report({
        file: a.site.file,
        range: a.site.range,
        messageId: 'statement',
        data: {
          locks: plural(plan.totals.locks, 'lock'),
          relations: plural(plan.totals.relations, 'relation'),
          spilled: spilled(plan).length,
          slots: plan.profile.fastPathSlots,
          version: plan.profile.version,
          why: why(plan),
        },
        help: 'Fewer indexes on hot tables, fewer tables per statement or transaction, partition pruning by a constant key, or shorter transactions keep locks on the fast path.',
      });
    }
    for (const txn of analysis.transactions) {
      const plan = txn.plan;
      if (plan === undefined || spilled(plan).length === 0 || txn.sites.length < 2 || isMigrationFile(txn.file)) continue;
      if (txn.sites.every((a) => onNewTablesOnly(analysis, a))) continue;
      report({
        file: txn.file,
        range: txn.scope.range,
        messageId: 'transaction',
        data: {
          scope: txn.scope.kind,
          queries: plural(txn.sites.length, 'query', 'queries'),
          locks: plural(plan.totals.locks, 'lock'),
          relations: plural(plan.totals.relations, 'relation'),
          spilled: spilled(plan).length,
          why: why(plan),
        },
        help: 'Slots are per transaction: split the transaction, or touch fewer tables and indexes in it.',
        related: txn.sites.slice(0, 10).map((s) => ({
          file: s.site.file,
          range: s.site.range,
          message: `${s.plan?.totals.relations ?? '?'} relations: ${s.site.label}`,
        })),
      });
    }
  },
});
