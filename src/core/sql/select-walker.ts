/**
 * Walks a DML statement in the order PostgreSQL's parse analysis opens its relations (analyze.c, parse_clause.c,
 * parse_cte.c): WITH first, then FROM items left to right (joins depth first, ON quals after both sides), then the
 * sublinks of the target list, WHERE, HAVING, ORDER BY, GROUP BY, DISTINCT ON, OFFSET, LIMIT and WINDOW in that order.
 * Set operations: left arm, then right. A name that refers to a CTE in scope is not a relation.
 */
import type { Node, RangeVar, SelectStmt, WithClause } from '@pgsql/types';
import type { LockMode } from '../lock-modes.js';
import type { RelationRef, RowLockClause } from '../statement.js';
import { forEachSubLink, isRecord, list, nodeAs } from './ast-util.js';
import { deleteStatement, insertStatement, mergeStatement, updateStatement } from './dml.js';
import { coveringStrength, rowLockClauses, strengthLabel, type LockScope } from './row-locks.js';

/** A relation found in the tree; `location` is the UTF-8 byte offset of its name in the parsed text. */
export type FoundRelation = Omit<RelationRef, 'offset'> & { location: number };

/** CTE names visible at a query level (parse_cte.c: a level sees its own WITH and every enclosing one). */
export interface CteScope {
  names: ReadonlySet<string>;
  parent: CteScope | undefined;
}

function inScope(scope: CteScope | undefined, name: string): boolean {
  for (let s = scope; s !== undefined; s = s.parent) if (s.names.has(name)) return true;
  return false;
}

/** Unqualified relation names anywhere in a tree: the CTE dependency graph of a WITH RECURSIVE. */
function referencedNames(tree: unknown, out: Set<string> = new Set()): Set<string> {
  if (Array.isArray(tree)) {
    for (const item of tree) referencedNames(item, out);
    return out;
  }
  if (!isRecord(tree)) return out;
  const rv = nodeAs(tree, 'RangeVar');
  if (rv?.relname !== undefined && rv.schemaname === undefined) out.add(rv.relname);
  for (const value of Object.values(tree)) referencedNames(value, out);
  return out;
}

export class RelationWalker {
  readonly relations: FoundRelation[] = [];
  readonly rowLocks: RowLockClause[] = [];

  /** Any optimizable statement; `lockedFromParent` is the strength pushed down into a FROM subquery. */
  statement(node: unknown, scope: CteScope | undefined, context: string, lockedFromParent?: LockScope['fromParent']): void {
    const select = nodeAs(node, 'SelectStmt');
    if (select !== undefined) return this.select(select, scope, context, lockedFromParent);
    const insert = nodeAs(node, 'InsertStmt');
    if (insert !== undefined) return insertStatement(this, insert, scope, context);
    const update = nodeAs(node, 'UpdateStmt');
    if (update !== undefined) return updateStatement(this, update, scope, context);
    const del = nodeAs(node, 'DeleteStmt');
    if (del !== undefined) return deleteStatement(this, del, scope, context);
    const merge = nodeAs(node, 'MergeStmt');
    if (merge !== undefined) return mergeStatement(this, merge, scope, context);
  }

  /** transformWithClause: each CTE body in order; WITH RECURSIVE in dependency order (TopologicalSort). */
  withClause(clause: WithClause | undefined, outer: CteScope | undefined, context: string): CteScope | undefined {
    const ctes = list(clause?.ctes).flatMap((n) => {
      const cte = nodeAs(n, 'CommonTableExpr');
      return cte === undefined ? [] : [cte];
    });
    if (ctes.length === 0) return outer;
    const all = new Set(ctes.map((c) => c.ctename ?? ''));
    if (clause?.recursive === true) {
      const scope: CteScope = { names: all, parent: outer };
      const items = ctes.map((cte) => {
        const deps = new Set([...referencedNames(cte.ctequery)].filter((n) => all.has(n) && n !== cte.ctename));
        return { cte, deps };
      });
      // Same selection as parse_cte.c's TopologicalSort: first item without open dependencies, swapped into place.
      for (let i = 0; i < items.length; i++) {
        const j = items.findIndex((item, k) => k >= i && item.deps.size === 0);
        if (j < 0) break; // mutual recursion: Postgres rejects it; keep the written order
        const picked = items[j] as (typeof items)[number];
        items[j] = items[i] as (typeof items)[number];
        items[i] = picked;
        for (let k = i + 1; k < items.length; k++) items[k]?.deps.delete(picked.cte.ctename ?? '');
      }
      for (const { cte } of items) this.statement(cte.ctequery, scope, ` in WITH ${cte.ctename ?? ''}${context}`);
      return scope;
    }
    const visible = new Set<string>();
    for (const cte of ctes) {
      // A non-recursive CTE sees only the CTEs written before it.
      this.statement(cte.ctequery, { names: new Set(visible), parent: outer }, ` in WITH ${cte.ctename ?? ''}${context}`);
      visible.add(cte.ctename ?? '');
    }
    return { names: visible, parent: outer };
  }

