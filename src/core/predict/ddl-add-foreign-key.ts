/**
 * ALTER TABLE … ADD FOREIGN KEY (tablecmds.c ATAddForeignKeyConstraint): recursion into the partitions of the
 * referenced and the referencing table, and the validation query (RI_Initial_Check) of each referencing leaf.
 */
import type { Constraint } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import type { AddCompanion } from './ddl-relations.js';
import type { LockRequest } from './fast-path.js';

/** The lock requests of planning and running a query PostgreSQL builds itself (SPI), in acquisition order. */
export type InternalQuery = (sql: string) => LockRequest[];

/** The primary-key index of a relation (what a foreign key without a column list references). */
export function keyIndexOf(catalog: Catalog, relation: CatalogRelation | undefined): CatalogRelation | undefined {
  const index = relation?.indexes.find((i) => i.primary) ?? relation?.indexes.find((i) => i.unique);
  return index === undefined ? undefined : catalog.relations.get(index.oid);
}

/**
 * A partitioned table's partitions as addFkRecurseReferenced / addFkRecurseReferencing open them: each partition of
 * the partition descriptor in turn (bound order), a partitioned one followed at once by its own (depth first).
 */
function partitionsDepthFirst(catalog: Catalog, relation: CatalogRelation): CatalogRelation[] {
  const out: CatalogRelation[] = [];
  for (const oid of relation.partitions) {
    const partition = catalog.relations.get(oid);
    if (partition === undefined) continue;
    out.push(partition);
    if (partition.relkind === 'partitioned-table') out.push(...partitionsDepthFirst(catalog, partition));
  }
  return out;
}

