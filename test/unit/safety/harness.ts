/** Shared by the guard's rule-family tests: run one statement through the guard and say what it decided. */
import assert from 'node:assert/strict';
import { guardStatement, GuardRefusedError, type GuardOptions, type GuardRuleId } from '../../../src/core/safety/index.js';

export type Expected = GuardRuleId | 'allowed';

/** The rule that refused `sql`, or 'allowed' (warnings are returned separately). */
export function decide(sql: string, options: Partial<GuardOptions> = {}): { outcome: Expected; message: string; warnings: string[] } {
  try {
    const { warnings } = guardStatement(sql, { purpose: 'execute', disposable: false, ...options });
    return { outcome: 'allowed', message: '', warnings };
  } catch (error) {
    if (!(error instanceof GuardRefusedError)) throw error;
    return { outcome: error.rule, message: error.message, warnings: [] };
  }
}

/** Table-driven: each row's statement must get its expected outcome, under every purpose listed. */
export function expectAll(rows: ReadonlyArray<readonly [string, Expected]>, options: Partial<GuardOptions> = {}): void {
  for (const [sql, expected] of rows) {
    const { outcome, message } = decide(sql, options);
    assert.equal(outcome, expected, `${sql} → ${outcome} ${message}`);
    // A refusal names the statement (its start) and gives a reason.
    if (expected !== 'allowed') assert.ok(message.includes(sql.replace(/\s+/g, ' ').slice(0, 40)), message);
  }
}
