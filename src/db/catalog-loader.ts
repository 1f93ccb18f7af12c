/** Loads a Catalog snapshot in one round trip (CATALOG_SQL) and caches it per connection until refreshed. */
import { createHash } from 'node:crypto';
import {
  bareRelation,
  type Catalog,
  type CatalogColumn,
  type CatalogEnumLabel,
  type CatalogForeignKey,
  type CatalogIndex,
  type CatalogPartitioning,
  type CatalogRelation,
  type RelKind,
} from '../core/catalog.js';
import { keyFamily, typedValue, type KeyFamily } from '../core/predict/key-values.js';
import { compareValues, parsePartitionBound, type BoundValue } from '../core/predict/partition-bounds.js';
import { buildServerProfile } from '../core/server-profile.js';
import { CATALOG_SQL } from './catalog-sql.js';
import { DbError } from './errors.js';
import type { SqlSession } from './session.js';

const RELKINDS: Record<string, RelKind> = {
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
};

type ForeignKeyAction = CatalogForeignKey['onDelete'];

interface RawRelation {
  oid: number;
  schema: string;
  name: string;
  qualifiedName: string;
  relkind: string;
  shared: boolean;
  temporary: boolean;
  toastOid: number | null;
  toastIndexOid: number | null;
  estimatedRows: number;
  indexes: RawIndex[];
  columns: RawColumn[];
  partitionOf: number | null;
  partitionBound: string | null;
  children: Array<{ oid: number; bound: string | null; isPartition: boolean }>;
  partitioning: CatalogPartitioning | null;
  viewDefinition: string | null;
  foreignKeys: RawForeignKey[];
  referencedBy: RawForeignKey[];
  triggers: string[];
}
/** [oid, valid, unique, primary, key column numbers, key columns (only with an expression column), predicate]. */
type RawIndex = [number, boolean, boolean, boolean, number[], string[] | null, string | null];
/** [name, number, type, default, identity, owned sequence, toastable, not null]. */
type RawColumn = [string, number, string, string | null, string | null, number | null, boolean, boolean];
/** An index or sequence: [oid, schema, name, qualifiedName, relkind, shared, temporary, estimatedRows, partitionOf]. */
type RawPlainRelation = [number, string, string, string, string, boolean, boolean, number, number | null];

interface RawForeignKey {
  name: string;
  fromOid: number;
  toOid: number;
  fromColumns: string[];
  toColumns: string[];
  onDelete: string;
  onUpdate: string;
  /** condeferred; absent in snapshots stored before it was loaded. */
  deferred?: boolean;
}
interface RawCatalog {
  version: string;
  versionNum: number;
  maxLocks: number;
  database: string;
  searchPath: string[];
  relations: RawRelation[] | null;
  plainRelations: RawPlainRelation[] | null;
}

const undef = <T>(value: T | null | undefined): T | undefined => (value === null ? undefined : value);

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

/** The first key column's type, as bounds are compared: '100' in a smallint bound is 100, an enum by sort order. */
export interface DescriptorKey {
  family: KeyFamily;
  enumLabels?: CatalogEnumLabel[] | null;
}

/**
 * The partition descriptor's order, which decides planner lock order: range partitions by lower bound, list
 * partitions by their smallest value (compared as the key's type, never as spelled), a list partition accepting only
 * NULL after them, hash partitions by (modulus, remainder); the default partition last. Bounds that cannot be
 * compared keep OID order.
 */
