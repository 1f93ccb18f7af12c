/** Turns the CLI's --db / --schema options (or the environment) into an open database session. */
import { join } from 'node:path';
import { resolveConnectionTarget } from '../db/connection-target.js';
import type { Catalog } from '../core/catalog.js';
import { CATALOG_QUERY_FINGERPRINT, catalogFromText, catalogText } from '../db/catalog-loader.js';
import { defaultCacheDir, readCachedCatalog, writeCachedCatalog } from '../db/embedded-cache.js';
import { embeddedCacheEntry, openEmbeddedSession } from '../db/embedded-session.js';
import { discoverRepositorySchema } from '../db/schema-discovery.js';
import { openServerSession } from '../db/server-session.js';
import { DEFAULT_SAFETY, withSession, type SessionSafety, type SqlSession } from '../db/session.js';
import { UsageError } from './cli-error.js';

export interface DatabaseOptions {
  db?: string | undefined;
  schema?: string | undefined;
  connectTimeoutSeconds?: number | undefined;
  /** With no --db, --schema or environment: discover the schema of the repository at `root`; `note` says which. */
  discovery?: { root: string; note: (text: string) => void } | undefined;
}

/** Where the CLI keeps loaded schemas: LOCKSCOPE_CACHE_DIR (`off`: nowhere), else the user cache directory. */
export function embeddedCacheDir(env: Record<string, string | undefined>): string | undefined {
  const configured = env['LOCKSCOPE_CACHE_DIR'];
  if (configured === 'off') return undefined;
  return configured !== undefined && configured !== '' ? configured : join(defaultCacheDir(env), 'embedded');
}

/**
 * The catalog the options name. A `--schema` whose catalog was kept by an earlier call (same schema text, same
 * PGlite, same catalog query) is answered from the cache without starting PostgreSQL; otherwise the database is
 * opened, read once and closed, and the catalog kept for next time.
 */
export async function openCatalog(options: DatabaseOptions, env: Record<string, string | undefined>): Promise<Catalog> {
  const cacheDir = embeddedCacheDir(env);
  const entry =
    options.schema === undefined || options.db !== undefined || cacheDir === undefined
      ? undefined
      : embeddedCacheEntry({ schemaFile: options.schema, cacheDir });
  const kept = entry === undefined ? undefined : readCachedCatalog(entry.dir, entry.key, CATALOG_QUERY_FINGERPRINT);
  if (kept !== undefined) return catalogFromText(kept, 'embedded');
  return withSession(
    () => openDatabase(options, env),
    async (session) => {
      const text = await catalogText(session);
      if (entry !== undefined) writeCachedCatalog(entry.dir, entry.key, CATALOG_QUERY_FINGERPRINT, text);
      return catalogFromText(text, session.kind);
    },
  );
}

/** --schema wins (the embedded database); otherwise --db, DATABASE_URL, then PG* variables. */
export async function openDatabase(
  options: DatabaseOptions,
  env: Record<string, string | undefined>,
  safety: SessionSafety = DEFAULT_SAFETY,
): Promise<SqlSession> {
  if (options.db !== undefined && options.schema !== undefined) {
    throw new UsageError('Give either --db URL or --schema FILE, not both.');
  }
  if (options.schema !== undefined) {
    const cacheDir = embeddedCacheDir(env);
    return openEmbeddedSession(cacheDir === undefined ? { schemaFile: options.schema } : { schemaFile: options.schema, cacheDir });
  }
  const target = resolveConnectionTarget(options.db, env);
  if (target === undefined && options.discovery !== undefined) {
    const found = await discoverRepositorySchema(options.discovery.root);
    if (found !== undefined) {
      options.discovery.note(
        `lockscope: no database configured; using the schema discovered in ${options.discovery.root}: ${found.schema.description} (lockscope schema lists what it loads and skips)`,
      );
      const cacheDir = embeddedCacheDir(env);
      return openEmbeddedSession({ schemaSources: found.translated.sources, ...(cacheDir === undefined ? {} : { cacheDir }) });
    }
  }
  if (target === undefined) {
    const looked = options.discovery === undefined ? '' : `; no schema source was found under ${options.discovery.root} either`;
    throw new UsageError(`No database: give --db URL, --schema FILE, or set DATABASE_URL (or the PG* variables)${looked}.`);
  }
  const connectTimeoutMs = (options.connectTimeoutSeconds ?? safety.connectTimeoutMs / 1000) * 1000;
  return openServerSession(target, { ...safety, connectTimeoutMs });
}
