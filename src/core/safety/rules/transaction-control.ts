/**
 * Transaction control of every kind is refused: Lockscope owns the transaction each statement runs in (BEGIN …
 * ROLLBACK), and COMMIT, END, ABORT, COMMIT AND CHAIN, ROLLBACK followed by a write, START TRANSACTION, SAVEPOINT
 * games, PREPARE TRANSACTION and COMMIT/ROLLBACK PREPARED are all ways out of it. --disposable changes nothing here.
 */
import type { GuardFinding, GuardRule } from '../types.js';
import { judgeNodes } from '../walk.js';

const WHY: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN: Lockscope opens the transaction itself (and always rolls it back)',
  TRANS_STMT_START: 'START TRANSACTION: Lockscope opens the transaction itself (and always rolls it back)',
  TRANS_STMT_COMMIT: 'COMMIT/END would make the writes before it permanent',
  TRANS_STMT_ROLLBACK: 'ROLLBACK/ABORT would end Lockscope’s transaction, so the statements after it would run in autocommit',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT: savepoints are transaction control, which Lockscope keeps to itself',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT: savepoints are transaction control, which Lockscope keeps to itself',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT: savepoints are transaction control, which Lockscope keeps to itself',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION would detach the transaction from the session (it survives disconnects, holding its locks)',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED commits a prepared transaction',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED ends a prepared transaction of someone else',
};

export const transactionControl: GuardRule = (stmt) =>
  judgeNodes(stmt, 'TransactionStmt', (node): GuardFinding => {
    const why = WHY[node.kind ?? ''] ?? 'transaction control is Lockscope’s own';
    const chain = node.chain === true ? ' (AND CHAIN starts a new transaction that is not Lockscope’s)' : '';
    return { rule: 'transaction-control', severity: 'refuse', reason: `transaction control — ${why}${chain}.` };
  });
