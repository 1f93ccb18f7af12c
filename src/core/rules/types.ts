/** Rules: each has a typed id, a docs page, a default severity, messages by id, and a check that reports findings. */
import type { Analysis } from '../analyze/analyze.js';
import type { SourceRange } from '../scan/types.js';
import type { RuleId } from './rule-ids.js';

export type { RuleId } from './rule-ids.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  file: string;
  range: SourceRange;
  message: string;
}

/** A mechanical fix: its edits, and what it does in a few words. */
export interface Fix {
  description: string;
  edits: FixEdit[];
}

/** One edit of a mechanical fix: replace a range of a file with new text. */
export interface FixEdit {
  file: string;
  range: SourceRange;
  newText: string;
}

export interface Finding {
  ruleId: RuleId;
  /** Which of the rule's messages this is (stable; the text may be reworded). */
  messageId: string;
  severity: Severity;
  message: string;
  file: string;
  range: SourceRange;
  /** What to do about it, one or two sentences. */
  help: string;
  related: RelatedLocation[];
  fix: Fix | undefined;
  /** Other mechanical fixes, offered after `fix` (NOWAIT beside SKIP LOCKED, a lock_timeout before the statement). */
  moreFixes?: Fix[];
}

export interface RuleMeta<Id extends RuleId = RuleId> {
  id: Id;
  /** One line, for lists and SARIF. */
  description: string;
  defaultSeverity: Severity;
  /** Relative path of the rule's docs page. */
  docs: string;
}

/** Values for a message template's `{{name}}` placeholders. */
export type MessageData = Readonly<Record<string, string | number>>;

/** What a rule reports: a message id and its data instead of the text; the runner adds id, severity and defaults. */
export type Report<MessageId extends string = string> = Omit<Finding, 'ruleId' | 'messageId' | 'severity' | 'message' | 'related' | 'fix'> &
  Partial<Pick<Finding, 'related' | 'fix'>> & { messageId: MessageId; data: MessageData };

export interface Rule<Id extends RuleId = RuleId, MessageId extends string = string> {
  meta: RuleMeta<Id>;
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Readonly<Record<MessageId, string>>;
  check(analysis: Analysis, report: (finding: Report<MessageId>) => void): void;
}

/** Declares a rule; keeps its id and message ids as literal types (tests and settings are checked against them). */
export function defineRule<const Id extends RuleId, const MessageId extends string>(rule: Rule<Id, MessageId>): Rule<Id, MessageId> {
  return rule;
}

export function docsPath(id: RuleId): string {
  return `docs/rules/${id}.md`;
}
