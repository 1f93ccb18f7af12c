/** Rules: each has an id, a docs page, a default severity and a check over the analysis that reports findings. */
import type { Analysis } from '../analyze/analyze.js';
import type { SourceRange } from '../scan/types.js';

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
  ruleId: string;
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

export interface RuleMeta {
  id: string;
  /** One line, for lists and SARIF. */
  description: string;
  defaultSeverity: Severity;
  /** Relative path of the rule's docs page. */
  docs: string;
}

export interface Rule {
  meta: RuleMeta;
  check(
    analysis: Analysis,
    report: (finding: Omit<Finding, 'ruleId' | 'severity' | 'related' | 'fix'> & Partial<Pick<Finding, 'related' | 'fix'>>) => void,
  ): void;
}

export function docsPath(id: string): string {
  return `docs/rules/${id}.md`;
}
