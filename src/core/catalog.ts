/** A snapshot of the catalog facts lock prediction needs, loaded in one round trip (src/db/catalog-loader.ts). */
import type { ServerProfile } from './server-profile.js';

export type RelKind =
  | 'table' // r
  | 'partitioned-table' // p
  | 'index' // i
  | 'partitioned-index' // I
  | 'sequence' // S
  | 'view' // v
  | 'materialized-view' // m
  | 'foreign-table' // f
  | 'toast' // t
  | 'composite'; // c

export interface CatalogIndex {
  oid: number;
  /** `format('%I.%I', nspname, relname)` of the index. */
  qualifiedName: string;
  valid: boolean;
  unique: boolean;
  primary: boolean;
  /** Column names (expressions as their text). */
  columns: string[];
  /** Partial-index predicate text, if any. */
  predicate: string | undefined;
}

export interface CatalogColumn {
  name: string;
  /** format_type(atttypid, atttypmod), e.g. "integer", "bigint", "text" (hash partition routing needs it). */
  typeName?: string;
  /** Default expression text (pg_get_expr), e.g. "nextval('app.t_id_seq'::regclass)". */
  defaultExpr: string | undefined;
  /** 'a' (ALWAYS) / 'd' (BY DEFAULT) identity, or undefined. */
  identity: 'always' | 'by-default' | undefined;
  /** Sequence oid feeding this column (serial default or identity), if any. */
  sequenceOid: number | undefined;
  /** attstorage is extended/external, so values may be stored out of line in TOAST. */
  toastable: boolean;
  /** attnotnull (PostgreSQL 17+ drops `IS NULL` on such a column to false at plan time). Absent in old snapshots. */
  notNull?: boolean;
}

export interface CatalogForeignKey {
  name: string;
  /** The referencing (FK side) relation. */
  fromOid: number;
  fromColumns: string[];
  /** The referenced (PK side) relation. */
  toOid: number;
  toColumns: string[];
  /** confdeltype / confupdtype: a=no action, r=restrict, c=cascade, n=set null, d=set default. */
  onDelete: 'a' | 'r' | 'c' | 'n' | 'd';
  onUpdate: 'a' | 'r' | 'c' | 'n' | 'd';
  /** DEFERRABLE INITIALLY DEFERRED (condeferred): checks run at COMMIT. Absent in older snapshots (= immediate). */
  deferred?: boolean;
}

/** One label of an enum type (pg_enum). */
export interface CatalogEnumLabel {
  oid: number;
  label: string;
  /** enumsortorder: enums compare by it, not by label or OID. */
  sortOrder: number;
}

/** What pruning and routing need of one partition key column's type. */
export interface CatalogKeyType {
  /** The enum's labels in sort order, or null when the column is not an enum. */
  enumLabels: CatalogEnumLabel[] | null;
  /** The key's collation is deterministic (text hashes and compares its bytes); nondeterministic ones are not modelled. */
  deterministic: boolean;
}

export interface CatalogPartitioning {
  strategy: 'list' | 'range' | 'hash';
  /** Partition key columns (expression keys as text). */
  keyColumns: string[];
  /** Per key column, as keyColumns; absent in snapshots stored before it was loaded. */
  keyTypes?: CatalogKeyType[];
}

export interface CatalogRelation {
  oid: number;
  schema: string;
  name: string;
  /** `format('%I.%I', nspname, relname)`: the spelling of the CLI contract. */
  qualifiedName: string;
  relkind: RelKind;
  /** relisshared: a shared catalog, never fast path. */
  shared: boolean;
  /** relpersistence = 't'. */
  temporary: boolean;
  /** Indexes in the order RelationGetIndexList returns them (ascending OID), invalid ones included. */
  indexes: CatalogIndex[];
  columns: CatalogColumn[];
  /** For partitioned tables. */
  partitioning: CatalogPartitioning | undefined;
  /** For partitions: the parent's oid and the bound text (pg_get_expr(relpartbound)). */
  partitionOf: number | undefined;
  partitionBound: string | undefined;
  /** Direct partitions (declarative), in the parent's partition-descriptor order (by bound). */
  partitions: number[];
  /** Direct children by legacy inheritance (pg_inherits, not partitions), ascending OID. */
  inheritanceChildren: number[];
  /** For views and materialized views: pg_get_viewdef text. */
  viewDefinition: string | undefined;
  /** Outgoing foreign keys (this relation references others). */
  foreignKeys: CatalogForeignKey[];
  /** Incoming foreign keys (others reference this relation). */
  referencedBy: CatalogForeignKey[];
  /** User (non-internal) triggers' names; enabled ones only. */
  triggers: string[];
  /** TOAST table and its index, if the relation has one. */
  toastOid: number | undefined;
  toastIndexOid: number | undefined;
  /** Estimated rows (reltuples), for hot-table heuristics; -1 when never analysed. */
  estimatedRows: number;
}

