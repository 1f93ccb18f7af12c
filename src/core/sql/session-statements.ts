/**
 * Statements that lock no relation by themselves but matter to the lock rules: transaction control (BEGIN … COMMIT,
 * SAVEPOINT), SET lock_timeout, and code bodies that open subtransactions (DO blocks and PL/pgSQL functions with an
 * EXCEPTION clause: one subtransaction each time the block is entered).
 */
import { parsePlPgSQLSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import type { StatementDetails, StatementKind } from '../statement.js';
import { defElems, isRecord, list, nodeAs, stringLiteral, stringOf, walkTree } from './ast.js';

export interface SessionResult {
  kind: StatementKind;
  command: string;
  details: StatementDetails;
}

const TRANSACTION_ACTIONS: Record<string, { command: string; action: StatementDetails['transactionAction'] }> = {
  TRANS_STMT_BEGIN: { command: 'BEGIN', action: 'begin' },
  TRANS_STMT_START: { command: 'START TRANSACTION', action: 'begin' },
  TRANS_STMT_COMMIT: { command: 'COMMIT', action: 'commit' },
  TRANS_STMT_ROLLBACK: { command: 'ROLLBACK', action: 'rollback' },
  TRANS_STMT_SAVEPOINT: { command: 'SAVEPOINT', action: 'savepoint' },
  TRANS_STMT_RELEASE: { command: 'RELEASE', action: 'release' },
  TRANS_STMT_ROLLBACK_TO: { command: 'ROLLBACK TO', action: 'rollback-to' },
  TRANS_STMT_PREPARE: { command: 'PREPARE TRANSACTION', action: 'prepare' },
  TRANS_STMT_COMMIT_PREPARED: { command: 'COMMIT PREPARED', action: 'commit' },
  TRANS_STMT_ROLLBACK_PREPARED: { command: 'ROLLBACK PREPARED', action: 'rollback' },
};

/** True when a PL/pgSQL tree holds a block with an EXCEPTION clause, at any depth. */
function hasExceptionBlock(tree: unknown): boolean {
  let found = false;
  walkTree(tree, (node) => {
    // PL/pgSQL trees are not described by @pgsql/types: the block's tag is read by name.
    const block = node['PLpgSQL_stmt_block'];
    if (isRecord(block) && block['exceptions'] !== undefined) found = true;
    return !found;
  });
  return found;
}

/** Whether a code body opens subtransactions; only PL/pgSQL bodies are inspected. */
export function bodyOpensSubtransaction(body: string, language: string): boolean {
  if (language.toLowerCase() !== 'plpgsql' || body === '') return false;
  try {
    // The PL/pgSQL parser takes a whole CREATE FUNCTION; a dollar-quote tag the body cannot contain wraps it.
    let tag = 'lockscope';
    while (body.includes(`$${tag}$`)) tag += '_';
    const parsed = parsePlPgSQLSync(`CREATE FUNCTION lockscope_probe() RETURNS void LANGUAGE plpgsql AS $${tag}$${body}$${tag}$`);
    return hasExceptionBlock(parsed);
  } catch {
    // A body the PL/pgSQL parser rejects: fall back to the keyword, which errs on the side of warning.
    return /\bexception\s+when\b/i.test(body);
  }
}

function variableSet(node: NonNullable<ReturnType<typeof nodeAs<'VariableSetStmt'>>>): SessionResult {
  const name = (node.name ?? '').toLowerCase();
  const details: StatementDetails = {};
  if (name === 'lock_timeout' && node.kind === 'VAR_SET_VALUE') {
    // `SET lock_timeout = 0` turns the timeout off: that is not setting one.
    const value = list(node.args)[0];
    const constant = nodeAs(value, 'A_Const');
    const off = constant?.ival !== undefined ? (constant.ival.ival ?? 0) === 0 : stringLiteral(value) === '0';
    if (!off) details.setsLockTimeout = true;
  }
  if (name === 'transaction' || name === 'transaction_isolation' || name === 'session characteristics')
    details.transactionAction = 'set-transaction';
  const command = node.kind === 'VAR_RESET' || node.kind === 'VAR_RESET_ALL' ? 'RESET' : 'SET';
  return { kind: 'utility', command, details };
}

/** Transaction control, SET, DO and CREATE FUNCTION; undefined for any other statement. */
export function analyzeSessionStatement(stmt: Node): SessionResult | undefined {
  const transaction = nodeAs(stmt, 'TransactionStmt');
  if (transaction !== undefined) {
    const known = TRANSACTION_ACTIONS[transaction.kind ?? ''];
    return {
      kind: 'transaction',
      command: known?.command ?? 'TRANSACTION',
      details: known?.action === undefined ? {} : { transactionAction: known.action },
    };
  }
  const set = nodeAs(stmt, 'VariableSetStmt');
  if (set !== undefined) return variableSet(set);
  const doStmt = nodeAs(stmt, 'DoStmt');
  if (doStmt !== undefined) {
    const args = defElems(doStmt.args);
    const language = stringOf(args.get('language')) ?? 'plpgsql';
    const opens = bodyOpensSubtransaction(stringOf(args.get('as')) ?? '', language);
    return { kind: 'utility', command: 'DO', details: opens ? { opensSubtransaction: true } : {} };
  }
  const fn = nodeAs(stmt, 'CreateFunctionStmt');
  if (fn !== undefined) {
    const options = defElems(fn.options);
    const as = options.get('as');
    // AS 'body' is one string; AS 'obj_file', 'link_symbol' (C functions) a list.
    const body = stringOf(as) ?? (nodeAs(as, 'List')?.items ?? []).map((n) => stringOf(n) ?? '').join('\n');
    const command = fn.is_procedure === true ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    const opens = bodyOpensSubtransaction(body, stringOf(options.get('language')) ?? '');
    return { kind: 'ddl', command, details: { ddlCommand: command, ...(opens ? { opensSubtransaction: true } : {}) } };
  }
  return undefined;
}
