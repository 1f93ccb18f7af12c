/** Builds a Catalog from the catalog query's JSON text (CATALOG_SQL's compact arrays), fresh or kept in a cache. */
import {
  bareRelation,
  type Catalog,
  type CatalogColumn,
  type CatalogForeignKey,
  type CatalogIndex,
  type CatalogPartitioning,
  type CatalogRelation,
  type RelKind,
} from '../core/catalog.js';
import { buildServerProfile } from '../core/server-profile.js';
import { childOids, descriptorKeyOf, type RawChild } from './catalog-partition-order.js';
import type { SqlSession } from './session.js';

/** pg_class.relkind by its character code (the query sends ascii(relkind)·4 + flags). */
const RELKINDS = new Map<number, RelKind>(
  Object.entries({
    r: 'table',
    p: 'partitioned-table',
    i: 'index',
    I: 'partitioned-index',
    S: 'sequence',
    v: 'view',
    m: 'materialized-view',
    f: 'foreign-table',
    t: 'toast',
    c: 'composite',
  } satisfies Record<string, RelKind>).map(([kind, name]) => [kind.charCodeAt(0), name]),
);

type ForeignKeyAction = CatalogForeignKey['onDelete'];

/** [oid, valid + 2·unique + 4·primary + 8·key count, indkey as text, key columns by name or null, predicate]. */
type RawIndex = [number, number, string, (string[] | null)?, (string | null)?];
/** [name, attnum·4 + 2·toastable + notNull, type, default, identity, owned sequence]. */
type RawColumn = [string, number, string, (string | null)?, (string | null)?, (number | null)?];
interface RawForeignKey {
  name: string;
  fromOid: number;
  toOid: number;
  fromColumns: string[] | null;
  toColumns: string[] | null;
  onDelete: string;
  onUpdate: string;
  deferred?: boolean;
}
/** A relation that carries lists; an empty list is null. The order is CATALOG_SQL's. */
type RawRelation = [
  oid: number,
  qualifiedName: string,
  kindAndFlags: number,
  estimatedRows: number,
  toastOid: number | null,
  toastIndexOid: number | null,
  indexes: RawIndex[] | null,
  columns: RawColumn[] | null,
  partitionOf: number | null,
  partitionBound: string | null,
  children: RawChild[] | null,
  partitioning: CatalogPartitioning | null,
  viewDefinition: string | null,
  foreignKeys: RawForeignKey[] | null,
  referencedBy: RawForeignKey[] | null,
  triggers: string[] | null,
];
/** An index or a sequence: [oid, qualifiedName, kind and flags, estimatedRows, partitionOf (index partitions)]. */
type RawPlainRelation = [number, string, number, number, number?];
interface RawCatalog {
  version: string;
  versionNum: number;
  maxLocks: number;
  database: string;
  databaseOid?: number;
  searchPath: string[];
  relations: RawRelation[] | null;
  plainRelations: RawPlainRelation[] | null;
}

/**
 * format('%I.%I', schema, name) split back into its parts. A bare identifier holds no dot or quote; a quoted one
 * doubles its quotes. Exact for every name PostgreSQL can write.
 */
export function splitQualifiedName(qualified: string): [schema: string, name: string] {
  if (!qualified.includes('"')) {
    const dot = qualified.indexOf('.');
    return [qualified.slice(0, dot), qualified.slice(dot + 1)];
  }
  const parts: string[] = [];
  let at = 0;
  while (parts.length < 2) {
    if (qualified[at] === '"') {
      let part = '';
      at++;
      for (;;) {
        const quote = qualified.indexOf('"', at);
        if (quote < 0) throw new Error(`Unterminated quoted name in the catalog: ${qualified}`);
        part += qualified.slice(at, quote);
        at = quote + 1;
        if (qualified[at] !== '"') break;
        part += '"';
        at++;
      }
      parts.push(part);
    } else {
      const end = parts.length === 0 ? qualified.indexOf('.', at) : qualified.length;
      parts.push(qualified.slice(at, end));
      at = end;
    }
    at++; // the dot between schema and name
  }
  return [parts[0] as string, parts[1] as string];
}

function foreignKey(raw: RawForeignKey): CatalogForeignKey {
  return {
    name: raw.name,
    fromOid: Number(raw.fromOid),
    toOid: Number(raw.toOid),
    fromColumns: raw.fromColumns ?? [],
    toColumns: raw.toColumns ?? [],
    onDelete: raw.onDelete as ForeignKeyAction,
    onUpdate: raw.onUpdate as ForeignKeyAction,
    // Only when set: snapshots of immediate keys stay as they were.
    ...(raw.deferred === true ? { deferred: true } : {}),
  };
}

/** The list in `key` order: itself when it already is (the query usually sends it so), else a sorted copy. */
function sortedBy<T>(list: T[], key: (item: T) => number): T[] {
  for (let i = 1; i < list.length; i++) {
    if (key(list[i] as T) < key(list[i - 1] as T)) return [...list].sort((a, b) => key(a) - key(b));
  }
  return list;
}

