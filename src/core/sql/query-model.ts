/**
 * Builds the query model of a DML statement from its parse tree: query levels, FROM items, CTEs and sublinks, each
 * relation occurrence with its role, lock mode and reason. Built once per parsed statement; the SQL layer lists the
 * statement's relations from it and the predictor plans from it.
 */
import type { Node, SelectStmt, SubLink, WithClause } from '@pgsql/types';
import { conjuncts, list, nodeAs, subLinksOf, unqualifiedRelationNames } from './ast.js';
import { hasAggregate } from './aggregates.js';
import { deleteLevel, insertLevel, mergeLevel, updateLevel } from './query-model-dml.js';
import {
  emptyLevel,
  occurrence,
  type CteDef,
  type FromItem,
  type LevelBuilder,
  type QueryLevel,
  type Scope,
  type SublinkDef,
} from './query-level.js';
import { coveringStrength, rowLockClauses, strengthLabel, type LockScope } from './row-locks.js';

function lookupCte(scope: Scope | undefined, name: string): CteDef | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const found = s.ctes.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

const MATERIALIZED: Record<string, CteDef['materialized']> = { CTEMaterializeAlways: 'always', CTEMaterializeNever: 'never' };

/** A set-operation node that is only a branch point (its arms are the leaves); anything else is its own level. */
function isBareSetOp(stmt: SelectStmt): boolean {
  return (
    stmt.op !== undefined &&
    stmt.op !== 'SETOP_NONE' &&
    stmt.withClause === undefined &&
    list(stmt.sortClause).length === 0 &&
    stmt.limitCount === undefined &&
    stmt.limitOffset === undefined &&
    list(stmt.lockingClause).length === 0
  );
}

export class ModelBuilder implements LevelBuilder {
  /** The model of one top-level statement node (EXPLAIN is its statement); undefined when it is not DML/SELECT. */
  build(stmt: Node): QueryLevel | undefined {
    return this.statement(stmt, undefined, undefined, '');
  }

  /** Any optimizable statement; `pushed` is the row-lock strength a locked parent level pushes into a FROM subquery. */
  statement(node: Node | undefined, scope: Scope | undefined, pushed: LockScope['fromParent'], context: string): QueryLevel | undefined {
    const select = nodeAs(node, 'SelectStmt');
    if (select !== undefined) return this.select(select, scope, pushed, context);
    const insert = nodeAs(node, 'InsertStmt');
    if (insert !== undefined) return insertLevel(this, insert, scope, context);
    const update = nodeAs(node, 'UpdateStmt');
    if (update !== undefined) return updateLevel(this, update, scope, context);
    const del = nodeAs(node, 'DeleteStmt');
    if (del !== undefined) return deleteLevel(this, del, scope, context);
    const merge = nodeAs(node, 'MergeStmt');
    if (merge !== undefined) return mergeLevel(this, merge, scope, context);
    const explain = nodeAs(node, 'ExplainStmt');
    if (explain !== undefined) return this.statement(explain.query, scope, pushed, context);
    return undefined;
  }

  /**
   * transformWithClause: each CTE body in order, a non-recursive CTE seeing only the ones before it; WITH RECURSIVE
   * sees every name and is analysed in dependency order (TopologicalSort). Fills the level's CTE lists.
   */
  withClause(clause: WithClause | undefined, outer: Scope | undefined, level: QueryLevel, context: string): Scope | undefined {
    const nodes = list(clause?.ctes).flatMap((n) => {
      const cte = nodeAs(n, 'CommonTableExpr');
      return cte === undefined ? [] : [cte];
    });
    if (nodes.length === 0) return outer;
    const recursive = clause?.recursive === true;
    const defs = nodes.map((cte): CteDef => ({
      name: cte.ctename ?? '',
      query: emptyLevel('select'),
      materialized: MATERIALIZED[cte.ctematerialized ?? ''] ?? 'default',
      recursive,
      references: 0,
    }));
    const own: Scope = { ctes: new Map(), parent: outer };
    let order = nodes.map((_, i) => i);
    if (recursive) {
      for (const def of defs) own.ctes.set(def.name, def);
      order = dependencyOrder(
        nodes.map((n) => n.ctequery),
        defs,
      );
    }
    for (const i of order) {
      const def = defs[i] as CteDef;
      const body = (nodes[i] as (typeof nodes)[number]).ctequery;
      def.query = this.statement(body, own, undefined, ` in WITH ${def.name}${context}`) ?? emptyLevel('select');
      own.ctes.set(def.name, def);
    }
    level.ctes = defs;
    level.cteParseOrder = order.map((i) => defs[i] as CteDef);
    return own;
  }

