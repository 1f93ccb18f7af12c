/**
 * Locks a DDL or utility statement takes besides the main one the parser reports: indexes rebuilt or dropped,
 * referenced tables of foreign keys, partitions attached or detached, materialized-view sources (§4 of the rules).
 */
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import type { LockMode } from '../lock-modes.js';
import { asNodes, rangeVarOf, unwrap } from './ast.js';
import type { LockRequest } from './fast-path.js';

type Add = (relation: CatalogRelation | undefined, mode: LockMode, reason: string) => void;

function relationOf(catalog: Catalog, node: unknown): CatalogRelation | undefined {
  const rv = rangeVarOf(node) ?? (node as { relname?: string; schemaname?: string } | undefined);
  if (rv?.relname === undefined) return undefined;
  return resolveRelation(catalog, rv.schemaname, rv.relname);
}

function indexesOf(catalog: Catalog, relation: CatalogRelation | undefined): CatalogRelation[] {
  return (relation?.indexes ?? []).map((i) => catalog.relations.get(i.oid)).filter((r): r is CatalogRelation => r !== undefined);
}

function tableOfIndex(catalog: Catalog, index: CatalogRelation): CatalogRelation | undefined {
  for (const relation of catalog.relations.values()) if (relation.indexes.some((i) => i.oid === index.oid)) return relation;
  return undefined;
}

/** Companion lock requests for one utility statement node; the main relation locks come from the parser. */
export function ddlCompanions(catalog: Catalog, stmt: unknown, viewRelations: (definition: string) => CatalogRelation[]): LockRequest[] {
  const out: LockRequest[] = [];
  const add: Add = (relation, mode, reason) => {
    if (relation !== undefined) out.push({ relation, mode, phase: 'plan', reason });
  };
  const truncate = unwrap(stmt, 'TruncateStmt');
  if (truncate !== undefined) {
    for (const node of asNodes(truncate['relations'])) {
      const table = relationOf(catalog, node);
      add(table, 'ShareLock', 'TRUNCATE rebuilds the indexes');
      for (const index of indexesOf(catalog, table))
        add(index, 'AccessExclusiveLock', `TRUNCATE of ${table?.qualifiedName ?? ''} truncates its index`);
    }
  }
  const reindex = unwrap(stmt, 'ReindexStmt');
  if (reindex !== undefined && !JSON.stringify(reindex['params'] ?? []).includes('concurrently')) {
    const target = relationOf(catalog, reindex['relation']);
    if (reindex['kind'] === 'REINDEX_OBJECT_INDEX' && target !== undefined) {
      add(tableOfIndex(catalog, target), 'ShareLock', 'REINDEX locks the table of the index');
      add(target, 'AccessExclusiveLock', 'REINDEX rebuilds the index');
    } else if (reindex['kind'] === 'REINDEX_OBJECT_TABLE') {
      add(target, 'ShareLock', 'REINDEX TABLE');
      for (const index of indexesOf(catalog, target)) add(index, 'AccessExclusiveLock', 'REINDEX rebuilds the index');
    }
  }
  const drop = unwrap(stmt, 'DropStmt');
  if (drop !== undefined && drop['removeType'] === 'OBJECT_INDEX' && drop['concurrent'] !== true) {
    for (const object of asNodes(drop['objects'])) {
      const names = asNodes(unwrap(object, 'List')?.['items']).map((n) => String(unwrap(n, 'String')?.['sval'] ?? ''));
      const index =
        names.length === 2 ? resolveRelation(catalog, names[0], names[1] ?? '') : resolveRelation(catalog, undefined, names[0] ?? '');
      if (index !== undefined) add(tableOfIndex(catalog, index), 'AccessExclusiveLock', 'DROP INDEX locks the table');
    }
  }
  if (drop !== undefined && drop['removeType'] === 'OBJECT_TABLE') {
    for (const object of asNodes(drop['objects'])) {
      const names = asNodes(unwrap(object, 'List')?.['items']).map((n) => String(unwrap(n, 'String')?.['sval'] ?? ''));
      const table =
        names.length === 2 ? resolveRelation(catalog, names[0], names[1] ?? '') : resolveRelation(catalog, undefined, names[0] ?? '');
      for (const index of indexesOf(catalog, table)) add(index, 'AccessExclusiveLock', 'dropped with its table');
    }
  }
  const analyze = unwrap(stmt, 'VacuumStmt');
  if (analyze !== undefined && analyze['is_vacuumcmd'] !== true) {
    for (const rel of asNodes(analyze['rels'])) {
      const table = relationOf(catalog, unwrap(rel, 'VacuumRelation')?.['relation']);
      for (const index of indexesOf(catalog, table)) add(index, 'AccessShareLock', 'ANALYZE reads index statistics');
    }
  }
  const refresh = unwrap(stmt, 'RefreshMatViewStmt');
  if (refresh !== undefined) {
    const mv = relationOf(catalog, refresh['relation']);
    const concurrent = refresh['concurrent'] === true;
    for (const base of mv?.viewDefinition !== undefined ? viewRelations(mv.viewDefinition) : []) {
      add(base, 'AccessShareLock', `source of ${mv?.qualifiedName ?? 'the materialized view'}`);
      for (const index of indexesOf(catalog, base)) add(index, 'AccessShareLock', `index of a source of ${mv?.qualifiedName ?? ''}`);
    }
    if (concurrent) {
      add(mv, 'AccessShareLock', 'REFRESH … CONCURRENTLY reads the old contents');
      add(mv, 'RowExclusiveLock', 'REFRESH … CONCURRENTLY applies the diff');
      for (const index of indexesOf(catalog, mv)) {
        add(index, 'AccessShareLock', 'unique index used for the diff');
        add(index, 'RowExclusiveLock', 'index maintained by the diff');
      }
    } else {
      add(mv, 'ExclusiveLock', 'REFRESH locks the materialized view against concurrent refreshes');
      add(mv, 'ShareLock', 'REFRESH rebuilds the indexes');
      // Measured: PostgreSQL 15 also holds AccessShareLock on the matview afterwards; 18 does not.
      if (catalog.profile.versionNum < 180000) add(mv, 'AccessShareLock', 'REFRESH reads the materialized view');
      for (const index of indexesOf(catalog, mv)) add(index, 'AccessExclusiveLock', 'REFRESH rebuilds the index');
    }
  }
  const comment = unwrap(stmt, 'CommentStmt');
  if (comment !== undefined && (comment['objtype'] === 'OBJECT_TABLE' || comment['objtype'] === 'OBJECT_COLUMN')) {
    add(resolveRelation(catalog, 'pg_catalog', 'pg_description'), 'RowExclusiveLock', 'COMMENT writes pg_description and keeps it locked');
  }
  const alterSeq = unwrap(stmt, 'AlterSeqStmt');
  if (alterSeq !== undefined)
    add(relationOf(catalog, alterSeq['sequence']), 'RowExclusiveLock', 'ALTER SEQUENCE rewrites the sequence tuple');
  const create = unwrap(stmt, 'CreateStmt');
  if (create !== undefined) createCompanions(catalog, create, add);
  const alter = unwrap(stmt, 'AlterTableStmt');
  if (alter !== undefined) alterCompanions(catalog, alter, add);
  return out;
}