  select(stmt: SelectStmt, outer: CteScope | undefined, context: string, lockedFromParent?: LockScope['fromParent']): void {
    const scope = this.withClause(stmt.withClause, outer, context);
    if (stmt.op !== undefined && stmt.op !== 'SETOP_NONE') {
      // transformSetOperationTree: leaves left to right, each its own level; ORDER BY / LIMIT of the whole after.
      if (stmt.larg !== undefined) this.select(stmt.larg, scope, context);
      if (stmt.rarg !== undefined) this.select(stmt.rarg, scope, context);
      this.expressions([stmt.sortClause, stmt.limitOffset, stmt.limitCount], scope, context);
      return;
    }
    if (list(stmt.valuesLists).length > 0) {
      this.expressions([stmt.valuesLists, stmt.sortClause, stmt.limitOffset, stmt.limitCount], scope, context);
      return;
    }
    const clauses = rowLockClauses(stmt.lockingClause);
    this.rowLocks.push(...clauses);
    const locks: LockScope = { clauses, fromParent: lockedFromParent };
    for (const item of list(stmt.fromClause)) this.fromItem(item, scope, locks, context);
    this.expressions(
      [
        stmt.targetList,
        stmt.whereClause,
        stmt.havingClause,
        stmt.sortClause,
        stmt.groupClause,
        stmt.distinctClause,
        stmt.limitOffset,
        stmt.limitCount,
        stmt.windowClause,
      ],
      scope,
      context,
    );
  }

  /** transformFromClauseItem for one item of a FROM (or USING, or MERGE source) list. */
  fromItem(item: Node, scope: CteScope | undefined, locks: LockScope, context: string, reason = 'FROM item'): void {
    const rv = nodeAs(item, 'RangeVar');
    if (rv !== undefined) {
      if (rv.schemaname === undefined && rv.relname !== undefined && inScope(scope, rv.relname)) return; // a CTE reference
      const strength = coveringStrength(locks, rv.alias?.aliasname ?? rv.relname);
      if (strength === undefined) this.add(rv, 'read', 'AccessShareLock', `${reason}${context}`);
      else this.add(rv, 'row-lock', 'RowShareLock', `${strengthLabel(strength)} target${context}`);
      return;
    }
    const join = nodeAs(item, 'JoinExpr');
    if (join !== undefined) {
      if (join.larg !== undefined) this.fromItem(join.larg, scope, locks, context, reason);
      if (join.rarg !== undefined) this.fromItem(join.rarg, scope, locks, context, reason);
      this.expressions(join.quals, scope, context);
      return;
    }
    const sub = nodeAs(item, 'RangeSubselect');
    if (sub !== undefined) {
      // transformRangeSubselect: the subquery is locked from its parent when the parent's clause covers its alias.
      const pushed = coveringStrength(locks, sub.alias?.aliasname);
      this.statement(sub.subquery, scope, ` in a FROM subquery${context}`, pushed);
      return;
    }
    const sample = nodeAs(item, 'RangeTableSample');
    if (sample !== undefined) {
      if (sample.relation !== undefined) this.fromItem(sample.relation, scope, locks, context, reason);
      this.expressions([sample.args, sample.repeatable], scope, context);
      return;
    }
    // Function calls (RangeFunction), XMLTABLE / JSON_TABLE: no relation, but their arguments may hold sublinks.
    this.expressions(item, scope, context);
  }

  /** Every sublink of an expression (or list of them), each analysed as its own query level. */
  expressions(tree: unknown, scope: CteScope | undefined, context: string): void {
    forEachSubLink(tree, (subselect) => this.statement(subselect, scope, ` in a sublink${context}`));
  }

  add(rv: RangeVar, role: RelationRef['role'], mode: LockMode, reason: string): void {
    if (rv.relname === undefined) return;
    this.relations.push({
      schema: rv.schemaname,
      name: rv.relname,
      alias: rv.alias?.aliasname,
      role,
      mode,
      inherit: rv.inh === true,
      reason,
      location: rv.location ?? 0,
    });
  }
}
