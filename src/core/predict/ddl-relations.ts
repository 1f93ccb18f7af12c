/** What the DDL companion rules share: resolving a RangeVar, a table's index relations, and how a companion is added. */
import type { RangeVar } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import type { LockMode } from '../lock-modes.js';

/** Adds a companion lock request (nothing when the relation is unknown); `owner` for a relation the statement creates. */
export type AddCompanion = (relation: CatalogRelation | undefined, mode: LockMode, reason: string, owner?: CatalogRelation) => void;

export function relationOf(catalog: Catalog, rv: RangeVar | undefined): CatalogRelation | undefined {
  return rv?.relname === undefined ? undefined : resolveRelation(catalog, rv.schemaname, rv.relname);
}

export function indexesOf(catalog: Catalog, relation: CatalogRelation | undefined): CatalogRelation[] {
  return (relation?.indexes ?? []).map((i) => catalog.relations.get(i.oid)).filter((r): r is CatalogRelation => r !== undefined);
}
