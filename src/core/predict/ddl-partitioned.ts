/** DDL that recurses into a partitioned table's partitions: DROP INDEX of a partitioned index, ANALYZE. */
import type { Catalog, CatalogRelation } from '../catalog.js';
import { indexesOf, type AddCompanion } from './ddl-relations.js';

const byOid = (a: CatalogRelation, b: CatalogRelation): number => a.oid - b.oid;

function partitionsOf(catalog: Catalog, relation: CatalogRelation): CatalogRelation[] {
  return relation.partitions.map((o) => catalog.relations.get(o)).filter((r): r is CatalogRelation => r !== undefined);
}

/**
 * find_all_inheritors: the descendants level by level, each level's children in OID order (find_inheritance_children
 * sorts them "to ensure a consistent lock order"), the relation itself not included.
 */
export function descendantsInLockOrder(catalog: Catalog, relation: CatalogRelation): CatalogRelation[] {
  const out: CatalogRelation[] = [];
  const seen = new Set<number>([relation.oid]);
  const queue = [relation];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const child of partitionsOf(catalog, current).sort(byOid)) {
      if (seen.has(child.oid)) continue;
      seen.add(child.oid);
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

/**
 * DROP INDEX of a partitioned index drops the index of every partition with it (partition dependencies): each is
 * locked in AccessExclusiveLock, and so is its table (index_drop), level by level down the index tree.
 */
export function dropPartitionedIndex(catalog: Catalog, index: CatalogRelation, add: AddCompanion): void {
  if (index.relkind !== 'partitioned-index') return;
  const children = new Map<number, CatalogRelation[]>();
  const tableOf = new Map<number, CatalogRelation>();
  for (const relation of catalog.relations.values()) {
    for (const i of relation.indexes) tableOf.set(i.oid, relation);
    if (relation.partitionOf === undefined || (relation.relkind !== 'index' && relation.relkind !== 'partitioned-index')) continue;
    const list = children.get(relation.partitionOf) ?? [];
    list.push(relation);
    children.set(relation.partitionOf, list);
  }
  const queue = [index];
  for (let current = queue.shift(); current !== undefined; current = queue.shift()) {
    for (const child of (children.get(current.oid) ?? []).sort(byOid)) {
      add(tableOf.get(child.oid), 'AccessExclusiveLock', `DROP INDEX drops ${child.qualifiedName} of a partition, locking its table`);
      add(child, 'AccessExclusiveLock', `index of a partition, dropped with ${index.qualifiedName}`);
      queue.push(child);
    }
  }
}

/**
 * ANALYZE of a partitioned table: sampling the whole tree locks every leaf partition in AccessShareLock
 * (acquire_inherited_sample_rows; measured: not the partitioned ones), then each partition is analyzed on its own (expand_vacuum_rel), in the same order:
 * ShareUpdateExclusiveLock, and for a leaf its indexes in AccessShareLock. A partitioned table opens no index.
 */
export function analyzePartitioned(catalog: Catalog, table: CatalogRelation, add: AddCompanion): void {
  const descendants = descendantsInLockOrder(catalog, table);
  for (const d of descendants)
    if (d.relkind !== 'partitioned-table') add(d, 'AccessShareLock', `ANALYZE samples ${table.qualifiedName} with its leaf partitions`);
  for (const d of descendants) {
    add(d, 'ShareUpdateExclusiveLock', `ANALYZE of ${table.qualifiedName} analyzes each partition too`);
    if (d.relkind === 'partitioned-table') continue;
    for (const index of indexesOf(catalog, d)) add(index, 'AccessShareLock', 'ANALYZE reads index statistics');
  }
}