  select(stmt: SelectStmt, outer: Scope | undefined, pushed: LockScope['fromParent'], context: string): QueryLevel {
    const level = emptyLevel('select');
    const scope = this.withClause(stmt.withClause, outer, level, context);
    if (stmt.op !== undefined && stmt.op !== 'SETOP_NONE') {
      // transformSetOperationTree: leaves left to right, each its own level; ORDER BY / LIMIT of the whole after.
      // The spine of a long UNION is walked with a stack: it is as deep as the UNION is long.
      level.simple = false;
      const stack = [stmt.rarg, stmt.larg];
      while (stack.length > 0) {
        const arm = stack.pop();
        if (arm === undefined) continue;
        if (isBareSetOp(arm)) stack.push(arm.rarg, arm.larg);
        else level.setArms.push(this.select(arm, scope, undefined, context));
      }
      level.setOpSublinks = this.sublinks([stmt.sortClause, stmt.limitOffset, stmt.limitCount], scope, context);
      return level;
    }
    level.rowLocks = rowLockClauses(stmt.lockingClause);
    const locks: LockScope = { clauses: level.rowLocks, fromParent: pushed };
    const quals = conjuncts(stmt.whereClause);
    level.from = list(stmt.fromClause).map((item) => this.fromItem(item, scope, locks, quals, context));
    // VALUES lists (a VALUES statement has no target list) and the target list come first.
    const target = this.sublinks([stmt.valuesLists, stmt.targetList], scope, context);
    const where = this.whereSublinks(stmt.whereClause, scope, context);
    const having = this.sublinks(stmt.havingClause, scope, context);
    const sortGroupDistinct = this.sublinks([stmt.sortClause, stmt.groupClause, stmt.distinctClause], scope, context);
    const offset = this.sublinks(stmt.limitOffset, scope, context);
    const limit = this.sublinks(stmt.limitCount, scope, context);
    const window = this.sublinks(stmt.windowClause, scope, context);
    level.parseSublinks = [...target, ...where, ...having, ...sortGroupDistinct, ...offset, ...limit, ...window];
    level.planSublinks = [...target, ...where, ...having, ...sortGroupDistinct, ...limit, ...offset, ...window];
    level.simple = !(
      list(stmt.groupClause).length > 0 ||
      stmt.havingClause !== undefined ||
      list(stmt.sortClause).length > 0 ||
      list(stmt.distinctClause).length > 0 ||
      stmt.limitCount !== undefined ||
      stmt.limitOffset !== undefined ||
      level.ctes.length > 0 ||
      list(stmt.windowClause).length > 0 ||
      hasAggregate(stmt.targetList)
    );
    // A VALUES list is a simple subquery too: pulled up, its expressions preprocessed with the parent's.
    return level;
  }

