/**
 * Locks a DDL or utility statement takes besides the main one the parser reports: indexes rebuilt or dropped,
 * referenced tables of foreign keys, partitions attached or detached, materialized-view sources (§4 of the rules).
 */
import type { Node } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation, structuralOwner } from '../catalog.js';
import { defElems, list, namesOf, nodeAs } from '../sql/ast.js';
import { indexesOf, relationOf, type AddCompanion } from './ddl-relations.js';
import { alterCompanions, createCompanions } from './ddl-table-companions.js';
import { LOCK_MODES } from '../lock-modes.js';
import { createIndexCompanions } from './ddl-created.js';
import { createTableRelations } from './ddl-create-table.js';
import { analyzePartitioned, dropPartitionedIndex } from './ddl-partitioned.js';
import { clusterCompanions, descendantsOf, rebuildIndexes, truncateCompanions } from './ddl-storage.js';
import type { LockRequest } from './fast-path.js';
import { rewriteStorage } from './alter-table-rewrite.js';
import type { InternalQuery } from './ddl-add-foreign-key.js';

/** The lock requests of planning and running a (materialized) view's query as a SELECT. */
export type ViewQuery = (view: CatalogRelation) => LockRequest[];

/** A qualified name written as a list of strings (DROP): [schema.]name. */
function named(catalog: Catalog, object: Node): CatalogRelation | undefined {
  const names = namesOf(object);
  return names.length === 2 ? resolveRelation(catalog, names[0], names[1] ?? '') : resolveRelation(catalog, undefined, names[0] ?? '');
}

function reindexCompanions(catalog: Catalog, reindex: NonNullable<ReturnType<typeof nodeAs<'ReindexStmt'>>>, add: AddCompanion): void {
  if (defElems(reindex.params).has('concurrently')) return;
  const target = relationOf(catalog, reindex.relation);
  if (reindex.kind === 'REINDEX_OBJECT_INDEX' && target !== undefined) {
    add(structuralOwner(catalog, target.oid), 'ShareLock', 'REINDEX locks the table of the index');
    add(target, 'AccessExclusiveLock', 'REINDEX rebuilds the index');
  } else if (reindex.kind === 'REINDEX_OBJECT_TABLE' && target !== undefined) {
    rebuildIndexes(catalog, target, add, 'REINDEX TABLE');
  }
}

function dropCompanions(catalog: Catalog, drop: NonNullable<ReturnType<typeof nodeAs<'DropStmt'>>>, add: AddCompanion): void {
  if (drop.removeType === 'OBJECT_INDEX' && drop.concurrent !== true) {
    for (const object of list(drop.objects)) {
      const index = named(catalog, object);
      if (index === undefined) continue;
      add(structuralOwner(catalog, index.oid), 'AccessExclusiveLock', 'DROP INDEX locks the table');
      dropPartitionedIndex(catalog, index, add);
    }
  }
  if (drop.removeType === 'OBJECT_TABLE') {
    for (const object of list(drop.objects))
      for (const index of indexesOf(catalog, named(catalog, object))) add(index, 'AccessExclusiveLock', 'dropped with its table');
  }
}

function refreshCompanions(
  catalog: Catalog,
  refresh: NonNullable<ReturnType<typeof nodeAs<'RefreshMatViewStmt'>>>,
  viewQuery: ViewQuery,
  add: AddCompanion,
): void {
  const mv = relationOf(catalog, refresh.relation);
  const name = mv?.qualifiedName ?? 'the materialized view';
  // The query's locks in the order a SELECT of it takes them: its relations, then the planner's partitions and indexes.
  for (const request of mv?.viewDefinition !== undefined ? viewQuery(mv) : [])
    add(request.relation, request.mode, `${request.reason} (the query of ${name})`);
  if (refresh.concurrent === true) {
    add(mv, 'AccessShareLock', 'REFRESH … CONCURRENTLY reads the old contents');
    add(mv, 'RowExclusiveLock', 'REFRESH … CONCURRENTLY applies the diff');
    for (const index of indexesOf(catalog, mv)) {
      add(index, 'AccessShareLock', 'unique index used for the diff');
      add(index, 'RowExclusiveLock', 'index maintained by the diff');
    }
    return;
  }
  add(mv, 'ExclusiveLock', 'REFRESH locks the materialized view against concurrent refreshes');
  // Measured: PostgreSQL 15 also holds AccessShareLock on the matview afterwards; 18 does not.
  if (catalog.profile.versionNum < 180000) add(mv, 'AccessShareLock', 'REFRESH reads the materialized view');
  // refresh_by_heap_swap: finish_heap_swap without swapping TOAST by content, as a table rewrite of ALTER TABLE.
  if (mv !== undefined) rewriteStorage(catalog, mv, add, 'REFRESH');
}

