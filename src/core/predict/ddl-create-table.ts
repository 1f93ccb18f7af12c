/**
 * The relations CREATE TABLE creates and locks (transformCreateStmt, DefineRelation, NewRelationCreateToastTable,
 * DefineIndex, AlterSequence … OWNED BY), named as PostgreSQL names them: the sequences of serial and identity
 * columns, the table, its TOAST table and index when needs_toast_table says so, the indexes of PRIMARY KEY, UNIQUE
 * and EXCLUDE constraints, and the table's own lock for its foreign keys. Every one is new, so every lock is strong
 * or taken after a strong one: none uses a fast-path slot.
 */
import type { ColumnDef, Constraint, CreateStmt, Node } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import { newToastIndexName, newToastTableName } from '../created-names.js';
import { list, nodeAs, stringOf } from '../sql/ast.js';
import { created, nameAdditionOf, RelationNames } from './ddl-created.js';
import type { AddCompanion } from './ddl-relations.js';
import { needsToastTable } from './toast-need.js';

const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

interface IndexConstraint {
  name: string | undefined;
  columns: string[];
  label: 'pkey' | 'key' | 'excl';
}

const typeNameOf = (column: ColumnDef): string => list(column.typeName?.names).map(stringOf).pop() ?? '';

const columnsOf = (nodes: readonly Node[] | undefined): string[] =>
  list(nodes).map((n) => stringOf(n) ?? nodeAs(n, 'IndexElem')?.name ?? '');

/** transformIndexConstraints: the primary key first, then UNIQUE and EXCLUDE in the order written; duplicates of the key merged. */
function indexConstraints(create: CreateStmt): IndexConstraint[] {
  const all: IndexConstraint[] = [];
  const visit = (c: Constraint | undefined, column: string | undefined): void => {
    if (c === undefined) return;
    const label =
      c.contype === 'CONSTR_PRIMARY'
        ? 'pkey'
        : c.contype === 'CONSTR_UNIQUE'
          ? 'key'
          : c.contype === 'CONSTR_EXCLUSION'
            ? 'excl'
            : undefined;
    if (label === undefined) return;
    const keys =
      c.contype === 'CONSTR_EXCLUSION'
        ? list(c.exclusions).map((pair) => columnsOf(nodeAs(pair, 'List')?.items)[0] ?? '')
        : column !== undefined
          ? [column]
          : columnsOf(c.keys);
    all.push({ name: c.conname, columns: [...keys, ...columnsOf(c.including)], label });
  };
  for (const element of list(create.tableElts)) {
    const column = nodeAs(element, 'ColumnDef');
    if (column !== undefined) for (const c of list(column.constraints)) visit(nodeAs(c, 'Constraint'), column.colname);
    else visit(nodeAs(element, 'Constraint'), undefined);
  }
  for (const c of list(create.constraints)) visit(nodeAs(c, 'Constraint'), undefined);
  const key = all.find((c) => c.label === 'pkey');
  if (key === undefined) return all;
  const same = (c: IndexConstraint): boolean => c !== key && c.label === 'key' && c.columns.join() === key.columns.join();
  const merged = { ...key, name: key.name ?? all.find(same)?.name };
  return [merged, ...all.filter((c) => c !== key && c.label !== 'pkey' && !same(c))];
}

const hasForeignKey = (create: CreateStmt): boolean =>
  [...list(create.tableElts), ...list(create.constraints)].some((element) => {
    const column = nodeAs(element, 'ColumnDef');
    const constraints = column !== undefined ? list(column.constraints) : [element];
    return constraints.some((c) => nodeAs(c, 'Constraint')?.contype === 'CONSTR_FOREIGN');
  });

/**
 * Whether the new relations are modelled: a plain or partitioned table defined by its own column list. A partition,
 * an inheritance child, LIKE, OF type and temporary tables get columns, indexes and keys from elsewhere (not modelled).
 */