  /** transformFromClauseItem for one item of a FROM (or USING, or MERGE source) list. */
  fromItem(
    item: Node | undefined,
    scope: Scope | undefined,
    locks: LockScope,
    quals: Node[],
    context: string,
    reason = 'FROM item',
  ): FromItem {
    const rv = nodeAs(item, 'RangeVar');
    if (rv !== undefined) {
      const name = rv.relname ?? '';
      const alias = rv.alias?.aliasname;
      if (rv.schemaname === undefined) {
        const cte = lookupCte(scope, name);
        if (cte !== undefined) {
          cte.references += 1;
          return { kind: 'cte-ref', cte };
        }
      }
      const strength = coveringStrength(locks, alias ?? name);
      const rel =
        strength === undefined
          ? occurrence(rv, 'read', reason, context)
          : { ...occurrence(rv, 'row-lock', `${strengthLabel(strength)} target`, context), strength };
      rel.quals = quals;
      return { kind: 'rel', rel };
    }
    const join = nodeAs(item, 'JoinExpr');
    if (join !== undefined) {
      const joinQuals = join.jointype === 'JOIN_INNER' ? [...quals, ...conjuncts(join.quals)] : quals;
      const left = this.fromItem(join.larg, scope, locks, joinQuals, context, reason);
      const right = this.fromItem(join.rarg, scope, locks, joinQuals, context, reason);
      // pull_up_sublinks handles EXISTS / IN at the top AND level of ON quals as it does WHERE's (inner and outer joins).
      return { kind: 'join', left, right, onSublinks: this.whereSublinks(join.quals, scope, context) };
    }
    const sub = nodeAs(item, 'RangeSubselect');
    if (sub !== undefined) {
      // transformRangeSubselect: the subquery is locked from its parent when the parent's clause covers its alias.
      const query = this.statement(sub.subquery, scope, coveringStrength(locks, sub.alias?.aliasname), ` in a FROM subquery${context}`);
      return query === undefined ? { kind: 'other', sublinks: [] } : { kind: 'subquery', query };
    }
    const sample = nodeAs(item, 'RangeTableSample');
    if (sample !== undefined) return this.fromItem(sample.relation, scope, locks, quals, context, reason);
    // Functions in FROM (generate_series(1, (SELECT …))), XMLTABLE, JSON_TABLE: their sublinks are SubPlans of the level.
    return { kind: 'other', sublinks: this.sublinks(item, scope, context) };
  }

  /** Sublinks of any expression list; each becomes its own query level. */
  sublinks(tree: unknown, scope: Scope | undefined, context: string): SublinkDef[] {
    return subLinksOf(tree).flatMap((link) => this.sublink(link, scope, false, context));
  }

  private sublink(link: SubLink, scope: Scope | undefined, pulledUp: boolean, context: string): SublinkDef[] {
    const query = this.statement(link.subselect, scope, undefined, ` in a sublink${context}`);
    return query === undefined ? [] : [{ query, pulledUp }];
  }

  /** WHERE: EXISTS / NOT EXISTS / IN (…) at the top AND level are pulled up into joins (pull_up_sublinks). */
  whereSublinks(where: Node | undefined, scope: Scope | undefined, context: string): SublinkDef[] {
    const out: SublinkDef[] = [];
    for (const conjunct of conjuncts(where)) {
      const direct = nodeAs(conjunct, 'SubLink');
      const negated = nodeAs(conjunct, 'BoolExpr');
      const notExists = negated?.boolop === 'NOT_EXPR' ? nodeAs(list(negated.args)[0], 'SubLink') : undefined;
      const link = direct ?? (notExists?.subLinkType === 'EXISTS_SUBLINK' ? notExists : undefined);
      if (link !== undefined && (link.subLinkType === 'EXISTS_SUBLINK' || link.subLinkType === 'ANY_SUBLINK')) {
        out.push(...this.sublink(link, scope, true, context));
        out.push(...this.sublinks(link.testexpr, scope, context));
      } else {
        out.push(...this.sublinks(conjunct, scope, context));
      }
    }
    return out;
  }
}

/** WITH RECURSIVE: parse_cte.c's TopologicalSort — the first item without open dependencies, swapped into place. */
function dependencyOrder(bodies: Array<Node | undefined>, defs: CteDef[]): number[] {
  const names = new Set(defs.map((d) => d.name));
  const items = bodies.map((body, i) => ({
    index: i,
    deps: new Set([...unqualifiedRelationNames(body)].filter((n) => names.has(n) && n !== defs[i]?.name)),
  }));
  for (let i = 0; i < items.length; i++) {
    const j = items.findIndex((item, k) => k >= i && item.deps.size === 0);
    if (j < 0) break; // mutual recursion: PostgreSQL rejects it; keep the written order
    const picked = items[j] as (typeof items)[number];
    items[j] = items[i] as (typeof items)[number];
    items[i] = picked;
    for (let k = i + 1; k < items.length; k++) items[k]?.deps.delete(defs[picked.index]?.name ?? '');
  }
  return items.map((item) => item.index);
}