/** CREATE TABLE … PARTITION OF locks the parent's partitioned indexes; REFERENCES reads the referenced key. */
function createCompanions(catalog: Catalog, create: Record<string, unknown>, add: Add): void {
  if (create['partbound'] !== undefined) {
    for (const parent of asNodes(create['inhRelations'])) {
      for (const index of indexesOf(catalog, relationOf(catalog, parent)))
        add(index, 'ShareUpdateExclusiveLock', 'the new partition gets the parent index');
    }
  }
  for (const element of asNodes(create['tableElts'])) {
    const column = unwrap(element, 'ColumnDef');
    for (const c of column !== undefined ? asNodes(column['constraints']) : [element]) {
      const constraint = unwrap(c, 'Constraint');
      if (constraint?.['contype'] !== 'CONSTR_FOREIGN') continue;
      const referenced = relationOf(catalog, constraint['pktable']);
      add(referenced, 'AccessShareLock', 'the foreign key reads the referenced table');
      if (catalog.profile.versionNum >= 180000)
        add(keyIndexOf(catalog, referenced), 'AccessShareLock', 'PostgreSQL 18 opens the referenced key index');
    }
  }
}

/** The primary-key index of a relation (what a foreign key without a column list references). */
function keyIndexOf(catalog: Catalog, relation: CatalogRelation | undefined): CatalogRelation | undefined {
  const index = relation?.indexes.find((i) => i.primary) ?? relation?.indexes.find((i) => i.unique);
  return index === undefined ? undefined : catalog.relations.get(index.oid);
}

