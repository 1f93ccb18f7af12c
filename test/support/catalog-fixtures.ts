/** Builders of small in-memory catalog relations for unit tests of pure prediction code (no database). */
import { bareRelation, type CatalogRelation, type RelKind } from '../../src/core/catalog.js';

export function relation(oid: number, name: string, relkind: RelKind = 'table', extra: Partial<CatalogRelation> = {}): CatalogRelation {
  const bare = bareRelation({ oid, schema: 'public', name, qualifiedName: `public.${name}`, relkind, shared: false, temporary: false });
  return { ...bare, ...extra };
}