/** Companion lock requests for one utility statement's tree; the main relation locks come from the parser. */
export function ddlCompanions(catalog: Catalog, stmt: Node, viewQuery: ViewQuery, internalQuery: InternalQuery): LockRequest[] {
  const out: LockRequest[] = [];
  const add: AddCompanion = (relation, mode, reason, createdOwner) => {
    if (relation === undefined) return;
    // A negative OID marks a relation the statement creates in place of the existing one (successorOf).
    const oid = relation.oid < -(2 ** 32) ? 0 : Math.abs(relation.oid);
    const cause =
      relation.relkind === 'toast' || relation.schema === 'pg_toast' || structuralOwner(catalog, oid)?.toastIndexOid === oid
        ? 'toast'
        : 'ddl-companion';
    const owner = createdOwner ?? (relation.oid < 0 ? structuralOwner(catalog, oid) : undefined);
    out.push({ relation, mode, phase: 'plan', cause, owner, reason });
  };
  const truncate = nodeAs(stmt, 'TruncateStmt');
  if (truncate !== undefined) truncateCompanions(catalog, truncate, add);
  const lock = nodeAs(stmt, 'LockStmt');
  for (const node of list(lock?.relations)) {
    const rv = nodeAs(node, 'RangeVar');
    if (rv?.inh === false) continue;
    const mode = LOCK_MODES[(lock?.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
    const table = relationOf(catalog, rv);
    // LockTableRecurse locks find_all_inheritors' list: level by level, each level's children in OID order.
    for (const child of table === undefined ? [] : descendantsOf(catalog, table)) add(child, mode, 'LOCK TABLE recurses into descendants');
  }
  const createIndex = nodeAs(stmt, 'IndexStmt');
  if (createIndex !== undefined) createIndexCompanions(catalog, createIndex, add);
  const reindex = nodeAs(stmt, 'ReindexStmt');
  if (reindex !== undefined) reindexCompanions(catalog, reindex, add);
  const drop = nodeAs(stmt, 'DropStmt');
  if (drop !== undefined) dropCompanions(catalog, drop, add);
  const analyze = nodeAs(stmt, 'VacuumStmt');
  if (analyze !== undefined && analyze.is_vacuumcmd !== true) {
    for (const rel of list(analyze.rels)) {
      const table = relationOf(catalog, nodeAs(rel, 'VacuumRelation')?.relation);
      if (table?.relkind === 'partitioned-table') analyzePartitioned(catalog, table, add);
      else for (const index of indexesOf(catalog, table)) add(index, 'AccessShareLock', 'ANALYZE reads index statistics');
    }
  }
  const cluster = nodeAs(stmt, 'ClusterStmt');
  const clustered = relationOf(catalog, cluster?.relation);
  // CLUSTER of a partitioned table cannot run in a transaction block and clusters each leaf on its own: not modelled.
  if (clustered?.relkind === 'table') {
    const index = cluster?.indexname === undefined ? undefined : resolveRelation(catalog, clustered.schema, cluster.indexname);
    clusterCompanions(catalog, clustered, index, add);
  }
  const refresh = nodeAs(stmt, 'RefreshMatViewStmt');
  if (refresh !== undefined) refreshCompanions(catalog, refresh, viewQuery, add);
  const comment = nodeAs(stmt, 'CommentStmt');
  if (comment?.objtype === 'OBJECT_TABLE' || comment?.objtype === 'OBJECT_COLUMN') {
    add(resolveRelation(catalog, 'pg_catalog', 'pg_description'), 'RowExclusiveLock', 'COMMENT writes pg_description and keeps it locked');
  }
  const alterSeq = nodeAs(stmt, 'AlterSeqStmt');
  if (alterSeq !== undefined) add(relationOf(catalog, alterSeq.sequence), 'RowExclusiveLock', 'ALTER SEQUENCE rewrites the sequence tuple');
  const create = nodeAs(stmt, 'CreateStmt');
  if (create !== undefined) {
    createCompanions(catalog, create, add);
    createTableRelations(catalog, create, add);
  }
  const alter = nodeAs(stmt, 'AlterTableStmt');
  if (alter !== undefined) alterCompanions(catalog, alter, internalQuery, add);
  return out;
}
