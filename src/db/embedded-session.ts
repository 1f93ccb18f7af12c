/** The embedded default database: PGlite (PostgreSQL 18 in WASM), optionally loaded with a schema file. */
import { PGlite } from '@electric-sql/pglite';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { DbError, classifyDbError } from './errors.js';
import { bundlesFor, pgliteExtensions } from './embedded-extensions.js';
import { extensionsNamed, loadSplitSchema, splitSources, type SchemaLoadReport, type SchemaSource } from './schema-loader.js';
import type { SqlSession } from './session.js';

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

async function createPglite(extensionBundles: readonly string[]): Promise<PGlite> {
  const dir = pgliteAssetDir();
  const [pgliteWasmModule, initdbWasmModule] = await Promise.all([
    WebAssembly.compile(readFileSync(join(dir, 'pglite.wasm'))),
    WebAssembly.compile(readFileSync(join(dir, 'initdb.wasm'))),
  ]);
  const fsBundle = new Blob([readFileSync(join(dir, 'pglite.data'))]);
  return PGlite.create({ pgliteWasmModule, initdbWasmModule, fsBundle, extensions: pgliteExtensions(extensionBundles, dir) });
}

export interface EmbeddedOptions {
  /** A schema file to load first (plain DDL, `pg_dump -s` output or Rails' structure.sql). */
  schemaFile?: string;
  /** Alternatively the schema text itself. */
  schemaSql?: string;
  /** Or several schema texts, loaded in order (migrations, discovered sources). */
  schemaSources?: SchemaSource[];
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

export async function openEmbeddedSession(options: EmbeddedOptions = {}): Promise<EmbeddedSession> {
  const display = options.schemaFile !== undefined ? `embedded PostgreSQL 18 (${options.schemaFile})` : 'embedded PostgreSQL 18';
  const split = await splitSources(schemaSources(options).filter((s) => s.text.trim() !== ''));
  // Contrib extensions are registered only when the schema creates them (each bundle costs start-up time).
  const db = await createPglite(bundlesFor(extensionsNamed(split)));
  let report: SchemaLoadReport = { applied: 0, skipped: [] };
  if (split.length > 0) {
    try {
      report = await loadSplitSchema(async (sql) => void (await db.exec(sql)), split);
      // pg_dump output clears search_path for its own session; give later queries the usual one back.
      await db.exec('RESET search_path');
    } catch (error) {
      await db.close().catch(() => undefined);
      throw error instanceof DbError ? error : new DbError('schema-load', `Could not load the schema: ${(error as Error).message}`, error);
    }
  }
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
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await db.close().catch(() => undefined);
    },
  };
}