export function partitionDescriptorOrder(
  children: Array<{ oid: number; bound: string | null }>,
  descriptorKey: DescriptorKey = { family: 'untyped' },
): number[] {
  const typed = (v: BoundValue | undefined): BoundValue | undefined =>
    v === undefined ? undefined : (typedValue(v, descriptorKey.family, descriptorKey.enumLabels) ?? v);
  const keyed = children.map((child) => {
    const bound = parsePartitionBound(child.bound ?? undefined);
    let key: BoundValue | undefined;
    let hash: [number, number] | undefined;
    if (bound.kind === 'range') key = typed(bound.from[0]);
    else if (bound.kind === 'list')
      key = bound.values
        .filter((v) => v.kind !== 'null')
        .map(typed)
        .sort((a, b) => (a !== undefined && b !== undefined ? (compareValues(a, b) ?? 0) : 0))[0];
    else if (bound.kind === 'hash') hash = [bound.modulus, bound.remainder];
    const nullOnly = bound.kind === 'list' && key === undefined;
    return { oid: Number(child.oid), isDefault: bound.kind === 'default', nullOnly, key, hash };
  });
  keyed.sort((a, b) => {
    if (a.isDefault !== b.isDefault) return a.isDefault ? 1 : -1;
    if (a.nullOnly !== b.nullOnly) return a.nullOnly ? 1 : -1;
    if (a.hash !== undefined && b.hash !== undefined) return a.hash[0] - b.hash[0] || a.hash[1] - b.hash[1];
    if (a.key !== undefined && b.key !== undefined) return compareValues(a.key, b.key) ?? a.oid - b.oid;
    return a.oid - b.oid;
  });
  return keyed.map((k) => k.oid);
}

/** The partition key's first column's type (partitionDescriptorOrder compares bounds as that type). */
function descriptorKeyOf(raw: RawRelation, columns: CatalogColumn[]): DescriptorKey {
  const keyColumn = raw.partitioning?.keyColumns[0];
  return {
    family: keyFamily(columns.find((c) => c.name === keyColumn)?.typeName),
    enumLabels: raw.partitioning?.keyTypes?.[0]?.enumLabels,
  };
}

/**
 * Partitions in descriptor order (`partitions` is the key to compare bounds by, undefined for untyped) or, with
 * `false`, legacy inheritance children by OID; most relations have neither.
 */
function childOids(children: RawRelation['children'], partitions: DescriptorKey | undefined | false): number[] {
  if (children.length === 0) return [];
  const picked = children.filter((c) => c.isPartition === (partitions !== false));
  if (partitions === false) return picked.map((c) => Number(c.oid)).sort((a, b) => a - b);
  return partitionDescriptorOrder(picked, partitions);
}

/** A relation with columns, indexes and the rest; loops, not map/filter chains: a catalog has thousands. */
function relation(raw: RawRelation): CatalogRelation {
  // Column names by attribute number (dropped columns leave holes), to name index key columns.
  const columnNames: string[] = [];
  const columns: CatalogColumn[] = new Array<CatalogColumn>(raw.columns.length);
  for (let i = 0; i < raw.columns.length; i++) {
    const [name, num, type, defaultExpr, identity, sequence, toastable, notNull] = raw.columns[i] as RawColumn;
    columnNames[num] = name;
    columns[i] = {
      name,
      typeName: type,
      defaultExpr: defaultExpr ?? undefined,
      identity: identity === 'a' ? 'always' : identity === 'd' ? 'by-default' : undefined,
      sequenceOid: sequence === null ? undefined : Number(sequence),
      toastable,
      notNull,
    };
  }
  const indexes: CatalogIndex[] = new Array<CatalogIndex>(raw.indexes.length);
  for (let i = 0; i < raw.indexes.length; i++) {
    const [oid, valid, unique, primary, keys, named, predicate] = raw.indexes[i] as RawIndex;
    let names = named;
    if (names === null) {
      names = new Array<string>(keys.length);
      for (let k = 0; k < keys.length; k++) names[k] = columnNames[keys[k] as number] ?? '';
    }
    indexes[i] = { oid: Number(oid), qualifiedName: '', valid, unique, primary, columns: names, predicate: predicate ?? undefined };
  }
  return {
    oid: Number(raw.oid),
    schema: raw.schema,
    name: raw.name,
    qualifiedName: raw.qualifiedName,
    relkind: RELKINDS[raw.relkind] ?? 'table',
    shared: raw.shared,
    temporary: raw.temporary,
    indexes,
    columns,
    partitioning: undef(raw.partitioning),
    partitionOf: raw.partitionOf === null ? undefined : Number(raw.partitionOf),
    partitionBound: undef(raw.partitionBound),
    partitions: raw.partitioning === null ? childOids(raw.children, undefined) : childOids(raw.children, descriptorKeyOf(raw, columns)),
    inheritanceChildren: childOids(raw.children, false),
    viewDefinition: undef(raw.viewDefinition),
    foreignKeys: raw.foreignKeys.length === 0 ? [] : raw.foreignKeys.map(foreignKey),
    referencedBy: raw.referencedBy.length === 0 ? [] : raw.referencedBy.map(foreignKey),
    triggers: raw.triggers,
    toastOid: raw.toastOid === null ? undefined : Number(raw.toastOid),
    toastIndexOid: raw.toastIndexOid === null ? undefined : Number(raw.toastIndexOid),
    estimatedRows: Number(raw.estimatedRows),
  };
}

