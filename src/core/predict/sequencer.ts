/**
 * Turns a statement's query model into lock requests in the order Postgres takes them:
 * parse (names in the statement), rewrite (view base relations), plan (indexes, inheritance, partitions).
 * The model is read, never changed: a statement's model is shared by every prediction of it.
 */
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import type { LockCause } from '../lock-plan.js';
import type { LockMode } from '../lock-modes.js';
import { walkParseOrder } from '../sql/parse-order.js';
import type { FromItem, QueryLevel, RelOccurrence } from '../sql/query-level.js';
import type { LockRequest } from './fast-path.js';
import { prunePartitions } from './pruning.js';

export interface SequencerOptions {
  /** server_version_num ≥ 160000: the planner also locks a partitioned parent's partitioned indexes. */
  locksPartitionedIndexes: boolean;
  /** Generic plan of a prepared statement: no planner index locks, no plan-time pruning. */
  generic: boolean;
  /** A fresh query model of a view's definition (undefined when it does not parse). */
  viewModel: (view: CatalogRelation) => QueryLevel | undefined;
}

/** How parse analysis opened an occurrence, when it differs from the occurrence as written (a view's base relations). */
interface Opened {
  mode: LockMode;
  reason: string;
  cause: LockCause;
  owner: CatalogRelation | undefined;
}

const CAUSES: Record<RelOccurrence['role'], LockCause> = {
  read: 'from-item',
  'row-lock': 'row-lock-target',
  'write-target': 'statement-target',
};

export class LockSequencer {
  readonly requests: LockRequest[] = [];
  readonly notes: string[] = [];
  readonly unknown: string[] = [];
  private readonly resolved = new Map<RelOccurrence, CatalogRelation>();
  /** Base relations of expanded views: opened as the view's, in RowShareLock when a FOR UPDATE was pushed down. */
  private readonly opened = new Map<RelOccurrence, Opened>();
  /** A view's expanded query, by the occurrence that named it. */
  private readonly views = new Map<RelOccurrence, QueryLevel>();

  constructor(
    private readonly catalog: Catalog,
    private readonly options: SequencerOptions,
  ) {}

  /** All three phases for one statement's top query level. */
  run(level: QueryLevel): void {
    this.parseLevel(level);
    this.rewriteLevel(level);
    this.planLevel(level);
  }

  relationOf(occurrence: RelOccurrence): CatalogRelation | undefined {
    return this.resolved.get(occurrence);
  }

  private request(relation: CatalogRelation, mode: LockMode, cause: LockCause, owner: CatalogRelation | undefined, reason: string): void {
    this.requests.push({ relation, mode, phase: 'plan', cause, owner, reason });
  }

  /** The mode parse analysis took on an occurrence, which planning takes on its indexes and partitions too. */
  private modeOf(occurrence: RelOccurrence): LockMode {
    return this.opened.get(occurrence)?.mode ?? occurrence.mode;
  }

  // ---- parse analysis: every name, in transform order -------------------------------------------------------

  private parseLevel(level: QueryLevel): void {
    walkParseOrder(level, (occurrence) => this.parseRel(occurrence));
  }

  private parseRel(occurrence: RelOccurrence): void {
    const relation = resolveRelation(this.catalog, occurrence.schema, occurrence.name);
    const written = occurrence.schema !== undefined ? `${occurrence.schema}.${occurrence.name}` : occurrence.name;
    if (relation === undefined) {
      this.unknown.push(written);
      return;
    }
    this.resolved.set(occurrence, relation);
    const opened = this.opened.get(occurrence);
    if (opened !== undefined) return this.request(relation, opened.mode, opened.cause, opened.owner, opened.reason);
    const reason = occurrence.role === 'row-lock' ? 'row-locked FROM item (FOR UPDATE/SHARE)' : occurrence.reason;
    this.request(relation, occurrence.mode, CAUSES[occurrence.role], undefined, reason);
  }