const names = (nodes: Constraint['fk_attrs']): string[] => (nodes ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * tryAttachPartitionForeignKey: a partition's own key (not one cloned from a parent) to the same table, on the same
 * columns, with the same actions and deferral, becomes the new key's child instead of a new one: the partition is
 * neither recursed into nor validated. (The snapshot has no convalidated or condeferrable: a NOT VALID own key, or one
 * DEFERRABLE INITIALLY IMMEDIATE against a key that is not deferrable, is taken as attachable where it is not.)
 */
function attachable(partition: CatalogRelation, referenced: CatalogRelation, constraint: Constraint): boolean {
  const from = names(constraint.fk_attrs);
  const given = names(constraint.pk_attrs);
  const to = given.length > 0 ? given : (referenced.indexes.find((i) => i.primary)?.columns ?? []);
  return partition.foreignKeys.some(
    (fk) =>
      fk.toOid === referenced.oid &&
      sameList(fk.fromColumns, from) &&
      sameList(fk.toColumns, to) &&
      fk.onDelete === (constraint.fk_del_action ?? 'a') &&
      fk.onUpdate === (constraint.fk_upd_action ?? 'a') &&
      (fk.deferred === true) === (constraint.initdeferred === true),
  );
}

/**
 * An attached key's own action triggers on the referenced table are dropped (AccessExclusiveLock); when that table is
 * partitioned, the key's constraints on each of its partitions are dropped too, each locking the referencing partition
 * and that referenced partition in AccessExclusiveLock. Measured on PGlite 18 (not on PostgreSQL 15): a partitioned
 * partition's own partitions are opened in ShareRowExclusiveLock as well.
 */
function attach(catalog: Catalog, partition: CatalogRelation, referenced: CatalogRelation, add: AddCompanion): void {
  const why = `${partition.qualifiedName}'s own equal key is attached instead of a new one`;
  add(referenced, 'AccessExclusiveLock', `${why}: its action triggers are dropped`);
  if (referenced.relkind === 'partitioned-table') {
    add(partition, 'AccessExclusiveLock', `${why}: its constraints on the referenced partitions are dropped`);
    for (const p of partitionsDepthFirst(catalog, referenced))
      add(p, 'AccessExclusiveLock', `${why}: its constraint on this partition is dropped`);
  }
  if (catalog.profile.versionNum >= 180000 && partition.relkind === 'partitioned-table')
    for (const p of partitionsDepthFirst(catalog, partition))
      add(p, 'ShareRowExclusiveLock', `${why}: its partitions' keys are attached too`);
}

/**
 * RI_Initial_Check's query on one referencing leaf: `SELECT fk.… FROM ONLY <leaf> fk LEFT OUTER JOIN [ONLY] <pk> pk
 * ON (pk.… = fk.…) WHERE pk.… IS NULL AND (fk.… IS NOT NULL)`, ONLY left out for a partitioned table. The join and
 * WHERE clauses compare columns with columns or test the outer join's nullable side: neither prunes a partition at plan
 * time, so the locks are those of the two scans, which is what this text keeps.
 */
export function initialCheckText(leaf: CatalogRelation, referenced: CatalogRelation): string {
  const pkOnly = referenced.relkind === 'partitioned-table' ? '' : 'ONLY ';
  return `SELECT 1 FROM ONLY ${leaf.qualifiedName} fk LEFT OUTER JOIN ${pkOnly}${referenced.qualifiedName} pk ON true`;
}

/**
 * The companion locks of one ADD FOREIGN KEY on `table` (the statement's own ShareRowExclusiveLock on both tables
 * comes from the parser), in PostgreSQL's order:
 * - creating the constraint's triggers reads both tables (AccessShareLock; measured on a partitioned table without
 *   partitions too, where no validation runs); PostgreSQL 18 opens the referenced key index;
 * - addFkRecurseReferenced: each partition of a partitioned referenced table gets ShareRowExclusiveLock (its action
 *   triggers are created), depth first;
 * - addFkRecurseReferencing: each partition of a partitioned referencing table gets the statement's lock level
 *   (ShareRowExclusiveLock), depth first; only leaves get check triggers and are queued for validation;
 * - phase 3 (ATRewriteTables), unless NOT VALID: for each queued leaf, the referenced table is opened in RowShareLock
 *   and RI_Initial_Check plans and runs its query (the leaf, its indexes, the referenced table and its indexes, or
 *   its partitions and theirs).
 */
export function addForeignKeyCompanions(
  catalog: Catalog,
  table: CatalogRelation | undefined,
  referenced: CatalogRelation | undefined,
  constraint: Constraint,
  query: InternalQuery,
  add: AddCompanion,
): void {
  add(table, 'AccessShareLock', 'foreign key creation reads the table');
  add(referenced, 'AccessShareLock', 'foreign key creation reads the referenced table');
  if (catalog.profile.versionNum >= 180000)
    add(keyIndexOf(catalog, referenced), 'AccessShareLock', 'PostgreSQL 18 opens the referenced key index');
  if (table === undefined || referenced === undefined) return;
  if (referenced.relkind === 'partitioned-table') {
    for (const partition of partitionsDepthFirst(catalog, referenced))
      add(
        partition,
        'ShareRowExclusiveLock',
        `the foreign key's action triggers are created on each partition of ${referenced.qualifiedName}`,
      );
  }
  const leaves: CatalogRelation[] = [];
  const referencing = (relation: CatalogRelation): void => {
    if (relation.relkind !== 'partitioned-table') {
      leaves.push(relation);
      return;
    }
    for (const oid of relation.partitions) {
      const partition = catalog.relations.get(oid);
      if (partition === undefined) continue;
      add(partition, 'ShareRowExclusiveLock', `the foreign key is created on each partition of ${table.qualifiedName}`);
      if (attachable(partition, referenced, constraint)) attach(catalog, partition, referenced, add);
      else referencing(partition);
    }
  };
  referencing(table);
  if (constraint.skip_validation === true) return;
  for (const leaf of leaves) {
    add(referenced, 'RowShareLock', `validating ${leaf.qualifiedName} opens the referenced table`);
    for (const request of query(initialCheckText(leaf, referenced)))
      add(request.relation, request.mode, `validation query of ${leaf.qualifiedName}: ${request.reason}`);
  }
}
