/**
 * Indexes CREATE INDEX creates, under the names PostgreSQL gives them (ChooseIndexName / ChooseRelationName /
 * makeObjectName in indexcmds.c and namespace.c): `<table>_<columns>_idx`, truncated to 63 bytes, a number appended
 * to the label while the name is taken. On a partitioned table DefineIndex recurses: every partition is locked
 * ShareLock and gets its own index (named after the partition), partitioned ones a partitioned index.
 */
import type { IndexStmt } from '@pgsql/types';
import { bareRelation, type Catalog, type CatalogRelation } from '../catalog.js';
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

/** ChooseIndexColumnNames + ChooseIndexNameAddition: column names (a function's name, else "expr") joined by "_". */
function nameAddition(index: IndexStmt): string {
  const used = new Set<string>();
  const names = list(index.indexParams).map((node) => {
    const elem = nodeAs(node, 'IndexElem');
    const call = nodeAs(elem?.expr, 'FuncCall');
    const base = elem?.indexcolname ?? elem?.name ?? (call !== undefined ? functionName(call.funcname) : 'expr');
    let name = base;
    for (let i = 1; used.has(name); i++) name = `${base}${i}`;
    used.add(name);
    return name;
  });
  let out = '';
  for (const name of names) {
    if (out.length > 0) out += '_';
    out += name;
    if (out.length >= NAMEDATALEN) break;
  }
  return out;
}

/** A relation the statement creates: not in the catalog yet, marked by an OID below any real one. */
function created(schema: string, name: string, partitioned: boolean, serial: number): CatalogRelation {
  return bareRelation({
    oid: -(2 ** 32) - serial,
    schema,
    name,
    qualifiedName: `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`,
    relkind: partitioned ? 'partitioned-index' : 'index',
    shared: false,
    temporary: false,
  });
}

export function createIndexCompanions(catalog: Catalog, index: IndexStmt, add: AddCompanion): void {
  const table = relationOf(catalog, index.relation);
  if (table === undefined || index.concurrent === true) return;
  const taken = new Set<string>();
  const addition = nameAddition(index);
  const label = index.primary === true ? 'pkey' : index.isconstraint === true ? 'key' : 'idx';
  // ChooseRelationName: the label gets 1, 2, … until no relation of the schema has the name.
  const choose = (on: CatalogRelation): string => {
    for (let pass = 0; ; pass++) {
      const name = makeObjectName(on.name, label === 'pkey' ? undefined : addition, pass === 0 ? label : `${label}${pass}`);
      if (!taken.has(name) && !catalog.byName.has(`${on.schema}.${name}`)) return name;
    }
  };
  let serial = 0;
  const build = (on: CatalogRelation, name: string): void => {
    taken.add(name);
    const partitioned = on.relkind === 'partitioned-table';
    const relation = created(on.schema, name, partitioned, serial++);
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
  build(table, index.idxname ?? choose(table));
}
