/** A planner-shaped model of a DML statement: query levels, FROM items, CTEs and sublinks, in Postgres' own orders. */
import type { Node, SubLink } from '@pgsql/types';
import { asNodes, conjuncts, findSubLinks, rangeVarOf, unwrap } from './ast.js';
import { hasAggregate } from './aggregates.js';
import { emptyLevel, type CteDef, type FromItem, type QueryLevel, type RelOccurrence, type SublinkDef } from './query-level.js';

export type { CteDef, FromItem, QueryLevel, RelOccurrence, SublinkDef } from './query-level.js';

interface Scope {
  ctes: Map<string, CteDef>;
  parent: Scope | undefined;
}

interface LockContext {
  /** Row locking applies to every FROM item of this level (FOR UPDATE without OF, or pushed from the parent). */
  all: boolean;
  /** Names/aliases listed in OF. */
  names: Set<string>;
}

const NO_LOCK: LockContext = { all: false, names: new Set() };

function lookupCte(scope: Scope | undefined, name: string): CteDef | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const found = s.ctes.get(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

export class ModelBuilder {
  /** Builds the model of one top-level statement node; undefined when it is not DML/SELECT. */
  build(stmt: Node): QueryLevel | undefined {
    return this.statement(stmt, undefined, NO_LOCK);
  }

  private statement(node: unknown, scope: Scope | undefined, pushed: LockContext): QueryLevel | undefined {
    const select = unwrap(node, 'SelectStmt');
    if (select !== undefined) return this.select(select, scope, pushed);
    const insert = unwrap(node, 'InsertStmt');
    if (insert !== undefined) return this.insert(insert, scope);
    const update = unwrap(node, 'UpdateStmt');
    if (update !== undefined) return this.updateOrDelete('update', update, scope);
    const del = unwrap(node, 'DeleteStmt');
    if (del !== undefined) return this.updateOrDelete('delete', del, scope);
    const merge = unwrap(node, 'MergeStmt');
    if (merge !== undefined) return this.merge(merge, scope);
    const explain = unwrap(node, 'ExplainStmt');
    if (explain !== undefined) return this.statement(explain['query'], scope, pushed);
    return undefined;
  }

  private withClause(withClause: unknown, scope: Scope | undefined): { scope: Scope; ctes: CteDef[] } {
    const own: Scope = { ctes: new Map(), parent: scope };
    const ctes: CteDef[] = [];
    const clause = withClause as { ctes?: unknown[]; recursive?: boolean } | undefined;
    for (const item of asNodes(clause?.ctes)) {
      const cte = unwrap(item, 'CommonTableExpr');
      if (cte === undefined) continue;
      const name = String(cte['ctename'] ?? '');
      const def: CteDef = {
        name,
        query: emptyLevel('select'),
        materialized:
          cte['ctematerialized'] === 'CTEMaterializeAlways'
            ? 'always'
            : cte['ctematerialized'] === 'CTEMaterializeNever'
              ? 'never'
              : 'default',
        recursive: clause?.recursive === true,
        references: 0,
      };
      // A recursive CTE may name itself; an ordinary CTE sees only the CTEs before it.
      if (def.recursive) own.ctes.set(name, def);
      def.query = this.statement(cte['ctequery'], own, NO_LOCK) ?? emptyLevel('select');
      own.ctes.set(name, def);
      ctes.push(def);
    }
    return { scope: own, ctes };
  }

  private select(select: Record<string, unknown>, outer: Scope | undefined, pushed: LockContext): QueryLevel {
    const level = emptyLevel('select');
    const { scope, ctes } = this.withClause(select['withClause'], outer);
    level.ctes = ctes;
    if (select['op'] !== undefined && select['op'] !== 'SETOP_NONE') {
      level.simple = false;
      for (const arm of [select['larg'], select['rarg']]) {
        const armLevel = this.select((arm ?? {}) as Record<string, unknown>, scope, NO_LOCK);
        level.setArms.push(...(armLevel.setArms.length > 0 && armLevel.from.length === 0 ? armLevel.setArms : [armLevel]));
      }
      level.setOpSublinks = this.sublinks([select['sortClause'], select['limitCount'], select['limitOffset']], scope, false);
      return level;
    }
    const locking = this.lockingContext(select['lockingClause'], pushed);
    const quals = conjuncts(select['whereClause']);
    level.from = asNodes(select['fromClause']).map((item) => this.fromItem(item, scope, locking, quals));
    // VALUES lists (a VALUES statement has no target list) and the target list come first.
    const target = this.sublinks([select['valuesLists'], select['targetList']], scope, false);
    const where = this.whereSublinks(select['whereClause'], scope);
    const rest = this.sublinks(
      [
        select['havingClause'],
        select['sortClause'],
        select['groupClause'],
        select['distinctClause'],
        select['limitCount'],
        select['limitOffset'],
      ],
      scope,
      false,
    );
    level.parseSublinks = [...target, ...where, ...rest];
    level.planSublinks = [...target, ...where, ...rest];
    level.simple = !(
      asNodes(select['groupClause']).length > 0 ||
      select['havingClause'] !== undefined ||
      asNodes(select['sortClause']).length > 0 ||
      asNodes(select['distinctClause']).length > 0 ||
      select['limitCount'] !== undefined ||
      select['limitOffset'] !== undefined ||
      ctes.length > 0 ||
      asNodes(select['windowClause']).length > 0 ||
      hasAggregate(select['targetList'])
    );
    // A VALUES list is a simple subquery too: pulled up, its expressions preprocessed with the parent's.
    return level;
  }

  private lockingContext(lockingClause: unknown, pushed: LockContext): LockContext {
    const context: LockContext = { all: pushed.all, names: new Set() };
    for (const item of asNodes(lockingClause)) {
      const clause = unwrap(item, 'LockingClause');
      if (clause === undefined) continue;
      const rels = asNodes(clause['lockedRels']);
      if (rels.length === 0) context.all = true;
      for (const rel of rels) {
        const rv = rangeVarOf(rel);
        if (rv?.relname !== undefined) context.names.add(rv.relname);
      }
    }
    return context;
  }

  private fromItem(item: unknown, scope: Scope | undefined, locking: LockContext, quals: unknown[]): FromItem {
    const rv = rangeVarOf(item);
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
      const locked = locking.all || locking.names.has(alias ?? name);
      return {
        kind: 'rel',
        rel: {
          schema: rv.schemaname,
          name,
          alias,
          inherit: rv.inh === true,
          mode: locked ? 'RowShareLock' : 'AccessShareLock',
          reason: locked ? 'row-locked FROM item (FOR UPDATE/SHARE)' : 'FROM item',
          quals,
          location: rv.location ?? 0,
        },
      };
    }
    const join = unwrap(item, 'JoinExpr');
    if (join !== undefined) {
      const joinQuals = join['jointype'] === 'JOIN_INNER' ? [...quals, ...conjuncts(join['quals'])] : quals;
      const left = this.fromItem(join['larg'], scope, locking, joinQuals);
      const right = this.fromItem(join['rarg'], scope, locking, joinQuals);
      // pull_up_sublinks handles EXISTS / IN at the top AND level of ON quals as it does WHERE's (inner and outer joins).
      return { kind: 'join', left, right, onSublinks: this.whereSublinks(join['quals'], scope) };
    }
    const sub = unwrap(item, 'RangeSubselect');
    if (sub !== undefined) {
      const alias = (sub['alias'] as { aliasname?: string } | undefined)?.aliasname;
      const lockedFromParent = locking.all || (alias !== undefined && locking.names.has(alias));
      const query = this.statement(sub['subquery'], scope, lockedFromParent ? { all: true, names: new Set() } : NO_LOCK);
      return query === undefined ? { kind: 'other', sublinks: [] } : { kind: 'subquery', query };
    }
    // A function in FROM (generate_series(1, (SELECT …))): its arguments' sublinks are SubPlans of this level.
    const fn = unwrap(item, 'RangeFunction');
    if (fn !== undefined) return { kind: 'other', sublinks: this.sublinks(fn['functions'], scope, false) };
    return { kind: 'other', sublinks: [] };
  }

  /** Sublinks of any expression list; each becomes its own query level. */
  private sublinks(tree: unknown, scope: Scope | undefined, pulledUp: boolean): SublinkDef[] {
    return findSubLinks(tree).flatMap((link) => this.sublink(link, scope, pulledUp));
  }

  private sublink(link: SubLink, scope: Scope | undefined, pulledUp: boolean): SublinkDef[] {
    const query = this.statement(link.subselect, scope, NO_LOCK);
    return query === undefined ? [] : [{ query, pulledUp }];
  }

  /** WHERE: EXISTS / NOT EXISTS / IN (…) at the top AND level are pulled up into joins (pull_up_sublinks). */
  private whereSublinks(where: unknown, scope: Scope | undefined): SublinkDef[] {
    const out: SublinkDef[] = [];
    for (const conjunct of conjuncts(where)) {
      const direct = unwrap(conjunct, 'SubLink') as SubLink | undefined;
      const negated = unwrap(conjunct, 'BoolExpr');
      const notExists =
        negated?.['boolop'] === 'NOT_EXPR' ? (unwrap(asNodes(negated['args'])[0], 'SubLink') as SubLink | undefined) : undefined;
      const link = direct ?? (notExists?.subLinkType === 'EXISTS_SUBLINK' ? notExists : undefined);
      if (link !== undefined && (link.subLinkType === 'EXISTS_SUBLINK' || link.subLinkType === 'ANY_SUBLINK')) {
        out.push(...this.sublink(link, scope, true));
        out.push(...this.sublinks(link.testexpr, scope, false));
      } else {
        out.push(...this.sublinks(conjunct, scope, false));
      }
    }
    return out;
  }

  private insert(insert: Record<string, unknown>, outer: Scope | undefined): QueryLevel {
    const level = emptyLevel('insert');
    const { scope, ctes } = this.withClause(insert['withClause'], outer);
    level.ctes = ctes;
    level.target = this.target(insert['relation'], 'INSERT target');
    const source = insert['selectStmt'];
    const sourceSelect = unwrap(source, 'SelectStmt');
    if (sourceSelect !== undefined && asNodes(sourceSelect['valuesLists']).length > 0 && sourceSelect['withClause'] === undefined) {
      level.parseSublinks = this.sublinks(sourceSelect['valuesLists'], scope, false);
    } else if (source !== undefined) {
      level.insertSource = this.statement(source, scope, NO_LOCK);
    }
    const conflict = insert['onConflictClause'] as
      { infer?: { conname?: string }; targetList?: unknown; whereClause?: unknown } | undefined;
    level.onConflictInference = conflict?.infer !== undefined;
    level.onConflictConstraint = conflict?.infer?.conname;
    const conflictLinks = this.sublinks([conflict?.targetList, conflict?.whereClause], scope, false);
    const returning = this.sublinks(insert['returningClause'], scope, false);
    level.parseSublinks = [...level.parseSublinks, ...conflictLinks, ...returning];
    level.planSublinks = [...level.parseSublinks];
    level.simple = false;
    return level;
  }

  private target(relation: unknown, reason: string): RelOccurrence | undefined {
    const rv = relation as
      { relname?: string; schemaname?: string; inh?: boolean; alias?: { aliasname?: string }; location?: number } | undefined;
    if (rv?.relname === undefined) return undefined;
    return {
      schema: rv.schemaname,
      name: rv.relname,
      alias: rv.alias?.aliasname,
      inherit: rv.inh === true,
      mode: 'RowExclusiveLock',
      reason,
      quals: [],
      location: rv.location ?? 0,
    };
  }

  private updateOrDelete(command: 'update' | 'delete', stmt: Record<string, unknown>, outer: Scope | undefined): QueryLevel {
    const level = emptyLevel(command);
    const { scope, ctes } = this.withClause(stmt['withClause'], outer);
    level.ctes = ctes;
    const quals = conjuncts(stmt['whereClause']);
    level.target = this.target(stmt['relation'], command === 'update' ? 'UPDATE target' : 'DELETE target');
    if (level.target !== undefined) level.target.quals = quals;
    const fromList = command === 'update' ? stmt['fromClause'] : stmt['usingClause'];
    level.from = asNodes(fromList).map((item) => this.fromItem(item, scope, NO_LOCK, quals));
    const where = this.whereSublinks(stmt['whereClause'], scope);
    const returning = this.sublinks(stmt['returningClause'], scope, false);
    const set = command === 'update' ? this.sublinks(stmt['targetList'], scope, false) : [];
    level.parseSublinks = [...where, ...returning, ...set];
    level.planSublinks = [...set, ...returning, ...where];
    level.simple = false;
    return level;
  }

  private merge(stmt: Record<string, unknown>, outer: Scope | undefined): QueryLevel {
    const level = emptyLevel('merge');
    const { scope, ctes } = this.withClause(stmt['withClause'], outer);
    level.ctes = ctes;
    level.target = this.target(stmt['relation'], 'MERGE target');
    level.from = [this.fromItem(stmt['sourceRelation'], scope, NO_LOCK, [])];
    level.parseSublinks = this.sublinks([stmt['joinCondition'], stmt['mergeWhenClauses']], scope, false);
    level.mergeSourceFirst = asNodes(stmt['mergeWhenClauses']).some((item) => {
      const clause = unwrap(item, 'MergeWhenClause');
      return clause?.['matchKind'] === 'MERGE_WHEN_NOT_MATCHED_BY_TARGET' || clause?.['matched'] === false;
    });
    level.planSublinks = [...level.parseSublinks];
    level.simple = false;
    return level;
  }
}

export { walkParseOrder } from './parse-order.js';
