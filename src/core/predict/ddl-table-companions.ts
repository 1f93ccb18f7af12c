/**
 * Companion locks of CREATE TABLE (… PARTITION OF, REFERENCES) and ALTER TABLE subcommands: foreign keys and their
 * validation queries, ATTACH/DETACH PARTITION, CLUSTER ON, and table rewrites by a column type change.
 */
import type { AlterTableCmd, AlterTableStmt, CreateStmt } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import { list, nodeAs } from '../sql/ast.js';
import { alterTableLevel } from '../sql/alter-table-levels.js';
import { alterStorageCompanions, recursesToDescendants } from './alter-table-rewrite.js';
import { indexesOf, relationOf, type AddCompanion } from './ddl-relations.js';
import { descendantsOf } from './ddl-storage.js';
import { addForeignKeyCompanions, keyIndexOf, type InternalQuery } from './ddl-add-foreign-key.js';

/** CREATE TABLE … PARTITION OF locks the parent's partitioned indexes; REFERENCES reads the referenced key. */
export function createCompanions(catalog: Catalog, create: CreateStmt, add: AddCompanion): void {
  if (create.partbound !== undefined) {
    for (const parent of list(create.inhRelations)) {
      for (const index of indexesOf(catalog, relationOf(catalog, nodeAs(parent, 'RangeVar'))))
        add(index, 'ShareUpdateExclusiveLock', 'the new partition gets the parent index');
    }
  }
  for (const element of list(create.tableElts)) {
    const column = nodeAs(element, 'ColumnDef');
    for (const c of column !== undefined ? list(column.constraints) : [element]) {
      const constraint = nodeAs(c, 'Constraint');
      if (constraint?.contype !== 'CONSTR_FOREIGN') continue;
      const referenced = relationOf(catalog, constraint.pktable);
      add(referenced, 'AccessShareLock', 'the foreign key reads the referenced table');
      if (catalog.profile.versionNum >= 180000)
        add(keyIndexOf(catalog, referenced), 'AccessShareLock', 'PostgreSQL 18 opens the referenced key index');
    }
  }
}

export function alterCompanions(catalog: Catalog, alter: AlterTableStmt, query: InternalQuery, add: AddCompanion): void {
  const table = relationOf(catalog, alter.relation);
  const cmds = list(alter.cmds)
    .map((node) => nodeAs(node, 'AlterTableCmd'))
    .filter((cmd): cmd is AlterTableCmd => cmd !== undefined);
  if (table !== undefined && alter.objtype !== 'OBJECT_INDEX') {
    const recurse = alter.relation?.inh !== false && cmds.some(recursesToDescendants);
    const members = [table, ...(recurse ? descendantsOf(catalog, table) : [])];
    alterStorageCompanions(catalog, table, members, cmds, alterTableLevel(alter.cmds).mode, add);
  }
  for (const cmdNode of list(alter.cmds)) {
    const cmd = nodeAs(cmdNode, 'AlterTableCmd');
    const subtype = cmd?.subtype;
    const constraint = nodeAs(cmd?.def, 'Constraint');
    if (subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN')
      addForeignKeyCompanions(catalog, table, relationOf(catalog, constraint.pktable), constraint, query, add);
    if (subtype === 'AT_ValidateConstraint') {
      const fk = table?.foreignKeys.find((f) => f.name === cmd?.name);
      if (fk !== undefined) {
        const referenced = catalog.relations.get(fk.toOid);
        add(referenced, 'AccessShareLock', 'validation query reads the referenced table');
        add(referenced, 'RowShareLock', 'validation query locks referenced keys (FOR KEY SHARE)');
        for (const index of indexesOf(catalog, referenced)) add(index, 'AccessShareLock', 'validation query plans the referenced table');
        add(table, 'AccessShareLock', 'validation query reads the table');
        for (const index of indexesOf(catalog, table)) add(index, 'AccessShareLock', 'validation query plans the table');
      }
    }
    if (subtype === 'AT_ClusterOn')
      add(resolveRelation(catalog, table?.schema, cmd?.name ?? ''), 'ShareUpdateExclusiveLock', 'CLUSTER ON marks the index');
    if (subtype === 'AT_AttachPartition') {
      const partition = relationOf(catalog, nodeAs(cmd?.def, 'PartitionCmd')?.name);
      for (const index of indexesOf(catalog, table))
        add(index, 'ShareUpdateExclusiveLock', 'ATTACH PARTITION attaches the partitioned index');
      add(partition, 'AccessExclusiveLock', 'ATTACH PARTITION');
      add(partition, 'ShareLock', 'ATTACH PARTITION builds or attaches indexes');
      for (const index of indexesOf(catalog, partition)) add(index, 'AccessExclusiveLock', 'index of the attached partition');
    }
    if (subtype === 'AT_DetachPartition') {
      const partCmd = nodeAs(cmd?.def, 'PartitionCmd');
      const partition = relationOf(catalog, partCmd?.name);
      const concurrent = partCmd?.concurrent === true;
      add(partition, concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock', 'DETACH PARTITION');
      if (!concurrent) {
        for (const index of indexesOf(catalog, partition)) add(index, 'AccessExclusiveLock', 'index of the detached partition');
        detachCompanions(catalog, table, partition, add);
      }
    }
    if (subtype === 'AT_AlterColumnType' && catalog.profile.versionNum >= 180000)
      add(
        resolveRelation(catalog, 'pg_catalog', 'pg_depend'),
        'RowExclusiveLock',
        'PostgreSQL 18 keeps pg_depend locked after the type change',
      );
  }
}

/**
 * DETACH PARTITION (not concurrent): the default partition's constraint changes (AccessExclusiveLock), a partitioned
 * partition's own partitions are locked, and each foreign key the partition inherited is detached: its referenced
 * table gets ShareRowExclusiveLock (it blocks writes there) and the partition is read.
 */
function detachCompanions(
  catalog: Catalog,
  table: CatalogRelation | undefined,
  partition: CatalogRelation | undefined,
  add: AddCompanion,
): void {
  if (table === undefined || partition === undefined) return;
  const defaultPartition = table.partitions
    .map((oid) => catalog.relations.get(oid))
    .find((p) => p?.partitionBound === 'DEFAULT' && p.oid !== partition.oid);
  add(defaultPartition, 'AccessExclusiveLock', 'the default partition now admits the detached values');
  for (const child of descendantsOf(catalog, partition)) add(child, 'AccessExclusiveLock', 'partition of the detached partition');
  for (const fk of table.foreignKeys) {
    add(catalog.relations.get(fk.toOid), 'ShareRowExclusiveLock', `${fk.name} is detached from the partition (its triggers change)`);
    add(partition, 'AccessShareLock', `${fk.name} is detached from the partition`);
  }
}
