/**
 * The loaded embedded database kept on disk per schema content hash, so a second `estimate --schema` skips initdb
 * and the schema load (seconds to a minute on a real schema) and starts from the saved data directory. A change to
 * any schema source, to PGlite or to Lockscope's loader gives a new key; old entries are pruned.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { SchemaLoadReport, SchemaSource } from './schema-loader.js';

/** Bump when what the loader writes into the data directory changes (skip rules, extension handling…). */
const LOADER_FORMAT = 'lockscope-embedded-1';
/** Entries kept per cache directory (each is a data directory tarball of tens of MB). */
const MAX_ENTRIES = 6;

/** What is stored beside the data directory: the load's report and the extension bundles it needs registered. */
export interface CachedLoad {
  report: SchemaLoadReport;
  bundles: string[];
  /** The sources' file names when the entry was stored, in load order. */
  files: string[];
}

/**
 * The user cache directory for the CLI: `$XDG_CACHE_HOME/lockscope`, else the platform's usual place
 * (`~/Library/Caches` on macOS, `%LOCALAPPDATA%` on Windows, `~/.cache` elsewhere).
 */
export function defaultCacheDir(env: Record<string, string | undefined>, platform: NodeJS.Platform = process.platform): string {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg !== undefined && xdg !== '') return join(xdg, 'lockscope');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'lockscope');
  const local = env['LOCALAPPDATA'];
  if (platform === 'win32' && local !== undefined && local !== '') return join(local, 'lockscope', 'Cache');
  return join(homedir(), '.cache', 'lockscope');
}

/**
 * The cache key: every source's text, in order, with the PGlite build (its WASM size) and the loader format. Not the
 * file names: the same schema reached by another path is the same database (relabelCachedReport fixes the notes).
 */
export function schemaCacheKey(sources: readonly SchemaSource[], engineFingerprint: string): string {
  const hash = createHash('sha256').update(`${LOADER_FORMAT}\0${engineFingerprint}\0`);
  for (const source of sources) hash.update(`${source.text.length}\0`).update(source.text).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** A cached report whose notes name the files as this load names them (sources matched by position). */
export function relabelCachedReport(load: CachedLoad, sources: readonly SchemaSource[]): SchemaLoadReport {
  const names = new Map(load.files.map((file, i) => [file, sources[i]?.file ?? file]));
  return { ...load.report, skipped: load.report.skipped.map((s) => ({ ...s, file: names.get(s.file) ?? s.file })) };
}

function entryPaths(dir: string, key: string): { tar: string; meta: string; catalog: string } {
  return { tar: join(dir, `${key}.tar`), meta: join(dir, `${key}.json`), catalog: join(dir, `${key}.catalog`) };
}

/**
 * The catalog query's answer for an entry's schema, kept beside it: `estimate` needs nothing else from the database,
 * so a second call need not start PostgreSQL at all. The first line is the fingerprint of the query that produced
 * it; another query (a newer Lockscope) reads as absent.
 */
export function readCachedCatalog(dir: string, key: string, queryFingerprint: string): string | undefined {
  try {
    const text = readFileSync(entryPaths(dir, key).catalog, 'utf8');
    const newline = text.indexOf('\n');
    return newline > 0 && text.slice(0, newline) === queryFingerprint ? text.slice(newline + 1) : undefined;
  } catch {
    return undefined;
  }
}

/** Stores the catalog text of an entry (temporary name, then renamed); a cache that cannot be written is not an error. */
export function writeCachedCatalog(dir: string, key: string, queryFingerprint: string, catalogText: string): void {
  const path = entryPaths(dir, key).catalog;
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, `${queryFingerprint}\n${catalogText}`);
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}

/** The cached data directory and its metadata, or undefined when absent or unreadable (then the load runs). */
export function readCachedLoad(dir: string, key: string): { dataDir: Blob; load: CachedLoad } | undefined {
  const paths = entryPaths(dir, key);
  try {
    const load = JSON.parse(readFileSync(paths.meta, 'utf8')) as CachedLoad;
    const dataDir = new Blob([readFileSync(paths.tar)]);
    // Recently used entries survive pruning.
    const now = new Date();
    utimesSync(paths.meta, now, now);
    return { dataDir, load };
  } catch {
    return undefined;
  }
}

/**
 * Stores a data directory tarball and its metadata. Written to temporary names and renamed (the tarball first, the
 * metadata last), so a concurrent reader sees a whole entry or none. A cache that cannot be written is not an error.
 */
export function writeCachedLoad(dir: string, key: string, dataDir: Uint8Array, load: CachedLoad): void {
  const paths = entryPaths(dir, key);
  const suffix = `.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(paths.tar + suffix, dataDir);
    renameSync(paths.tar + suffix, paths.tar);
    writeFileSync(paths.meta + suffix, JSON.stringify(load));
    renameSync(paths.meta + suffix, paths.meta);
    pruneCache(dir);
  } catch {
    rmSync(paths.tar + suffix, { force: true });
    rmSync(paths.meta + suffix, { force: true });
  }
}

/** Keeps the MAX_ENTRIES most recently used entries. */
function pruneCache(dir: string): void {
  const entries = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ key: f.slice(0, -'.json'.length), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const old of entries.slice(MAX_ENTRIES)) {
    const paths = entryPaths(dir, old.key);
    rmSync(paths.meta, { force: true });
    rmSync(paths.tar, { force: true });
    rmSync(paths.catalog, { force: true });
  }
}
