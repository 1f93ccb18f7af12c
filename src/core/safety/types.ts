/** The guard's vocabulary: where a statement is about to be sent, what each rule family found, and why. */
import type { Node } from '@pgsql/types';
import type { Catalog } from '../catalog.js';

/**
 * Where the statement goes: `explain` (under EXPLAIN, not executed), `execute` (measure --execute, the Locks tab's
 * "Execute (rolled back)", EXPLAIN ANALYZE) or `probe` (the load engine: executed many times by many sessions).
 */
export type GuardPurpose = 'explain' | 'execute' | 'probe';

export interface GuardOptions {
  purpose: GuardPurpose;
  /** The database is a throwaway: DDL may be probed. Never relaxes transaction control or outside effects. */
  disposable: boolean;
  /** Names serial/identity columns, so an INSERT into them is warned about precisely; without it INSERTs are warned generally. */
  catalog?: Catalog | undefined;
}

/** The rule families, one file each under rules/ (docs/safety.md names a test for each). */
export type GuardRuleId =
  | 'one-statement'
  | 'does-not-parse'
  | 'transaction-control'
  | 'procedural-code'
  | 'session-state'
  | 'outside-io'
  | 'non-transactional'
  | 'outside-effect-function'
  | 'ddl-needs-disposable'
  | 'sequence-advances';

export interface GuardFinding {
  rule: GuardRuleId;
  /** refuse: the statement is never sent; warn: it is sent, and the user is told what PostgreSQL cannot roll back. */
  severity: 'refuse' | 'warn';
  /** For people: what the statement does that a rollback cannot undo. */
  reason: string;
}

/** A rule family: the findings for one parsed statement (its tree is the libpg-query JSON of exactly one statement). */
export type GuardRule = (stmt: Node, options: GuardOptions) => GuardFinding[];

/** How a statement is named in messages: its text on one line, at most about 80 characters. */
export function statementLabel(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  return flat.length <= 80 ? flat : `${flat.slice(0, 79)}…`;
}
