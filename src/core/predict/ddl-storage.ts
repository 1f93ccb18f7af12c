/**
 * Relations a statement that replaces a table's storage locks: TRUNCATE (named tables, their partitions and
 * inheritance children, CASCADE through foreign keys, RESTART IDENTITY sequences) and the index rebuild every storage
 * replacement ends with (reindex_relation with REINDEX_REL_PROCESS_TOAST: the heap, its indexes, its TOAST table and
 * the TOAST index).
 */
import type { TruncateStmt } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { list, nodeAs } from '../sql/ast.js';
import { indexesOf, relationOf, type AddCompanion } from './ddl-relations.js';

/** find_all_inheritors: every descendant (partitions and inheritance children), level by level, children by OID. */
export function descendantsOf(catalog: Catalog, relation: CatalogRelation): CatalogRelation[] {
  const out: CatalogRelation[] = [];
  const seen = new Set<number>([relation.oid]);
  const queue = [relation];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    const children = [...current.partitions, ...current.inheritanceChildren].sort((a, b) => a - b);
    for (const oid of children) {
      const child = catalog.relations.get(oid);
      if (child === undefined || seen.has(oid)) continue;
      seen.add(oid);
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/** reindex_relation(REINDEX_REL_PROCESS_TOAST): ShareLock on the heap, each index rebuilt, then the same on TOAST. */
export function rebuildIndexes(catalog: Catalog, table: CatalogRelation, add: AddCompanion, why: string): void {
  add(table, 'ShareLock', `${why} rebuilds the indexes of ${table.qualifiedName}`);
  for (const index of indexesOf(catalog, table)) add(index, 'AccessExclusiveLock', `${why} rebuilds the index`);
  const toast = table.toastOid === undefined ? undefined : catalog.relations.get(table.toastOid);
  if (toast === undefined) return;
  add(toast, 'ShareLock', `${why} rebuilds the TOAST index of ${table.qualifiedName}`);
  const toastIndex = table.toastIndexOid === undefined ? undefined : catalog.relations.get(table.toastIndexOid);
  add(toastIndex, 'AccessExclusiveLock', `${why} rebuilds the TOAST index`);
}

/**
 * CLUSTER (cluster_rel, rebuild_relation, finish_heap_swap): the clustering index is opened AccessExclusiveLock; the
 * TOAST table is swapped by content, so the existing one is locked AccessExclusiveLock (copy_table_data) and keeps its
 * OID and name; the planner decides between a sort and an index scan (plan_cluster_use_sort, for a btree index), which
 * opens every index of the table in AccessShareLock; the new heap's indexes are rebuilt (reindex_relation: ShareLock
 * on the table, AccessExclusiveLock on each index) and the TOAST index is swapped (AccessExclusiveLock). The transient
 * heap and its TOAST relations are dropped at the end: pg_locks shows them by OID only. Without USING the clustered
 * index is not known, but every index is locked the same way whichever it is. The clustering index is assumed to be
 * btree (a GiST one skips the planner and its AccessShareLocks; the snapshot has no access method).
 */
export function clusterCompanions(catalog: Catalog, table: CatalogRelation, index: CatalogRelation | undefined, add: AddCompanion): void {
  const indexes = indexesOf(catalog, table);
  add(index, 'AccessExclusiveLock', 'CLUSTER locks the clustering index');
  const toast = table.toastOid === undefined ? undefined : catalog.relations.get(table.toastOid);
  add(toast, 'AccessExclusiveLock', 'CLUSTER rewrites the TOAST table in place (swap by content)');
  for (const i of indexes) add(i, 'AccessShareLock', 'CLUSTER plans a sort or an index scan (plan_cluster_use_sort)');
  add(table, 'ShareLock', `CLUSTER rebuilds the indexes of ${table.qualifiedName}`);
  for (const i of indexes) add(i, 'AccessExclusiveLock', 'CLUSTER rebuilds the index');
  const toastIndex = table.toastIndexOid === undefined ? undefined : catalog.relations.get(table.toastIndexOid);
  add(toastIndex, 'AccessExclusiveLock', 'CLUSTER swaps the TOAST index');
}

/** The tables a TRUNCATE empties: the named ones with their descendants, then (CASCADE) every referencing table. */
function truncatedTables(catalog: Catalog, truncate: TruncateStmt): CatalogRelation[] {
  const tables: CatalogRelation[] = [];
  const seen = new Set<number>();
  const push = (relation: CatalogRelation, recurse: boolean): void => {
    for (const r of [relation, ...(recurse ? descendantsOf(catalog, relation) : [])]) {
      if (seen.has(r.oid)) continue;
      seen.add(r.oid);
      tables.push(r);
    }
  };
  for (const node of list(truncate.relations)) {
    const rv = nodeAs(node, 'RangeVar');
    const table = relationOf(catalog, rv);
    if (table !== undefined) push(table, rv?.inh !== false);
  }
  if (truncate.behavior !== 'DROP_CASCADE') return tables;
  // heap_truncate_find_FKs until nothing new: a partitioned referencing table's key is cloned on every partition.
  for (let i = 0; i < tables.length; i++) {
    for (const fk of tables[i]?.referencedBy ?? []) {
      const referencing = catalog.relations.get(fk.fromOid);
      if (referencing !== undefined) push(referencing, referencing.relkind === 'partitioned-table');
    }
  }
  return tables;
}

/** ExecuteTruncate: AccessExclusiveLock on every table emptied; each one with storage gets a new heap, TOAST and indexes. */
export function truncateCompanions(catalog: Catalog, truncate: TruncateStmt, add: AddCompanion): void {
  const tables = truncatedTables(catalog, truncate);
  for (const table of tables) add(table, 'AccessExclusiveLock', 'TRUNCATE');
  if (truncate.restart_seqs === true) {
    for (const table of tables)
      for (const column of table.columns)
        add(
          column.sequenceOid === undefined ? undefined : catalog.relations.get(column.sequenceOid),
          'AccessExclusiveLock',
          'TRUNCATE … RESTART IDENTITY resets the sequence',
        );
  }
  for (const table of tables) {
    if (table.relkind !== 'table') continue;
    const toast = table.toastOid === undefined ? undefined : catalog.relations.get(table.toastOid);
    add(toast, 'AccessExclusiveLock', 'TRUNCATE gives the TOAST table new storage');
    rebuildIndexes(catalog, table, add, 'TRUNCATE');
  }
  if (truncate.restart_seqs === true) {
    for (const table of tables)
      for (const column of table.columns)
        add(
          column.sequenceOid === undefined ? undefined : catalog.relations.get(column.sequenceOid),
          'RowExclusiveLock',
          'ResetSequence opens the sequence',
        );
  }
}