function modelled(create: CreateStmt): boolean {
  if (create.partbound !== undefined || list(create.inhRelations).length > 0 || create.ofTypename !== undefined) return false;
  if (create.relation?.relpersistence === 't') return false;
  return list(create.tableElts).every((e) => nodeAs(e, 'ColumnDef') !== undefined || nodeAs(e, 'Constraint') !== undefined);
}

export function createTableRelations(catalog: Catalog, create: CreateStmt, add: AddCompanion): void {
  const rv = create.relation;
  const schema = rv?.schemaname ?? catalog.searchPath[0];
  if (rv?.relname === undefined || schema === undefined || !modelled(create)) return;
  if (resolveRelation(catalog, schema, rv.relname) !== undefined) return; // exists: an error, or IF NOT EXISTS skips it
  const names = new RelationNames(catalog);
  names.take(rv.relname);
  let serial = 0;
  const columns = list(create.tableElts)
    .map((e) => nodeAs(e, 'ColumnDef'))
    .filter((c): c is ColumnDef => c !== undefined);
  // generateSerialExtraStmts: each sequence is created before the table (CREATE SEQUENCE), owned by it after.
  const sequences: CatalogRelation[] = [];
  for (const column of columns) {
    const identity = list(column.constraints).some((c) => nodeAs(c, 'Constraint')?.contype === 'CONSTR_IDENTITY');
    if (!identity && !SERIAL_TYPES.has(typeNameOf(column))) continue;
    const sequence = created(schema, names.choose(schema, rv.relname, column.colname, 'seq'), 'sequence', serial++);
    add(sequence, 'AccessExclusiveLock', `CREATE TABLE creates the sequence of ${column.colname ?? 'a column'}`);
    sequences.push(sequence);
  }
  const table = created(schema, rv.relname, create.partspec !== undefined ? 'partitioned-table' : 'table', serial++);
  add(table, 'AccessExclusiveLock', 'CREATE TABLE creates the table');
  if (table.relkind === 'table' && needsToastTable(columns, catalog.profile.versionNum)) {
    const toastName = newToastTableName(table.qualifiedName);
    const indexName = newToastIndexName(table.qualifiedName);
    const toast = created('pg_toast', toastName.slice('pg_toast.'.length), 'toast', serial++, toastName);
    const toastIndex = created('pg_toast', indexName.slice('pg_toast.'.length), 'index', serial++, indexName);
    add(toast, 'AccessExclusiveLock', 'CREATE TABLE creates the TOAST table', table);
    add(toast, 'ShareLock', 'the TOAST index is built', table);
    add(toastIndex, 'AccessExclusiveLock', 'CREATE TABLE creates the TOAST index', table);
  }
  for (const sequence of sequences) {
    add(sequence, 'ShareRowExclusiveLock', 'ALTER SEQUENCE … OWNED BY the new column', table);
    add(sequence, 'RowExclusiveLock', 'ALTER SEQUENCE … OWNED BY opens the sequence', table);
    add(table, 'AccessShareLock', 'OWNED BY opens the table');
  }
  for (const constraint of indexConstraints(create)) {
    add(table, 'ShareLock', `the index of a ${constraint.label === 'pkey' ? 'primary key' : 'constraint'} is built`);
    const addition = constraint.label === 'pkey' ? undefined : nameAdditionOf(constraint.columns);
    const name = constraint.name !== undefined ? names.take(constraint.name) : names.choose(schema, rv.relname, addition, constraint.label);
    const index = created(schema, name, table.relkind === 'partitioned-table' ? 'partitioned-index' : 'index', serial++);
    add(index, 'AccessExclusiveLock', `CREATE TABLE creates the index ${index.qualifiedName}`, table);
  }
  if (hasForeignKey(create)) add(table, 'ShareRowExclusiveLock', 'the foreign keys are added to the new table (ALTER TABLE)');
}
