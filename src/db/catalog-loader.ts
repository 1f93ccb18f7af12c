/** Loads a Catalog snapshot in one round trip (CATALOG_SQL) and caches it per connection until refreshed. */
import { createHash } from 'node:crypto';
import type { Catalog } from '../core/catalog.js';
import { catalogFromText } from './catalog-decode.js';
import { CATALOG_SQL } from './catalog-sql.js';
import { DbError } from './errors.js';
import type { SqlSession } from './session.js';

export { catalogFromText } from './catalog-decode.js';

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
