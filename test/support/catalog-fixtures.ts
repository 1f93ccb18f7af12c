/** Builders of small in-memory catalog relations for unit tests of pure prediction code (no database). */
import type { CatalogRelation, RelKind } from '../../src/core/catalog.js';

export function relation(oid: number, name: string, relkind: RelKind = 'table', extra: Partial<CatalogRelation> = {}): CatalogRelation {
  return {
    oid,
    schema: 'public',
    name,
    qualifiedName: `public.${name}`,
    relkind,
    shared: false,
    temporary: false,
    indexes: [],
    columns: [],
    partitioning: undefined,
    partitionOf: undefined,
    partitionBound: undefined,
    partitions: [],
    inheritanceChildren: [],
    viewDefinition: undefined,
    foreignKeys: [],
    referencedBy: [],
    triggers: [],
    toastOid: undefined,
    toastIndexOid: undefined,
    estimatedRows: 0,
    ...extra,
  };
}
