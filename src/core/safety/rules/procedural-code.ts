/**
 * Code whose statements the guard cannot see is refused: DO blocks and procedures (CALL) may COMMIT or ROLLBACK inside
 * and run dynamic SQL; PREPARE/EXECUTE/DEALLOCATE keep statements in the session beyond the transaction; LOAD loads a
 * shared library into the server process.
 */
import type { GuardFinding, GuardRule } from '../types.js';
import { nodesOf } from '../walk.js';

const refuse = (reason: string): GuardFinding => ({ rule: 'procedural-code', severity: 'refuse', reason });

export const proceduralCode: GuardRule = (stmt) => [
  ...nodesOf(stmt, 'DoStmt').map(() => refuse('DO runs procedural code that can COMMIT, ROLLBACK or run any SQL unseen.')),
  ...nodesOf(stmt, 'CallStmt').map(() => refuse('CALL runs a procedure, which can COMMIT or ROLLBACK inside it.')),
  ...nodesOf(stmt, 'PrepareStmt').map(() => refuse('PREPARE keeps a statement in the session beyond the transaction.')),
  ...nodesOf(stmt, 'ExecuteStmt').map(() => refuse('EXECUTE runs a prepared statement the guard has not seen.')),
  ...nodesOf(stmt, 'DeallocateStmt').map(() => refuse('DEALLOCATE changes session state that is not rolled back.')),
  ...nodesOf(stmt, 'LoadStmt').map(() => refuse('LOAD loads a shared library into the server process.')),
];