  // ---- rewrite: views are replaced by their queries, whose relations are locked (AcquireRewriteLocks) ------

  private rewriteLevel(level: QueryLevel): void {
    const visit = (item: FromItem): void => {
      if (item.kind === 'join') {
        visit(item.left);
        visit(item.right);
        for (const link of item.onSublinks) this.rewriteLevel(link.query);
      } else if (item.kind === 'subquery') this.rewriteLevel(item.query);
      else if (item.kind === 'rel') this.expandView(item.rel);
      else if (item.kind === 'other') for (const link of item.sublinks) this.rewriteLevel(link.query);
    };
    if (level.insertSource !== undefined) this.rewriteLevel(level.insertSource);
    level.from.forEach(visit);
    for (const arm of level.setArms) this.rewriteLevel(arm);
    for (const cte of level.ctes) this.rewriteLevel(cte.query);
    for (const link of level.parseSublinks) this.rewriteLevel(link.query);
    for (const link of level.setOpSublinks) this.rewriteLevel(link.query);
  }

  private expandView(occurrence: RelOccurrence): void {
    const relation = this.resolved.get(occurrence);
    if (relation?.relkind !== 'view' || relation.viewDefinition === undefined) return;
    const model = this.options.viewModel(relation);
    if (model === undefined) {
      this.notes.push(`The definition of view ${relation.qualifiedName} could not be analysed; its base relations are missing.`);
      return;
    }
    // A FOR UPDATE covering the view is pushed down: its base relations are opened in RowShareLock.
    const pushed = this.modeOf(occurrence) === 'RowShareLock';
    walkParseOrder(model, (item) => {
      const upgrade = pushed && item !== model.target && item.mode === 'AccessShareLock';
      this.opened.set(item, {
        mode: upgrade ? 'RowShareLock' : item.mode,
        reason: upgrade ? 'base relation of a row-locked view (FOR UPDATE pushed down)' : `base relation of view ${relation.qualifiedName}`,
        cause: 'view-base',
        owner: relation,
      });
    });
    this.parseLevel(model);
    this.views.set(occurrence, model);
    // ApplyRetrieveRule expands views nested in this one right away (fireRIRrules recursion).
    this.rewriteLevel(model);
  }

  // ---- planning ----------------------------------------------------------------------------------------------

