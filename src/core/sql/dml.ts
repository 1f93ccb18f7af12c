/**
 * INSERT, UPDATE, DELETE and MERGE in parse-analysis order (analyze.c, parse_merge.c). Each processes its WITH
 * clause first, then opens its target with RowExclusiveLock (setTargetTable) — "Must get write lock on INSERT target
 * table before scanning SELECT" — and only then the rest:
 *   INSERT: source (SELECT or VALUES sublinks), ON CONFLICT (arbiter, SET, WHERE), RETURNING.
 *   UPDATE: FROM, WHERE, RETURNING, then SET (transformUpdateTargetList runs last).
 *   DELETE: USING, WHERE, RETURNING.
 *   MERGE:  source, ON condition, RETURNING (PG 17+), then each WHEN clause (condition, then SET/VALUES).
 * A data-modifying statement inside WITH is walked the same way: its target is a write target too.
 */
import type { DeleteStmt, InsertStmt, MergeStmt, UpdateStmt } from '@pgsql/types';
import { list, nodeAs } from './ast-util.js';
import { NO_LOCKS } from './row-locks.js';
import type { CteScope, RelationWalker } from './select-walker.js';

export function insertStatement(walker: RelationWalker, stmt: InsertStmt, outer: CteScope | undefined, context: string): void {
  const scope = walker.withClause(stmt.withClause, outer, context);
  if (stmt.relation !== undefined) walker.add(stmt.relation, 'write-target', 'RowExclusiveLock', `INSERT target${context}`);
  const select = nodeAs(stmt.selectStmt, 'SelectStmt');
  if (select !== undefined) {
    // transformInsertStmt treats a bare VALUES list as expressions of this level, anything else as a sub-SELECT.
    const general =
      list(select.valuesLists).length === 0 ||
      list(select.sortClause).length > 0 ||
      select.limitOffset !== undefined ||
      select.limitCount !== undefined ||
      list(select.lockingClause).length > 0 ||
      select.withClause !== undefined;
    if (general) walker.select(select, scope, context);
    else walker.expressions(select.valuesLists, scope, context);
  }
  const conflict = stmt.onConflictClause;
  if (conflict !== undefined) {
    walker.expressions(
      [conflict.infer?.indexElems, conflict.infer?.whereClause, conflict.targetList, conflict.whereClause],
      scope,
      context,
    );
  }
  walker.expressions(stmt.returningClause?.exprs, scope, context);
}

export function updateStatement(walker: RelationWalker, stmt: UpdateStmt, outer: CteScope | undefined, context: string): void {
  const scope = walker.withClause(stmt.withClause, outer, context);
  if (stmt.relation !== undefined) walker.add(stmt.relation, 'write-target', 'RowExclusiveLock', `UPDATE target${context}`);
  for (const item of list(stmt.fromClause)) walker.fromItem(item, scope, NO_LOCKS, context);
  walker.expressions([stmt.whereClause, stmt.returningClause?.exprs, stmt.targetList], scope, context);
}

export function deleteStatement(walker: RelationWalker, stmt: DeleteStmt, outer: CteScope | undefined, context: string): void {
  const scope = walker.withClause(stmt.withClause, outer, context);
  if (stmt.relation !== undefined) walker.add(stmt.relation, 'write-target', 'RowExclusiveLock', `DELETE target${context}`);
  for (const item of list(stmt.usingClause)) walker.fromItem(item, scope, NO_LOCKS, context, 'USING item');
  walker.expressions([stmt.whereClause, stmt.returningClause?.exprs], scope, context);
}

export function mergeStatement(walker: RelationWalker, stmt: MergeStmt, outer: CteScope | undefined, context: string): void {
  const scope = walker.withClause(stmt.withClause, outer, context);
  if (stmt.relation !== undefined) walker.add(stmt.relation, 'write-target', 'RowExclusiveLock', `MERGE target${context}`);
  if (stmt.sourceRelation !== undefined) walker.fromItem(stmt.sourceRelation, scope, NO_LOCKS, context, 'MERGE source');
  walker.expressions([stmt.joinCondition, stmt.returningClause?.exprs], scope, context);
  for (const node of list(stmt.mergeWhenClauses)) {
    const when = nodeAs(node, 'MergeWhenClause');
    walker.expressions([when?.condition, when?.targetList, when?.values], scope, context);
  }
}
