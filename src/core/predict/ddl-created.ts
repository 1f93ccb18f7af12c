/**
 * Indexes CREATE INDEX creates, under the names PostgreSQL gives them (ChooseIndexName / ChooseRelationName /
 * makeObjectName in indexcmds.c and namespace.c): `<table>_<columns>_idx`, truncated to 63 bytes, a number appended
 * to the label while the name is taken. On a partitioned table DefineIndex recurses: every partition is locked
 * ShareLock and gets its own index (named after the partition), partitioned ones a partitioned index.
 */
import type { IndexStmt } from '@pgsql/types';
import { bareRelation, type Catalog, type CatalogRelation, type RelKind } from '../catalog.js';
import { functionName, list, nodeAs } from '../sql/ast.js';
import { quoteIdentifier } from '../sql/with-table.js';
import { relationOf, type AddCompanion } from './ddl-relations.js';

const NAMEDATALEN = 64;

/** makeObjectName: name1_name2_label, the longer of name1/name2 shortened until it fits in NAMEDATALEN - 1 bytes. */
export function makeObjectName(name1: string, name2: string | undefined, label: string): string {
  let overhead = label.length + 1;
  if (name2 !== undefined) overhead += 1;
  const available = NAMEDATALEN - 1 - overhead;
  let n1 = name1.length;
  let n2 = name2?.length ?? 0;
  while (n1 + n2 > available) {
    if (n1 > n2) n1--;
    else n2--;
  }
  return [name1.slice(0, n1), ...(name2 === undefined ? [] : [name2.slice(0, n2)]), label].join('_');
}

/**
 * ChooseIndexColumnNames + ChooseIndexNameAddition: the column names, a repeated one numbered (id, id1), joined by "_"
 * and stopped once NAMEDATALEN is reached.
 */
export function nameAdditionOf(columns: readonly string[]): string {
  const used = new Set<string>();
  let out = '';
  for (const base of columns) {
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    if (out.length > 0) out += '_';
    out += name;
    if (out.length >= NAMEDATALEN) break;
  }
  return out;
}

/** An index's column names: a column's name, a function's name for an expression calling one, else "expr". */
function nameAddition(index: IndexStmt): string {
  return nameAdditionOf(
    list(index.indexParams).map((node) => {
      const elem = nodeAs(node, 'IndexElem');
      const call = nodeAs(elem?.expr, 'FuncCall');
      return elem?.indexcolname ?? elem?.name ?? (call !== undefined ? functionName(call.funcname) : 'expr');
    }),
  );
}

/** A relation the statement creates: not in the catalog yet, marked by an OID below any real one. */
export function created(
  schema: string,
  name: string,
  relkind: RelKind,
  serial: number,
  qualifiedName = `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`,
): CatalogRelation {
  return bareRelation({
    oid: -(2 ** 32) - serial,
    schema,
    name,
    qualifiedName,
    relkind,
    shared: false,
    temporary: false,
  });
}

/** ChooseRelationName: name1_name2_label, then label1, label2 … until no relation of the schema (or made here) has it. */
export class RelationNames {
  private readonly taken = new Set<string>();
  constructor(private readonly catalog: Catalog) {}

  take(name: string): string {
    this.taken.add(name);
    return name;
  }

  choose(schema: string, name1: string, name2: string | undefined, label: string): string {
    for (let pass = 0; ; pass++) {
      const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
      if (!this.taken.has(name) && !this.catalog.byName.has(`${schema}.${name}`)) return this.take(name);
    }
  }
}

export function createIndexCompanions(catalog: Catalog, index: IndexStmt, add: AddCompanion): void {
  const table = relationOf(catalog, index.relation);
  if (table === undefined || index.concurrent === true) return;
  const names = new RelationNames(catalog);
  const addition = nameAddition(index);
  const label = index.primary === true ? 'pkey' : index.isconstraint === true ? 'key' : 'idx';
  const choose = (on: CatalogRelation): string => names.choose(on.schema, on.name, label === 'pkey' ? undefined : addition, label);
  let serial = 0;
  const build = (on: CatalogRelation, name: string): void => {
    const partitioned = on.relkind === 'partitioned-table';
    const relation = created(on.schema, name, partitioned ? 'partitioned-index' : 'index', serial++);
    if (partitioned) add(relation, 'ShareUpdateExclusiveLock', 'the new partitioned index');
    add(relation, 'AccessExclusiveLock', `CREATE INDEX creates ${relation.qualifiedName}`);
    if (!partitioned || index.relation?.inh === false) return;
    for (const oid of on.partitions) {
      const partition = catalog.relations.get(oid);
      if (partition === undefined) continue;
      add(partition, 'ShareLock', `CREATE INDEX on ${on.qualifiedName} builds the index of each partition`);
      build(partition, choose(partition));
    }
  };
  build(table, names.take(index.idxname ?? choose(table)));
}