  private planLevel(level: QueryLevel): void {
    for (const cte of level.ctes) {
      if (cteIsInlined(cte.query, cte)) continue;
      // An unreferenced SELECT CTE is never planned (SS_process_ctes skips it).
      if (cte.references === 0 && cte.query.command === 'select') continue;
      this.planLevel(cte.query);
    }
    const jointree: RelOccurrence[] = [];
    const deferred: QueryLevel[] = [];
    const flattenedSublinkLevels: QueryLevel[] = [];
    // MERGE with NOT MATCHED actions joins the source (left) to the target (right): the target's indexes come after.
    const targetLast = level.command === 'merge' && level.mergeSourceFirst;
    if (level.target !== undefined && level.command !== 'insert' && !targetLast) jointree.push(level.target);
    const flatten = (item: FromItem): void => {
      switch (item.kind) {
        case 'rel': {
          const view = this.views.get(item.rel);
          if (view !== undefined) flattenLevel(view);
          else jointree.push(item.rel);
          return;
        }
        case 'join':
          flatten(item.left);
          flatten(item.right);
          // An ON-clause sublink pulled up becomes a semi/anti join right here in the tree; others are SubPlans.
          for (const link of item.onSublinks) {
            if (link.pulledUp && link.query.simple) flattenLevel(link.query);
            else onSubPlans.push(link.query);
          }
          return;
        case 'subquery':
          flattenLevel(item.query);
          return;
        case 'cte-ref':
          if (cteIsInlined(item.cte.query, item.cte)) flattenLevel(item.cte.query);
          return;
        case 'other':
          // subquery_planner preprocesses RTE function expressions after the query's own expressions.
          for (const link of item.sublinks) rteSubPlans.push(link.query);
          return;
      }
    };
    const flattenLevel = (sub: QueryLevel): void => {
      if (!sub.simple || sub.setArms.length > 0) {
        deferred.push(sub);
        return;
      }
      // pull_up_subqueries: the subquery's FROM items take its place in the parent's join tree.
      sub.from.forEach(flatten);
      for (const link of sub.planSublinks) {
        if (link.pulledUp && link.query.simple) pulledUp.push(link.query);
        else flattenedSublinkLevels.push(link.query);
      }
    };
    const pulledUp: QueryLevel[] = [];
    const onSubPlans: QueryLevel[] = [];
    const rteSubPlans: QueryLevel[] = [];
    if (level.insertSource !== undefined) flattenLevel(level.insertSource);
    level.from.forEach(flatten);
    if (level.target !== undefined && targetLast) jointree.push(level.target);
    for (const link of level.planSublinks) if (link.pulledUp && link.query.simple) pulledUp.push(link.query);
    // A pulled-up sublink becomes a semi/anti join whose right side is appended to the join tree.
    for (let i = 0; i < pulledUp.length; i++) {
      const sub = pulledUp[i];
      if (sub !== undefined) flattenLevel(sub);
    }
    // Sublinks left as SubPlans are planned while expressions are preprocessed, before the join tree.
    for (const link of level.planSublinks) if (!(link.pulledUp && link.query.simple)) this.planLevel(link.query);
    for (const sub of flattenedSublinkLevels) this.planLevel(sub);
    for (const sub of onSubPlans) this.planLevel(sub);
    // A set operation's LIMIT / OFFSET sublinks are preprocessed by subquery_planner before plan_set_operations.
    for (const link of level.setOpSublinks) this.planLevel(link.query);
    for (const sub of rteSubPlans) this.planLevel(sub);

    const parents: RelOccurrence[] = [];
    for (const occurrence of jointree) {
      const relation = this.resolved.get(occurrence);
      if (relation === undefined) continue;
      const mode = this.modeOf(occurrence);
      if (occurrence.inherit && hasChildren(relation)) {
        if (relation.relkind === 'partitioned-table' && this.options.locksPartitionedIndexes) this.lockIndexes(relation, mode);
        parents.push(occurrence);
      } else this.lockIndexes(relation, mode);
    }
    for (const occurrence of parents) {
      const relation = this.resolved.get(occurrence);
      if (relation !== undefined) this.expandInheritance(relation, occurrence);
    }
    for (const sub of deferred) this.planLevel(sub);
    for (const arm of level.setArms) this.planLevel(arm);
    if (level.command === 'insert' && level.onConflictInference && level.target !== undefined) {
      const target = this.resolved.get(level.target);
      if (target !== undefined) this.lockArbiterIndexes(target, level.onConflictConstraint);
    }
  }

  /**
   * infer_arbiter_indexes opens the target's indexes in OID order; with ON CONSTRAINT it returns as soon as it
   * reaches that constraint's index, so later indexes stay unlocked.
   */
  private lockArbiterIndexes(target: CatalogRelation, constraint: string | undefined): void {
    if (this.options.generic) return;
    for (const index of target.indexes) {
      const indexRelation = this.catalog.relations.get(index.oid);
      if (indexRelation === undefined) continue;
      const why = `ON CONFLICT arbiter inference opens the indexes of ${target.qualifiedName}`;
      this.request(indexRelation, 'RowExclusiveLock', 'arbiter-index', target, why);
      if (constraint !== undefined && indexRelation.name === constraint) return;
    }
  }

