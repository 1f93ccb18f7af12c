/** The rule registry (sorted by id), severity settings validated against it, and running every enabled rule. */
import type { Analysis } from '../analyze/analyze.js';
import { cascadingRowLocks } from './cascading-row-locks.js';
import { createIndexNotConcurrently } from './create-index-not-concurrently.js';
import { ddlWithoutLockTimeout } from './ddl-without-lock-timeout.js';
import { hotTableIndexes } from './hot-table-indexes.js';
import { renderMessage } from './messages.js';
import { partitionWithoutPruning } from './partition-without-pruning.js';
import { rowLockInLoop } from './row-lock-in-loop.js';
import { rowLockWithoutTimeout } from './row-lock-without-timeout.js';
import { isRuleId, type RuleId } from './rule-ids.js';
import { slowPathLocks } from './slow-path-locks.js';
import { subtransaction } from './subtransaction.js';
import { subtransactionsInLoop } from './subtransactions-in-loop.js';
import type { Finding, Rule, Severity } from './types.js';

export { isRuleId, RULE_IDS, type RuleId } from './rule-ids.js';

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
] as const;

/** Fails to compile when a declared id has no rule in the registry. */
const everyIdRegistered: Exclude<RuleId, (typeof RULES)[number]['meta']['id']> extends never ? true : never = true;
void everyIdRegistered;

/** The rule registered under `id`; its message ids are typed. */
export type RuleOf<Id extends RuleId> = Extract<(typeof RULES)[number], { meta: { id: Id } }>;
export type MessageIdOf<Id extends RuleId> = keyof RuleOf<Id>['messages'] & string;

/** Per-rule severity overrides; "off" disables a rule. */
export type SeverityConfig = Partial<Record<RuleId, Severity | 'off'>>;

const LEVELS: ReadonlySet<string> = new Set(['error', 'warning', 'info', 'off']);

/**
 * Reads severity settings written by people (VS Code settings, `--severity R=L`): unknown rule ids and levels are
 * returned as problems, not silently ignored.
 */
export function parseSeverityConfig(raw: unknown): { config: SeverityConfig; problems: string[] } {
  const config: SeverityConfig = {};
  const problems: string[] = [];
  if (raw === undefined || raw === null) return { config, problems };
  if (typeof raw !== 'object' || Array.isArray(raw)) return { config, problems: ['rule severities must be an object of rule id → level'] };
  for (const [id, level] of Object.entries(raw)) {
    if (!isRuleId(id)) problems.push(`unknown rule "${id}" (rules: ${RULES.map((r) => r.meta.id).join(', ')})`);
    else if (typeof level !== 'string' || !LEVELS.has(level))
      problems.push(`rule ${id}: level must be error, warning, info or off, got ${JSON.stringify(level)}`);
    else config[id] = level as Severity | 'off';
  }
  return { config, problems };
}

function runRule(rule: Rule, analysis: Analysis, severity: Severity, findings: Finding[]): void {
  rule.check(analysis, ({ messageId, data, ...f }) =>
    findings.push({
      related: [],
      fix: undefined,
      ...f,
      ruleId: rule.meta.id,
      messageId,
      message: renderMessage(rule.meta.id, rule.messages, messageId, data),
      severity,
    }),
  );
}

export function runRules(analysis: Analysis, config: SeverityConfig = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of RULES) {
    const severity = config[rule.meta.id] ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    runRule(rule, analysis, severity, findings);
  }
  // Equal strings skip localeCompare: in a big file most pairs name the same file, and localeCompare is slow.
  const compare = (x: string, y: string): number => (x === y ? 0 : x.localeCompare(y));
  return findings.sort((a, b) => compare(a.file, b.file) || a.range.start.line - b.range.start.line || compare(a.ruleId, b.ruleId));
}