/** Columns in attnum order (the query aggregates them unsorted; the packed number sorts as attnum does). */
function columnsOf(raw: RawColumn[] | null, columnNames: string[]): CatalogColumn[] {
  if (raw === null) return [];
  raw = sortedBy(raw, (c) => c[1]);
  const columns = new Array<CatalogColumn>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const [name, packed, typeName, defaultExpr, identity, sequence] = raw[i] as RawColumn;
    // Column names by attribute number (dropped columns leave holes), to name index key columns.
    columnNames[packed >> 2] = name;
    columns[i] = {
      name,
      typeName,
      defaultExpr: defaultExpr ?? undefined,
      identity: identity === 'a' ? 'always' : identity === 'd' ? 'by-default' : undefined,
      sequenceOid: sequence === null || sequence === undefined ? undefined : Number(sequence),
      toastable: (packed & 2) !== 0,
      notNull: (packed & 1) !== 0,
    };
  }
  return columns;
}

/** Indexes in OID order (RelationGetIndexList's), key columns named from the table's columns unless sent named. */
function indexesOf(raw: RawIndex[] | null, columnNames: string[]): CatalogIndex[] {
  if (raw === null) return [];
  raw = sortedBy(raw, (i) => i[0]);
  const indexes = new Array<CatalogIndex>(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const [oid, flags, indkey, named, predicate] = raw[i] as RawIndex;
    let columns = named ?? null;
    if (columns === null) {
      const keyCount = flags >> 3;
      const numbers = indkey.split(' ');
      columns = new Array<string>(keyCount);
      for (let k = 0; k < keyCount; k++) columns[k] = columnNames[Number(numbers[k])] ?? '';
    }
    indexes[i] = {
      oid: Number(oid),
      qualifiedName: '',
      valid: (flags & 1) !== 0,
      unique: (flags & 2) !== 0,
      primary: (flags & 4) !== 0,
      columns,
      predicate: predicate ?? undefined,
    };
  }
  return indexes;
}

/** A relation with columns, indexes and the rest; loops, not map/filter chains: a catalog has thousands. */
function relation(raw: RawRelation): CatalogRelation {
  const [oid, qualifiedName, kindAndFlags, estimatedRows, toastOid, toastIndexOid, rawIndexes, rawColumns] = raw;
  const [schema, name] = splitQualifiedName(qualifiedName);
  const columnNames: string[] = [];
  const columns = columnsOf(rawColumns, columnNames);
  const partitioning = raw[11];
  return {
    oid: Number(oid),
    schema,
    name,
    qualifiedName,
    relkind: RELKINDS.get(kindAndFlags >> 2) ?? 'table',
    shared: (kindAndFlags & 2) !== 0,
    temporary: (kindAndFlags & 1) !== 0,
    indexes: indexesOf(rawIndexes, columnNames),
    columns,
    partitioning: partitioning ?? undefined,
    partitionOf: raw[8] === null ? undefined : Number(raw[8]),
    partitionBound: raw[9] ?? undefined,
    partitions: childOids(raw[10], partitioning === null ? undefined : descriptorKeyOf(partitioning, columns)),
    inheritanceChildren: childOids(raw[10], false),
    viewDefinition: raw[12] ?? undefined,
    foreignKeys: raw[13] === null ? [] : raw[13].map(foreignKey),
    referencedBy: raw[14] === null ? [] : raw[14].map(foreignKey),
    triggers: raw[15] ?? [],
    toastOid: toastOid === null ? undefined : Number(toastOid),
    toastIndexOid: toastIndexOid === null ? undefined : Number(toastIndexOid),
    estimatedRows: Number(estimatedRows),
  };
}

/** An index or a sequence: nothing hangs off it but its identity and, for an index partition, its parent. */
function plainRelation(raw: RawPlainRelation): CatalogRelation {
  const [oid, qualifiedName, kindAndFlags, estimatedRows, partitionOf] = raw;
  const [schema, name] = splitQualifiedName(qualifiedName);
  return bareRelation(
    {
      oid: Number(oid),
      schema,
      name,
      qualifiedName,
      relkind: RELKINDS.get(kindAndFlags >> 2) ?? 'table',
      shared: (kindAndFlags & 2) !== 0,
      temporary: (kindAndFlags & 1) !== 0,
    },
    {
      partitionOf: partitionOf === undefined || partitionOf === null ? undefined : Number(partitionOf),
      estimatedRows: Number(estimatedRows),
    },
    true,
  );
}

/** Builds the catalog from the catalog query's JSON text (fresh from a session or kept in the cache). */
export function catalogFromText(text: string, kind: SqlSession['kind']): Catalog {
  const raw = JSON.parse(text) as RawCatalog;
  const relations = new Map<number, CatalogRelation>();
  const byName = new Map<string, number>();
  // byName's key is "schema.name" unquoted: the qualified name itself when neither part needed quotes.
  for (const r of raw.relations ?? []) {
    const rel = relation(r);
    relations.set(rel.oid, rel);
    byName.set(rel.qualifiedName.includes('"') ? `${rel.schema}.${rel.name}` : rel.qualifiedName, rel.oid);
  }
  for (const p of raw.plainRelations ?? []) {
    const rel = plainRelation(p);
    relations.set(rel.oid, rel);
    byName.set(rel.qualifiedName.includes('"') ? `${rel.schema}.${rel.name}` : rel.qualifiedName, rel.oid);
  }
  for (const rel of relations.values()) {
    for (const index of rel.indexes) index.qualifiedName = relations.get(index.oid)?.qualifiedName ?? '';
  }
  return {
    profile: buildServerProfile(raw.version, raw.versionNum, raw.maxLocks, kind === 'server' ? 'server' : 'embedded'),
    database: raw.database,
    ...(raw.databaseOid === undefined ? {} : { databaseOid: Number(raw.databaseOid) }),
    searchPath: raw.searchPath,
    relations,
    byName,
    loadedAt: Date.now(),
  };
}
