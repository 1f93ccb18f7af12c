/** Every rule id, once: `RuleId` is their union, so a misspelt id in a rule, a setting or a test does not compile. */
export const RULE_IDS = [
  'cascading-row-locks',
  'create-index-not-concurrently',
  'ddl-without-lock-timeout',
  'hot-table-indexes',
  'partition-without-pruning',
  'row-lock-in-loop',
  'row-lock-without-timeout',
  'slow-path-locks',
  'subtransaction',
  'subtransactions-in-loop',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

const KNOWN: ReadonlySet<string> = new Set(RULE_IDS);

export function isRuleId(value: string): value is RuleId {
  return KNOWN.has(value);
}