/** An index or a sequence: nothing hangs off it but its identity and, for an index partition, its parent. */
function plainRelation(raw: RawPlainRelation): CatalogRelation {
  // Built directly (no intermediate raw object): these are most of a large catalog's relations.
  return bareRelation(
    {
      oid: Number(raw[0]),
      schema: raw[1],
      name: raw[2],
      qualifiedName: raw[3],
      relkind: RELKINDS[raw[4]] ?? 'table',
      shared: raw[5],
      temporary: raw[6],
    },
    { partitionOf: raw[8] === null ? undefined : Number(raw[8]), estimatedRows: Number(raw[7]) },
  );
}

export async function loadCatalog(session: SqlSession): Promise<Catalog> {
  return catalogFromText(await catalogText(session), session.kind);
}

/** Which catalog query produced a kept catalog text: a cached text from another query is not read. */
export const CATALOG_QUERY_FINGERPRINT = createHash('sha256').update(CATALOG_SQL).digest('hex').slice(0, 16);

/** The catalog query's answer as it came: one JSON text, which is also what a schema's catalog cache keeps. */
export async function catalogText(session: SqlSession): Promise<string> {
  const rows = await session.query<{ catalog: string }>(CATALOG_SQL);
  const text = rows[0]?.catalog;
  if (text === undefined) throw new DbError('query-failed', `The catalog query on ${session.display} returned nothing.`);
  return text;
}

/** Builds the catalog from the catalog query's JSON text (fresh from a session or kept in the cache). */
export function catalogFromText(text: string, kind: SqlSession['kind']): Catalog {
  const raw = JSON.parse(text) as RawCatalog;
  const relations = new Map<number, CatalogRelation>();
  const byName = new Map<string, number>();
  for (const r of raw.relations ?? []) {
    const rel = relation(r);
    relations.set(rel.oid, rel);
    byName.set(`${rel.schema}.${rel.name}`, rel.oid);
  }
  for (const p of raw.plainRelations ?? []) {
    const rel = plainRelation(p);
    relations.set(rel.oid, rel);
    byName.set(`${rel.schema}.${rel.name}`, rel.oid);
  }
  for (const rel of relations.values()) {
    for (const index of rel.indexes) index.qualifiedName = relations.get(index.oid)?.qualifiedName ?? '';
  }
  return {
    profile: buildServerProfile(raw.version, raw.versionNum, raw.maxLocks, kind === 'server' ? 'server' : 'embedded'),
    database: raw.database,
    searchPath: raw.searchPath,
    relations,
    byName,
    loadedAt: Date.now(),
  };
}

/** One catalog per connection target; `refresh` reloads it (after migrations). */
export class CatalogCache {
  private readonly entries = new Map<string, Promise<Catalog>>();

  get(session: SqlSession, options: { refresh?: boolean } = {}): Promise<Catalog> {
    const key = session.display;
    const cached = this.entries.get(key);
    if (cached !== undefined && options.refresh !== true) return cached;
    const loading = loadCatalog(session);
    this.entries.set(key, loading);
    // A failed load must not stick: the next call tries again.
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    return loading;
  }

  invalidate(key?: string): void {
    if (key === undefined) this.entries.clear();
    else this.entries.delete(key);
  }
}
