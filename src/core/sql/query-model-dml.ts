/**
 * The query levels of INSERT, UPDATE, DELETE and MERGE, in parse-analysis order (analyze.c, parse_merge.c). Each
 * processes its WITH clause first, then opens its target with RowExclusiveLock (setTargetTable) — "Must get write
 * lock on INSERT target table before scanning SELECT" — and only then the rest:
 *   INSERT: source (SELECT or VALUES sublinks), ON CONFLICT (arbiter, SET, WHERE), RETURNING.
 *   UPDATE: FROM, WHERE, RETURNING, then SET (transformUpdateTargetList runs last).
 *   DELETE: USING, WHERE, RETURNING.
 *   MERGE:  source, ON condition, RETURNING (PG 17+), then each WHEN clause (condition, then SET/VALUES).
 * A data-modifying statement inside WITH is built the same way: its target is a write target too.
 */
import type { DeleteStmt, InsertStmt, MergeStmt, UpdateStmt } from '@pgsql/types';
import { conjuncts, list, nodeAs } from './ast.js';
import { emptyLevel, occurrence, type LevelBuilder, type QueryLevel, type Scope, type SublinkDef } from './query-level.js';
import { NO_LOCKS } from './row-locks.js';

export function insertLevel(b: LevelBuilder, stmt: InsertStmt, outer: Scope | undefined, context: string): QueryLevel {
  const level = emptyLevel('insert');
  const scope = b.withClause(stmt.withClause, outer, level, context);
  if (stmt.relation !== undefined) level.target = occurrence(stmt.relation, 'write-target', 'INSERT target', context);
  const select = nodeAs(stmt.selectStmt, 'SelectStmt');
  // transformInsertStmt's isGeneralSelect: a bare VALUES list is expressions of this level, anything else a sub-SELECT.
  const general =
    select === undefined ||
    list(select.valuesLists).length === 0 ||
    list(select.sortClause).length > 0 ||
    select.limitOffset !== undefined ||
    select.limitCount !== undefined ||
    list(select.lockingClause).length > 0 ||
    select.withClause !== undefined;
  let values: SublinkDef[] = [];
  if (!general) values = b.sublinks(select.valuesLists, scope, context);
  else if (stmt.selectStmt !== undefined) level.insertSource = b.statement(stmt.selectStmt, scope, undefined, context);
  const conflict = stmt.onConflictClause;
  level.onConflictInference = conflict?.infer !== undefined;
  level.onConflictConstraint = conflict?.infer?.conname;
  const conflictLinks = b.sublinks(
    [conflict?.infer?.indexElems, conflict?.infer?.whereClause, conflict?.targetList, conflict?.whereClause],
    scope,
    context,
  );
  const returning = b.sublinks(stmt.returningClause?.exprs, scope, context);
  level.parseSublinks = [...values, ...conflictLinks, ...returning];
  level.planSublinks = [...level.parseSublinks];
  level.simple = false;
  return level;
}

/** UPDATE (FROM, WHERE, RETURNING, then SET) and DELETE (USING, WHERE, RETURNING): the target's quals prune it. */
function modifyLevel(
  b: LevelBuilder,
  command: 'update' | 'delete',
  stmt: UpdateStmt & DeleteStmt,
  outer: Scope | undefined,
  context: string,
): QueryLevel {
  const level = emptyLevel(command);
  const scope = b.withClause(stmt.withClause, outer, level, context);
  const quals = conjuncts(stmt.whereClause);
  const reason = command === 'update' ? 'UPDATE target' : 'DELETE target';
  if (stmt.relation !== undefined) level.target = { ...occurrence(stmt.relation, 'write-target', reason, context), quals };
  const fromList = command === 'update' ? stmt.fromClause : stmt.usingClause;
  const fromReason = command === 'update' ? 'FROM item' : 'USING item';
  level.from = list(fromList).map((item) => b.fromItem(item, scope, NO_LOCKS, quals, context, fromReason));
  const where = b.whereSublinks(stmt.whereClause, scope, context);
  const returning = b.sublinks(stmt.returningClause?.exprs, scope, context);
  const set = b.sublinks(stmt.targetList, scope, context);
  level.parseSublinks = [...where, ...returning, ...set];
  level.planSublinks = [...set, ...returning, ...where];
  level.simple = false;
  return level;
}

export const updateLevel = (b: LevelBuilder, stmt: UpdateStmt, outer: Scope | undefined, context: string): QueryLevel =>
  modifyLevel(b, 'update', stmt, outer, context);

export const deleteLevel = (b: LevelBuilder, stmt: DeleteStmt, outer: Scope | undefined, context: string): QueryLevel =>
  modifyLevel(b, 'delete', stmt, outer, context);

export function mergeLevel(b: LevelBuilder, stmt: MergeStmt, outer: Scope | undefined, context: string): QueryLevel {
  const level = emptyLevel('merge');
  const scope = b.withClause(stmt.withClause, outer, level, context);
  if (stmt.relation !== undefined) level.target = occurrence(stmt.relation, 'write-target', 'MERGE target', context);
  level.from = [b.fromItem(stmt.sourceRelation, scope, NO_LOCKS, [], context, 'MERGE source')];
  level.parseSublinks = b.sublinks([stmt.joinCondition, stmt.returningClause?.exprs, stmt.mergeWhenClauses], scope, context);
  level.mergeSourceFirst = list(stmt.mergeWhenClauses).some(
    (item) => nodeAs(item, 'MergeWhenClause')?.matchKind === 'MERGE_WHEN_NOT_MATCHED_BY_TARGET',
  );
  level.planSublinks = [...level.parseSublinks];
  level.simple = false;
  return level;
}