/** What names a relation; everything else of a bare relation (an index, a sequence, one a statement creates) is empty. */
export type RelationIdentity = Pick<CatalogRelation, 'oid' | 'schema' | 'name' | 'qualifiedName' | 'relkind' | 'shared' | 'temporary'>;

/**
 * The one empty list a loaded catalog's bare relations share, frozen so that a write to it fails loudly: 20,000 index
 * relations with seven fresh empty arrays each were a fifth of a large catalog's decode, most of it garbage collection.
 */
const NONE: never[] = Object.freeze([]) as unknown as never[];

/**
 * A relation with nothing hanging off it: no indexes, columns, partitions, keys or TOAST. `sharedLists`: its empty
 * lists are one frozen array (a catalog as loaded, never added to); otherwise fresh ones a caller may fill.
 */
export function bareRelation(
  identity: RelationIdentity,
  extra: Pick<CatalogRelation, 'partitionOf' | 'estimatedRows'> = { partitionOf: undefined, estimatedRows: 0 },
  sharedLists = false,
): CatalogRelation {
  // Fields written out, not spread: `{ ...identity, more }` costs V8 about 40 µs an object (measured: 20,000 index
  // relations of a catalog took 0.6–0.9 s of CPU, the literal 10–30 ms).
  return {
    oid: identity.oid,
    schema: identity.schema,
    name: identity.name,
    qualifiedName: identity.qualifiedName,
    relkind: identity.relkind,
    shared: identity.shared,
    temporary: identity.temporary,
    indexes: sharedLists ? NONE : [],
    columns: sharedLists ? NONE : [],
    partitioning: undefined,
    partitionOf: extra.partitionOf,
    partitionBound: undefined,
    partitions: sharedLists ? NONE : [],
    inheritanceChildren: sharedLists ? NONE : [],
    viewDefinition: undefined,
    foreignKeys: sharedLists ? NONE : [],
    referencedBy: sharedLists ? NONE : [],
    triggers: sharedLists ? NONE : [],
    toastOid: undefined,
    toastIndexOid: undefined,
    estimatedRows: extra.estimatedRows,
  };
}

export interface Catalog {
  profile: ServerProfile;
  /** Database the snapshot was read from. */
  database: string;
  /**
   * The database's OID (part of every relation lock tag, so of its FastPathStrongRelationLocks partition); absent in
   * snapshots written before it was read, and then strong-lock partitions are not modelled.
   */
  databaseOid?: number;
  /** Effective search_path schemas, in order (pg_catalog implicitly first, as Postgres resolves). */
  searchPath: string[];
  relations: Map<number, CatalogRelation>;
  /** "schema.name" (unquoted, as stored) → oid. */
  byName: Map<string, number>;
  /** Date.now() when loaded. */
  loadedAt: number;
}

/** Resolves a name as written (schema optional) the way Postgres resolves it through search_path. */
export function resolveRelation(catalog: Catalog, schema: string | undefined, name: string): CatalogRelation | undefined {
  if (schema !== undefined) {
    const oid = catalog.byName.get(`${schema}.${name}`);
    return oid === undefined ? undefined : catalog.relations.get(oid);
  }
  for (const candidate of ['pg_catalog', ...catalog.searchPath]) {
    const oid = catalog.byName.get(`${candidate}.${name}`);
    if (oid !== undefined) return catalog.relations.get(oid);
  }
  return undefined;
}

/** Lookups derived from a catalog snapshot, built once per catalog on first use. */
interface CatalogLookups {
  /** The relation each index, TOAST relation, partition and inheritance child belongs to. */
  owners: Map<number, number>;
}

const lookups = new WeakMap<Catalog, CatalogLookups>();

function catalogLookups(catalog: Catalog): CatalogLookups {
  let index = lookups.get(catalog);
  if (index !== undefined) return index;
  const owners = new Map<number, number>();
  for (const relation of catalog.relations.values()) {
    for (const i of relation.indexes) owners.set(i.oid, relation.oid);
    if (relation.toastOid !== undefined) owners.set(relation.toastOid, relation.oid);
    if (relation.toastIndexOid !== undefined) owners.set(relation.toastIndexOid, relation.oid);
    for (const child of relation.partitions) owners.set(child, relation.oid);
    for (const child of relation.inheritanceChildren) owners.set(child, relation.oid);
  }
  index = { owners };
  lookups.set(catalog, index);
  return index;
}

/**
 * The relation `oid` belongs to by the catalog's structure: the table of an index or TOAST relation (a TOAST index
 * belongs to the table, not to the TOAST table), the parent of a partition or inheritance child.
 */
export function structuralOwner(catalog: Catalog, oid: number): CatalogRelation | undefined {
  const owner = catalogLookups(catalog).owners.get(oid);
  return owner === undefined ? undefined : catalog.relations.get(owner);
}
