/** Typed errors of the guard: a statement refused before it was sent, and a transaction that escaped after one was. */
import { statementLabel, type GuardFinding, type GuardRuleId } from './types.js';

/** A statement the guard will not send; nothing of the request was sent to the database. */
export class GuardRefusedError extends Error {
  override readonly name = 'GuardRefusedError';
  /** The refused statement, on one line, at most ~80 characters. */
  readonly statement: string;
  readonly rule: GuardRuleId;
  readonly reason: string;

  constructor(sql: string, finding: GuardFinding) {
    const statement = statementLabel(sql);
    super(`Refused "${statement}": ${finding.reason}`);
    this.statement = statement;
    this.rule = finding.rule;
    this.reason = finding.reason;
  }
}

/**
 * After a statement the session was no longer inside Lockscope's transaction: whatever ran may have been committed.
 * Everything stops; this is never retried or swallowed.
 */
export class TransactionEscapedError extends Error {
  override readonly name = 'TransactionEscapedError';
  readonly statement: string;

  constructor(
    sql: string,
    /** What the session reported after the statement ("idle": no transaction open). */
    readonly status: string,
  ) {
    const statement = statementLabel(sql);
    super(
      `TRANSACTION ESCAPED after "${statement}": the session reported "${status}" instead of an open transaction, so ` +
        'its effects may have been committed. Lockscope stopped every session; check the database.',
    );
    this.statement = statement;
  }
}
