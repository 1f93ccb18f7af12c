/**
 * Session settings that would change who runs the statements or what a transaction may do: SET ROLE, SET SESSION
 * AUTHORIZATION, SET SESSION CHARACTERISTICS, SET TRANSACTION, the read-only and timeout settings Lockscope sets
 * itself, RESET ALL / RESET ROLE, and DISCARD. Other SET commands are allowed: inside the transaction they are rolled
 * back with it.
 */
import { constantOf, list, type NodeOf } from '../../sql/ast.js';
import type { GuardFinding, GuardRule } from '../types.js';
import { judgeNodes } from '../walk.js';

/** Settings Lockscope sets on every session (design.md, Safety) or that change identity; a statement may not touch them. */
export const PROTECTED_SETTINGS = new Set([
  'role',
  'session_authorization',
  'transaction_read_only',
  'default_transaction_read_only',
  'transaction_isolation',
  'default_transaction_isolation',
  'transaction_deferrable',
  'default_transaction_deferrable',
  'statement_timeout',
  'idle_in_transaction_session_timeout',
  'idle_session_timeout',
  'transaction_timeout',
  'session_replication_role',
]);

const refuse = (reason: string): GuardFinding => ({ rule: 'session-state', severity: 'refuse', reason });

function judgeSet(node: NodeOf<'VariableSetStmt'>): GuardFinding | undefined {
  const name = (node.name ?? '').toLowerCase();
  if (node.kind === 'VAR_RESET_ALL') return refuse('RESET ALL resets the safety settings Lockscope gave the session.');
  if (name === 'session characteristics')
    return refuse('SET SESSION CHARACTERISTICS changes the read-only/isolation default of the session’s transactions.');
  if (name === 'transaction' || name === 'transaction snapshot')
    return refuse('SET TRANSACTION is transaction control, which Lockscope keeps to itself.');
  if (name === 'role' || name === 'session_authorization')
    return refuse(
      `${node.kind === 'VAR_RESET' ? 'RESET' : 'SET'} ${name.toUpperCase().replace('_', ' ')} changes who the statements run as.`,
    );
  if (PROTECTED_SETTINGS.has(name))
    return refuse(`${name} is one of the safety settings Lockscope sets on every session; a statement may not change it.`);
  if (name === 'lock_timeout' && node.kind === 'VAR_SET_VALUE') {
    // A lock_timeout of 0 waits forever on a shared database; any other value is the user's to choose.
    const value = constantOf(list(node.args)[0]);
    if (value !== undefined && value.kind !== 'null' && Number(value.value) === 0)
      return refuse('lock_timeout = 0 would wait for locks without limit on a shared database.');
  }
  return undefined;
}

export const sessionState: GuardRule = (stmt) => [
  ...judgeNodes(stmt, 'VariableSetStmt', judgeSet),
  ...judgeNodes(stmt, 'DiscardStmt', () =>
    refuse('DISCARD resets session state (settings, plans, temporary tables) outside the transaction.'),
  ),
];
