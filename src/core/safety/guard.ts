/**
 * The one guard every statement Lockscope sends on a user's behalf passes (measure, EXPLAIN, the Locks tab, the load
 * probe; CLI and editor alike). It works on PostgreSQL's own parse tree, requires exactly one statement per text (each
 * is sent alone), and returns the warnings to show; a statement any rule refuses throws GuardRefusedError.
 */
import { parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import { assertParserLoaded } from '../sql/load.js';
import { GuardRefusedError } from './errors.js';
import { ddlNeedsDisposable } from './rules/ddl-needs-disposable.js';
import { nonTransactional } from './rules/non-transactional.js';
import { outsideEffectFunctions } from './rules/outside-effect-functions.js';
import { outsideIo } from './rules/outside-io.js';
import { proceduralCode } from './rules/procedural-code.js';
import { sequenceAdvances } from './rules/sequence-advances.js';
import { sessionState } from './rules/session-state.js';
import { transactionControl } from './rules/transaction-control.js';
import { statementLabel, type GuardFinding, type GuardOptions, type GuardRule } from './types.js';

/** Every rule family, transaction control first: when a statement breaks several rules, that is the reason given. */
const RULES: readonly GuardRule[] = [
  transactionControl,
  proceduralCode,
  sessionState,
  outsideIo,
  nonTransactional,
  outsideEffectFunctions,
  ddlNeedsDisposable,
  sequenceAdvances,
];

/** What the guard found in one statement's tree: refusals first, then warnings. */
export function judgeStatement(stmt: Node, options: GuardOptions): GuardFinding[] {
  const findings = RULES.flatMap((rule) => rule(stmt, options));
  return [...findings.filter((f) => f.severity === 'refuse'), ...findings.filter((f) => f.severity === 'warn')];
}

/** A statement the guard let through, with what to tell the user about it. */
export interface GuardedStatement {
  sql: string;
  /** Warnings, each naming the statement (e.g. a sequence that will advance). */
  warnings: string[];
}

/** The single statement of `sql`, or a refusal: a text with several statements is never sent as one message. */
function singleStatement(sql: string): Node {
  let stmts: ReadonlyArray<{ stmt?: Node }>;
  // libpg-query rejects an empty text; PostgreSQL would run it as nothing. Either way there is nothing to send.
  if (sql.trim() === '') throw new GuardRefusedError(sql, { rule: 'one-statement', severity: 'refuse', reason: 'it holds no statement.' });
  try {
    stmts = parseSync(sql).stmts ?? [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GuardRefusedError(sql, { rule: 'does-not-parse', severity: 'refuse', reason: `it does not parse (${message}).` });
  }
  const present = stmts.filter((s) => s.stmt !== undefined);
  const only = present[0]?.stmt;
  if (present.length !== 1 || only === undefined)
    throw new GuardRefusedError(sql, {
      rule: 'one-statement',
      severity: 'refuse',
      reason:
        present.length === 0
          ? 'it holds no statement.'
          : `it holds ${present.length} statements; each is sent alone, so give them separately (the project's splitter does this for --file and SQL arguments).`,
    });
  return only;
}

/**
 * Checks one statement text before it is sent; throws GuardRefusedError for a refusal (the first reason found),
 * returns the statement with its warnings otherwise. Needs `await loadSqlParser()` once before.
 */
export function guardStatement(sql: string, options: GuardOptions): GuardedStatement {
  assertParserLoaded();
  const findings = judgeStatement(singleStatement(sql), options);
  const refusal = findings.find((f) => f.severity === 'refuse');
  if (refusal !== undefined) throw new GuardRefusedError(sql, refusal);
  const label = statementLabel(sql);
  return { sql, warnings: [...new Set(findings.map((f) => `"${label}": ${f.reason}`))] };
}

/** guardStatement for each text, in order: nothing is sent unless every statement passes. Returns all warnings. */
export function guardStatements(sqls: readonly string[], options: GuardOptions): string[] {
  return [...new Set(sqls.flatMap((sql) => guardStatement(sql, options).warnings))];
}
