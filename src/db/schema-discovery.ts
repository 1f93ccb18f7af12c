/**
 * Reads a repository for schema discovery: lists its files (skipping dependencies, build output and hidden folders),
 * lets core pick the schema source and translate it, and returns the DDL sources the embedded database loads.
 */
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  discoverSchema,
  NEEDS_GRAMMARS,
  translateSchema,
  type DiscoveredSchema,
  type TranslatedSchema,
} from '../core/schema-source/index.js';
import { DbError } from './errors.js';
import { readSourceFile, walkFiles } from './file-walk.js';
import { loadGrammarFiles } from './grammar-files.js';

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  'build',
  'vendor',
  'venv',
  '__pycache__',
  'coverage',
  'tmp',
  'log',
  'target',
  'site-packages',
]);
/** Repositories are walked up to this many files (a monorepo's schema is rarely deeper than that). */
const MAX_FILES = 200_000;
/** Files larger than this are not read (no schema source is; a data dump might be). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** Every file under root as a `/`-separated relative path, sorted (special files, loops and outside links left out). */
export function repositoryFiles(root: string): string[] {
  const walked = walkFiles([root], {
    skipDirectory: (name) => SKIPPED_DIRECTORIES.has(name) || name.startsWith('.'),
    wantFile: () => true,
    maxFiles: MAX_FILES,
  });
  return walked.files.map((full) => relative(root, full).split(sep).join('/'));
}

/** A memoising reader of repository files by relative path. */
export function repositoryReader(root: string): (path: string) => string | undefined {
  const cache = new Map<string, string | undefined>();
  return (path) => {
    if (cache.has(path)) return cache.get(path);
    const read = readSourceFile(join(root, path), MAX_FILE_BYTES);
    const text = 'text' in read ? read.text : undefined;
    cache.set(path, text);
    return text;
  };
}

/** A discovered schema and its DDL; file names in the sources are relative to the repository root. */
export interface RepositorySchema {
  root: string;
  schema: DiscoveredSchema;
  translated: TranslatedSchema;
}

/** Finds and translates the schema of the repository at root (undefined: nothing found). */
export async function discoverRepositorySchema(root: string): Promise<RepositorySchema | undefined> {
  const stat = statSync(root, { throwIfNoEntry: false });
  if (stat === undefined || !stat.isDirectory()) throw new DbError('schema-load', `No such folder: ${root}`);
  const read = repositoryReader(root);
  const schema = discoverSchema(repositoryFiles(root), read);
  if (schema === undefined) return undefined;
  if (NEEDS_GRAMMARS.has(schema.kind)) await loadGrammarFiles();
  return { root, schema, translated: translateSchema(schema, read) };
}
