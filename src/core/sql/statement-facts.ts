/**
 * Lock-relevant facts of a statement beyond its relation list: ON CONFLICT inference (locks every target index at
 * plan time), the INSERT source, the columns written, sequences named in nextval/currval/setval, and
 * set_config('lock_timeout', …) calls.
 */
import type { Node } from '@pgsql/types';
import type { StatementDetails } from '../statement.js';
import { forEachFuncCall, list, nodeAs, stringLiteral } from './ast.js';

const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval']);

/** Sequence names passed as literals to nextval/currval/setval, as written ('app.seq', '"Seq"'). */
export function sequenceCalls(tree: unknown): string[] {
  const out: string[] = [];
  forEachFuncCall(tree, (name, args) => {
    const first = stringLiteral(args[0]);
    if (SEQUENCE_FUNCTIONS.has(name) && first !== undefined) out.push(first);
  });
  return out;
}

/** `SELECT set_config('lock_timeout', '2s', true)` sets the timeout like SET LOCAL does. */
export function setsLockTimeoutByFunction(tree: unknown): boolean {
  let found = false;
  forEachFuncCall(tree, (name, args) => {
    if (name === 'set_config' && stringLiteral(args[0])?.toLowerCase() === 'lock_timeout' && stringLiteral(args[1]) !== '0') found = true;
  });
  return found;
}

function resTargetNames(targets: readonly Node[] | undefined): string[] {
  return list(targets)
    .map((t) => nodeAs(t, 'ResTarget')?.name ?? '')
    .filter((n) => n !== '');
}

/** Details of an optimizable statement (SELECT/INSERT/UPDATE/DELETE/MERGE). */
export function dmlDetails(stmt: Node): StatementDetails {
  const details: StatementDetails = { sequenceCalls: sequenceCalls(stmt) };
  if (setsLockTimeoutByFunction(stmt)) details.setsLockTimeout = true;
  const insert = nodeAs(stmt, 'InsertStmt');
  if (insert !== undefined) {
    // Only an inference clause — ON CONFLICT (cols) or ON CONSTRAINT — makes the planner open every target index.
    details.onConflictInference = insert.onConflictClause?.infer !== undefined;
    const select = nodeAs(insert.selectStmt, 'SelectStmt');
    details.insertSource = select === undefined ? 'default-values' : list(select.valuesLists).length > 0 ? 'values' : 'select';
    details.targetColumns = resTargetNames(insert.cols);
  }
  const update = nodeAs(stmt, 'UpdateStmt');
  if (update !== undefined) details.targetColumns = resTargetNames(update.targetList);
  return details;
}
