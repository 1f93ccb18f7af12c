/**
 * Raw SQL through ActiveRecord's connection (`execute`, `exec_query`, `select_all`, `select_value(s)`…),
 * `Model.find_by_sql` / `count_by_sql`, and the pg gem (`conn.exec`, `exec_params`, `async_exec`). Savepoint APIs and
 * `SAVEPOINT` strings are subtransactions.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { compactLabel } from '../../site-factory.js';
import type { FileScan } from '../../types.js';
import { emitRawSql, emitSubtransaction } from './emit.js';
import { readsAsSql } from '../../../sql/reads-as-sql.js';
import type { SqlStrings } from './strings.js';
import { argumentsOf, chainTop, methodName, receiverOf } from './syntax.js';

/** Methods that only exist on database connections: any receiver will do when the argument is SQL. */
const CONNECTION_ONLY = new Set([
  'exec_query',
  'select_all',
  'select_one',
  'select_value',
  'select_values',
  'select_rows',
  'exec_update',
  'exec_delete',
  'exec_insert',
  'exec_params',
  'async_exec',
  'async_exec_params',
  'sync_exec',
  'sync_exec_params',
  'find_by_sql',
  'count_by_sql',
  'exec_prepared_sql',
]);
/** Generic names (`execute`, `query`…): only on a receiver that looks like a connection. */
const GENERIC = new Set(['execute', 'exec', 'query', 'insert', 'update', 'delete', 'select']);
const CONNECTION_RECEIVER = /(^|[.@_])(connection|conn|raw_connection|db|database|pg|client|pool|pgconn|adapter)$/i;
const SAVEPOINT_METHODS = new Set(['create_savepoint', 'savepoint']);

function connectionLike(receiver: Node | null): boolean {
  if (receiver === null) return false;
  if (receiver.type === 'call') {
    const name = methodName(receiver) ?? '';
    return (
      name === 'connection' ||
      name === 'raw_connection' ||
      name === 'lease_connection' ||
      (name === 'connect' && receiver.text.startsWith('PG'))
    );
  }
  return CONNECTION_RECEIVER.test(receiver.text);
}

/** Handles `call` when it is a raw SQL API call; returns true when it was one (the ORM recognizer then skips it). */
export function recognizeRawSql(scan: FileScan, context: ExtractContext, strings: SqlStrings, call: Node): boolean {
  const name = methodName(call) ?? '';
  const receiver = receiverOf(call);
  if (SAVEPOINT_METHODS.has(name) && connectionLike(receiver)) {
    emitSubtransaction(scan, context, call, `${receiver?.text ?? ''}.${name}`);
    return true;
  }
  // Bare `execute "…"` in migrations and models: the method is the connection's, delegated.
  const accepted =
    CONNECTION_ONLY.has(name) || (GENERIC.has(name) && (connectionLike(receiver) || (receiver === null && name === 'execute')));
  if (!accepted) return false;
  const first = argumentsOf(call)[0];
  if (first === undefined) return false;
  const sql = strings.read(first);
  if (sql === undefined || !readsAsSql(sql.text)) return false;
  const top = chainTop(call);
  const origin = 'sql-string';
  emitRawSql(scan, context, top, sql.text, origin, compactLabel(`${receiver === null ? '' : `${receiver.text}.`}${name}: ${sql.text}`));
  if (/^\s*SAVEPOINT\b/i.test(sql.text)) emitSubtransaction(scan, context, top, 'SAVEPOINT');
  return true;
}