function alterCompanions(catalog: Catalog, alter: Record<string, unknown>, add: Add): void {
  const table = relationOf(catalog, alter['relation']);
  for (const cmdNode of asNodes(alter['cmds'])) {
    const cmd = unwrap(cmdNode, 'AlterTableCmd');
    const subtype = String(cmd?.['subtype'] ?? '');
    const constraint = unwrap(cmd?.['def'], 'Constraint');
    if (subtype === 'AT_AddConstraint' && constraint?.['contype'] === 'CONSTR_FOREIGN') {
      const referenced = relationOf(catalog, constraint['pktable']);
      add(table, 'AccessShareLock', 'foreign key creation reads the table');
      add(referenced, 'AccessShareLock', 'foreign key creation reads the referenced table');
      if (catalog.profile.versionNum >= 180000)
        add(keyIndexOf(catalog, referenced), 'AccessShareLock', 'PostgreSQL 18 opens the referenced key index');
      if (constraint['skip_validation'] !== true) {
        for (const index of indexesOf(catalog, table)) add(index, 'AccessShareLock', 'validation query plans the table');
        add(referenced, 'RowShareLock', 'validation query locks referenced keys (FOR KEY SHARE)');
        for (const index of indexesOf(catalog, referenced)) add(index, 'AccessShareLock', 'validation query plans the referenced table');
      }
    }
    if (subtype === 'AT_ValidateConstraint') {
      const fk = table?.foreignKeys.find((f) => f.name === cmd?.['name']);
      if (fk !== undefined) {
        const referenced = catalog.relations.get(fk.toOid);
        add(referenced, 'AccessShareLock', 'validation query reads the referenced table');
        add(referenced, 'RowShareLock', 'validation query locks referenced keys (FOR KEY SHARE)');
        for (const index of indexesOf(catalog, referenced)) add(index, 'AccessShareLock', 'validation query plans the referenced table');
        add(table, 'AccessShareLock', 'validation query reads the table');
        for (const index of indexesOf(catalog, table)) add(index, 'AccessShareLock', 'validation query plans the table');
      }
    }
    if (subtype === 'AT_ClusterOn') {
      add(resolveRelation(catalog, table?.schema, String(cmd?.['name'] ?? '')), 'ShareUpdateExclusiveLock', 'CLUSTER ON marks the index');
    }
    if (subtype === 'AT_AttachPartition') {
      const partition = relationOf(catalog, unwrap(cmd?.['def'], 'PartitionCmd')?.['name']);
      for (const index of indexesOf(catalog, table))
        add(index, 'ShareUpdateExclusiveLock', 'ATTACH PARTITION attaches the partitioned index');
      add(partition, 'AccessExclusiveLock', 'ATTACH PARTITION');
      add(partition, 'ShareLock', 'ATTACH PARTITION builds or attaches indexes');
      for (const index of indexesOf(catalog, partition)) add(index, 'AccessExclusiveLock', 'index of the attached partition');
    }
    if (subtype === 'AT_DetachPartition') {
      const partCmd = unwrap(cmd?.['def'], 'PartitionCmd');
      const partition = relationOf(catalog, partCmd?.['name']);
      const concurrent = partCmd?.['concurrent'] === true;
      add(partition, concurrent ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock', 'DETACH PARTITION');
      if (!concurrent)
        for (const index of indexesOf(catalog, partition)) add(index, 'AccessExclusiveLock', 'index of the detached partition');
    }
    if (subtype === 'AT_AlterColumnType') {
      add(table, 'ShareLock', 'the table rewrite rebuilds its indexes');
      for (const index of indexesOf(catalog, table)) add(index, 'AccessExclusiveLock', 'rebuilt by the column type change');
      if (table?.toastOid !== undefined)
        add(catalog.relations.get(table.toastOid), 'AccessExclusiveLock', 'the rewrite replaces the TOAST table');
      if (table?.toastIndexOid !== undefined)
        add(catalog.relations.get(table.toastIndexOid), 'AccessExclusiveLock', 'the rewrite replaces the TOAST index');
      if (catalog.profile.versionNum >= 180000)
        add(
          resolveRelation(catalog, 'pg_catalog', 'pg_depend'),
          'RowExclusiveLock',
          'PostgreSQL 18 keeps pg_depend locked after the rewrite',
        );
    }
  }
}
