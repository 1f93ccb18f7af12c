/** The rule registry (sorted by id) and running every enabled rule with its configured severity. */
import type { Analysis } from '../analyze/analyze.js';
import { cascadingRowLocks } from './cascading-row-locks.js';
import { createIndexNotConcurrently } from './create-index-not-concurrently.js';
import { ddlWithoutLockTimeout } from './ddl-without-lock-timeout.js';
import { hotTableIndexes } from './hot-table-indexes.js';
import { partitionWithoutPruning } from './partition-without-pruning.js';
import { rowLockInLoop } from './row-lock-in-loop.js';
import { rowLockWithoutTimeout } from './row-lock-without-timeout.js';
import { slowPathLocks } from './slow-path-locks.js';
import { subtransaction } from './subtransaction.js';
import { subtransactionsInLoop } from './subtransactions-in-loop.js';
import type { Finding, Rule, Severity } from './types.js';

export const RULES = [
  cascadingRowLocks,
  createIndexNotConcurrently,
  ddlWithoutLockTimeout,
  hotTableIndexes,
  partitionWithoutPruning,
  rowLockInLoop,
  rowLockWithoutTimeout,
  slowPathLocks,
  subtransaction,
  subtransactionsInLoop,
] as const satisfies readonly Rule[];

export type RuleId = (typeof RULES)[number]['meta']['id'];

/** Per-rule severity overrides; "off" disables a rule. */
export type SeverityConfig = Partial<Record<string, Severity | 'off'>>;

export function runRules(analysis: Analysis, config: SeverityConfig = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = config[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    rule.check(analysis, (f) => findings.push({ related: [], fix: undefined, ...f, ruleId: rule.meta.id, severity }));
  }
  return findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.ruleId.localeCompare(b.ruleId),
  );
}