  private lockIndexes(relation: CatalogRelation, mode: LockMode, why = 'the planner opens every index of'): void {
    if (this.options.generic) return;
    for (const index of relation.indexes) {
      const indexRelation = this.catalog.relations.get(index.oid);
      if (indexRelation === undefined) continue;
      const suffix = index.valid ? '' : ' (invalid, still locked)';
      this.request(indexRelation, mode, 'planner-index', relation, `${why} ${relation.qualifiedName}${suffix}`);
    }
  }

  private expandInheritance(parent: CatalogRelation, occurrence: RelOccurrence): void {
    if (parent.relkind === 'partitioned-table') {
      this.expandPartitions(parent, occurrence);
      return;
    }
    // find_all_inheritors locks every descendant first (children by OID, level by level), before exclusion.
    const mode = this.modeOf(occurrence);
    const members: Array<{ child: CatalogRelation; of: CatalogRelation }> = [];
    const queue = [parent];
    const seen = new Set<number>([parent.oid]);
    for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
      for (const childOid of current.inheritanceChildren) {
        const child = this.catalog.relations.get(childOid);
        if (seen.has(childOid) || child === undefined) continue;
        seen.add(childOid);
        queue.push(child);
        members.push({ child, of: current });
      }
    }
    for (const { child, of } of members) this.request(child, mode, 'inheritance-child', of, `inheritance child of ${parent.qualifiedName}`);
    for (const member of [parent, ...members.map((m) => m.child)]) this.lockIndexes(member, mode);
  }

  private expandPartitions(parent: CatalogRelation, occurrence: RelOccurrence): void {
    this.lockAncestorsForQual(parent);
    const { live, note } = this.options.generic
      ? {
          live: parent.partitions.map((o) => this.catalog.relations.get(o)).filter((r): r is CatalogRelation => r !== undefined),
          note: undefined,
        }
      : prunePartitions(this.catalog, parent, occurrence.alias, occurrence.quals);
    if (note !== undefined) this.notes.push(note);
    const mode = this.modeOf(occurrence);
    for (const partition of live) {
      this.request(partition, mode, 'partition', parent, `partition of ${parent.qualifiedName} kept by plan-time pruning`);
      if (partition.relkind === 'partitioned-table') {
        if (this.options.locksPartitionedIndexes) this.lockIndexes(partition, mode);
        this.expandPartitions(partition, occurrence);
      } else this.lockIndexes(partition, mode);
    }
  }

  /**
   * A partitioned relation that is itself a partition gets its partition constraint when it is planned
   * (set_relation_partition_info → RelationGetPartitionQual), and generate_partition_qual opens each ancestor in
   * AccessShareLock. The constraint is then cached for the backend's life (rd_partcheck, until an invalidation), so
   * this is the lock of a connection's first plan: Lockscope predicts that cold case.
   */
  private lockAncestorsForQual(partition: CatalogRelation): void {
    const seen = new Set<number>([partition.oid]);
    for (let up = this.parentOf(partition); up !== undefined && !seen.has(up.oid); up = this.parentOf(up)) {
      seen.add(up.oid);
      const why = `partition constraint of ${partition.qualifiedName}, built when a connection first plans it, reads its ancestors`;
      this.request(up, 'AccessShareLock', 'partition-constraint', undefined, why);
    }
  }

  private parentOf(relation: CatalogRelation): CatalogRelation | undefined {
    return relation.partitionOf === undefined ? undefined : this.catalog.relations.get(relation.partitionOf);
  }
}

function hasChildren(relation: CatalogRelation): boolean {
  return relation.relkind === 'partitioned-table' || relation.inheritanceChildren.length > 0;
}

/** PG 12+: a non-recursive SELECT CTE referenced once (or NOT MATERIALIZED) is inlined as a subquery. */
function cteIsInlined(query: QueryLevel, cte: { materialized: string; recursive: boolean; references: number }): boolean {
  if (cte.recursive || query.command !== 'select') return false;
  return cte.materialized === 'never' || (cte.materialized === 'default' && cte.references === 1);
}
