/**
 * Calls, anywhere in the tree (select list, WHERE, sublinks, CTEs, column defaults, nested statements), of built-in
 * functions whose effects live outside the transaction: signalling other backends, reloading or rotating server files,
 * other connections (dblink), large objects and server files, session-level advisory locks, notifications,
 * session-level set_config, replication slots and statistics resets, and functions that run SQL given as text.
 * The transaction-level advisory locks (pg_advisory_xact_lock…) are released by the rollback and stay allowed.
 */
import { constantOf, forEachFuncCall, nodeAs, stringLiteral } from '../../sql/ast.js';
import type { Node } from '@pgsql/types';
import type { GuardFinding, GuardRule } from '../types.js';
import { PROTECTED_SETTINGS } from './session-state.js';

/** Exact names → why. */
const FUNCTIONS = new Map<string, string>([
  ['pg_terminate_backend', 'terminates another session'],
  ['pg_cancel_backend', 'cancels another session’s query'],
  ['pg_reload_conf', 'makes the server reload its configuration'],
  ['pg_rotate_logfile', 'rotates the server’s log file'],
  ['pg_logfile_rotate', 'rotates the server’s log file'],
  ['pg_promote', 'promotes a standby'],
  ['pg_switch_wal', 'switches the WAL file'],
  ['pg_create_restore_point', 'writes a restore point to the WAL'],
  ['pg_backup_start', 'starts a backup'],
  ['pg_backup_stop', 'stops a backup'],
  ['pg_start_backup', 'starts a backup'],
  ['pg_stop_backup', 'stops a backup'],
  ['pg_wal_replay_pause', 'pauses WAL replay'],
  ['pg_wal_replay_resume', 'resumes WAL replay'],
  ['pg_log_backend_memory_contexts', 'signals another backend'],
  ['pg_notify', 'sends a notification to other sessions'],
  ['pg_read_file', 'reads a file of the server'],
  ['pg_read_binary_file', 'reads a file of the server'],
  ['pg_stat_file', 'reads the server’s file system'],
  ['pg_ls_dir', 'lists the server’s file system'],
  ['pg_file_write', 'writes a file on the server'],
  ['pg_file_rename', 'renames a file on the server'],
  ['pg_file_unlink', 'deletes a file on the server'],
  ['pg_file_sync', 'syncs a file on the server'],
  ['loread', 'reads a large object'],
  ['lowrite', 'writes a large object'],
  ['pg_advisory_lock', 'takes a session-level advisory lock that outlives the rollback'],
  ['pg_advisory_lock_shared', 'takes a session-level advisory lock that outlives the rollback'],
  ['pg_try_advisory_lock', 'takes a session-level advisory lock that outlives the rollback'],
  ['pg_try_advisory_lock_shared', 'takes a session-level advisory lock that outlives the rollback'],
  ['pg_advisory_unlock', 'releases session-level advisory locks'],
  ['pg_advisory_unlock_shared', 'releases session-level advisory locks'],
  ['pg_advisory_unlock_all', 'releases session-level advisory locks'],
  ['pg_logical_emit_message', 'writes a message to the WAL (non-transactional when asked)'],
  ['pg_replication_slot_advance', 'advances a replication slot'],
  ['pg_stat_statements_reset', 'resets statistics'],
  ['query_to_xml', 'runs SQL given as text, which the guard cannot see'],
  ['query_to_xmlschema', 'runs SQL given as text, which the guard cannot see'],
  ['query_to_xml_and_xmlschema', 'runs SQL given as text, which the guard cannot see'],
  ['ts_stat', 'runs SQL given as text, which the guard cannot see'],
]);

/** Name prefixes → why (families with many members). */
const PREFIXES: Array<[string, string]> = [
  ['dblink', 'talks to another database over its own connection, whose transaction Lockscope does not control'],
  ['lo_', 'uses large objects or server files (lo_import/lo_export)'],
  ['pg_ls_', 'lists the server’s file system'],
  ['pg_stat_reset', 'resets statistics'],
  ['pg_replication_origin_', 'changes replication origins'],
  ['pg_create_physical_replication_slot', 'creates a replication slot'],
  ['pg_create_logical_replication_slot', 'creates a replication slot'],
  ['pg_copy_', 'copies a replication slot'],
  ['pg_drop_replication_slot', 'drops a replication slot'],
  ['pg_logical_slot_', 'consumes a replication slot’s changes'],
];

function reasonFor(name: string): string | undefined {
  const exact = FUNCTIONS.get(name);
  if (exact !== undefined) return exact;
  return PREFIXES.find(([prefix]) => name.startsWith(prefix))?.[1];
}

/** A literal true (`true`, `'on'`, 1), possibly cast; anything else — false, NULL, an expression — is not. */
function literalTrue(node: Node | undefined): boolean {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return literalTrue(cast.arg);
  const constant = nodeAs(node, 'A_Const');
  if (constant?.boolval !== undefined) return constant.boolval.boolval === true;
  const value = constantOf(node);
  if (value?.kind === 'string') return /^(t|true|on|yes|y|1)$/i.test(value.value.trim());
  return value?.kind === 'number' && Number(value.value) !== 0;
}

/** set_config(name, value, is_local): only a literal is_local = true on an unprotected setting stays in the transaction. */
function setConfigReason(args: readonly Node[]): string | undefined {
  if (!literalTrue(args[2])) return 'with is_local not true changes a setting for the whole session, beyond the rollback';
  const name = stringLiteral(args[0])?.toLowerCase();
  if (name === undefined) return 'with a computed setting name could change a safety setting';
  if (PROTECTED_SETTINGS.has(name)) return `of '${name}' changes a safety setting Lockscope sets on every session`;
  return undefined;
}

export const outsideEffectFunctions: GuardRule = (stmt) => {
  const findings: GuardFinding[] = [];
  forEachFuncCall(stmt, (name, args) => {
    const reason = name === 'set_config' ? setConfigReason(args) : reasonFor(name);
    if (reason !== undefined)
      findings.push({ rule: 'outside-effect-function', severity: 'refuse', reason: `${name}() ${reason}; no rollback undoes that.` });
  });
  return findings;
};
