/** What the side bar lists from a workspace analysis: findings grouped by rule, and the transactions that lock the most. */
import type { Analysis, AnalyzedTransaction } from '../analyze/analyze.js';
import type { Finding, Severity } from '../rules/types.js';

export interface RuleGroup {
  ruleId: string;
  /** The group's worst severity, for its icon. */
  severity: Severity;
  findings: Finding[];
}

const SEVERITY_ORDER: readonly Severity[] = ['error', 'warning', 'info'];
const rankOf = (s: Severity): number => {
  const i = SEVERITY_ORDER.indexOf(s);
  return i === -1 ? SEVERITY_ORDER.length : i;
};

/** Findings by rule: worst severity first, then the most findings; within a rule by file and line. */
export function findingsByRule(findings: readonly Finding[]): RuleGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) groups.set(f.ruleId, [...(groups.get(f.ruleId) ?? []), f]);
  return [...groups]
    .map(([ruleId, list]) => ({
      ruleId,
      severity: list.map((f) => f.severity).sort((a, b) => rankOf(a) - rankOf(b))[0] ?? 'info',
      findings: [...list].sort((a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line),
    }))
    .sort((a, b) => rankOf(a.severity) - rankOf(b.severity) || b.findings.length - a.findings.length || a.ruleId.localeCompare(b.ruleId));
}

/** Top-level transactions with a lock plan, by slow-path locks then all locks; savepoints count in their parent. */
export function hottestTransactions(analysis: Analysis, limit: number): AnalyzedTransaction[] {
  return analysis.transactions
    .filter((t) => t.plan !== undefined && !t.scope.nested)
    .sort(
      (a, b) =>
        (b.plan?.totals.slowpath ?? 0) - (a.plan?.totals.slowpath ?? 0) ||
        (b.plan?.totals.locks ?? 0) - (a.plan?.totals.locks ?? 0) ||
        a.file.localeCompare(b.file) ||
        a.scope.range.start.line - b.scope.range.start.line,
    )
    .slice(0, limit);
}
