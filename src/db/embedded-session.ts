/** The embedded default database: PGlite (PostgreSQL 18 in WASM), optionally loaded with a schema (cached per content). */
import { PGlite } from '@electric-sql/pglite';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { DbError, classifyDbError } from './errors.js';
import { readCachedLoad, relabelCachedReport, schemaCacheKey, writeCachedLoad } from './embedded-cache.js';
import { bundlesFor, pgliteExtensions } from './embedded-extensions.js';
import { extensionsNamed, loadSplitSchema, splitSources, type SchemaLoadReport, type SchemaSource } from './schema-loader.js';
import type { SentStatement, SqlSession } from './session.js';

/**
 * PGlite finds its wasm and data files relative to its own module URL, which a bundle loses.
 * The build copies them next to dist/*.js; from sources they come from node_modules.
 */
function pgliteAssetDir(): string {
  const beside = typeof __dirname === 'string' ? __dirname : '';
  if (beside !== '' && existsSync(join(beside, 'pglite.wasm'))) return beside;
  const require = createRequire(join(process.cwd(), 'package.json'));
  return dirname(require.resolve('@electric-sql/pglite'));
}

/** Size of PGlite's WASM and data files: a new PGlite build gets new cache keys. */
function engineFingerprint(dir: string): string {
  return ['pglite.wasm', 'pglite.data'].map((f) => statSync(join(dir, f)).size).join('-');
}

/** Starts PGlite with the bundles registered, from a saved data directory when given (no initdb then). */
async function createPglite(extensionBundles: readonly string[], dataDir?: Blob): Promise<PGlite> {
  const dir = pgliteAssetDir();
  const compile = (file: string): Promise<WebAssembly.Module> => WebAssembly.compile(readFileSync(join(dir, file)));
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
    compile('pglite.wasm'),
    dataDir === undefined ? compile('initdb.wasm') : undefined,
  ]);
  const fsBundle = new Blob([readFileSync(join(dir, 'pglite.data'))]);
  const extensions = pgliteExtensions(extensionBundles, dir);
  return dataDir === undefined
    ? // 1 MB WAL segments instead of 16: the saved data directory carries one segment (15 MB less to read each start).
      PGlite.create({ pgliteWasmModule, initdbWasmModule, fsBundle, extensions, initDbStartParams: ['--wal-segsize=1'] })
    : PGlite.create({ pgliteWasmModule, fsBundle, extensions, loadDataDir: dataDir });
}

export interface EmbeddedOptions {
  /** A schema file to load first (plain DDL, `pg_dump -s` output or Rails' structure.sql). */
  schemaFile?: string;
  /** Alternatively the schema text itself. */
  schemaSql?: string;
  /** Or several schema texts, loaded in order (migrations, discovered sources). */
  schemaSources?: SchemaSource[];
  /** Keep the loaded database here per schema content hash and start from it next time (no cache when absent). */
  cacheDir?: string;
}

export interface EmbeddedSession extends SqlSession {
  /** What loading the schema applied and skipped. */
  readonly schemaReport: SchemaLoadReport;
}

/** The options' schema as sources, in load order. */
function schemaSources(options: EmbeddedOptions): SchemaSource[] {
  if (options.schemaSources !== undefined) return options.schemaSources;
  if (options.schemaFile !== undefined) {
    try {
      return [{ file: options.schemaFile, text: readFileSync(options.schemaFile, 'utf8') }];
    } catch (error) {
      throw new DbError('schema-load', `Cannot read schema file ${options.schemaFile}: ${(error as Error).message}`, error);
    }
  }
  return options.schemaSql === undefined ? [] : [{ file: 'the schema', text: options.schemaSql }];
}

/** Loads the sources into a fresh PGlite; with a cache directory, saves the loaded data directory there. */
async function loadFresh(sources: readonly SchemaSource[], cache: { dir: string; key: string } | undefined): Promise<Opened> {
  const split = await splitSources(sources);
  // Contrib extensions are registered only when the schema creates them (each bundle costs start-up time).
  const bundles = bundlesFor(extensionsNamed(split));
  const db = await createPglite(bundles);
  let report: SchemaLoadReport = { applied: 0, skipped: [] };
  try {
    if (split.length > 0) report = await loadSplitSchema(async (sql) => void (await db.exec(sql)), split);
    if (cache !== undefined && split.length > 0) {
      // Nobody creates databases here: without the two templates the saved directory is half the size. Then flush to
      // the data files, so the saved directory needs no WAL replay.
      for (const template of ['template1', 'template0']) {
        await db.exec(`ALTER DATABASE ${template} IS_TEMPLATE false`);
        await db.exec(`DROP DATABASE ${template}`);
      }
      await db.exec('CHECKPOINT');
      const tarball = new Uint8Array(await (await db.dumpDataDir('none')).arrayBuffer());
      writeCachedLoad(cache.dir, cache.key, tarball, { report, bundles, files: sources.map((s) => s.file) });
      report = { ...report, cache: 'stored' };
    }
    // pg_dump output clears search_path for its own session; give later queries the usual one back.
    await db.exec('RESET search_path');
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error instanceof DbError ? error : new DbError('schema-load', `Could not load the schema: ${(error as Error).message}`, error);
  }
  return { db, report };
}

interface Opened {
  db: PGlite;
  report: SchemaLoadReport;
}

/** Where the options' loaded schema is (or would be) cached: undefined without a cache directory or a schema. */
export function embeddedCacheEntry(options: EmbeddedOptions): { dir: string; key: string } | undefined {
  const sources = schemaSources(options).filter((s) => s.text.trim() !== '');
  return options.cacheDir === undefined || sources.length === 0
    ? undefined
    : { dir: options.cacheDir, key: schemaCacheKey(sources, engineFingerprint(pgliteAssetDir())) };
}

export async function openEmbeddedSession(options: EmbeddedOptions = {}): Promise<EmbeddedSession> {
  const display = options.schemaFile !== undefined ? `embedded PostgreSQL 18 (${options.schemaFile})` : 'embedded PostgreSQL 18';
  const sources = schemaSources(options).filter((s) => s.text.trim() !== '');
  const cache = embeddedCacheEntry(options);
  const hit = cache === undefined ? undefined : readCachedLoad(cache.dir, cache.key);
  const { db, report } =
    hit === undefined
      ? await loadFresh(sources, cache)
      : {
          db: await createPglite(hit.load.bundles, hit.dataDir),
          report: { ...relabelCachedReport(hit.load, sources), cache: 'hit' as const },
        };
  let closed = false;
  return {
    kind: 'embedded',
    display,
    schemaReport: report,
    async query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
      try {
        const result = await db.query<Row>(sql, params === undefined ? undefined : [...params]);
        return result.rows;
      } catch (error) {
        throw classifyDbError(error, display);
      }
    },
    async sendStatement<Row extends object>(sql: string, params?: readonly unknown[]): Promise<SentStatement<Row>> {
      // PGlite's query() is the extended protocol already (one statement, bound parameters); isInTransaction() reads
      // the backend's transaction block state, the same fact ReadyForQuery's status byte reports.
      try {
        const result = await db.query<Row>(sql, params === undefined ? [] : [...params]);
        return { rows: result.rows, status: db.isInTransaction() ? 'in-transaction' : 'idle' };
      } catch (error) {
        throw classifyDbError(error, display);
      }
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await db.close().catch(() => undefined);
    },
  };
}
