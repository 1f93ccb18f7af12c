/**
 * The one answer to "which files are code Lockscope reads": the CLI's walk, the editor's workspace index, Analyze
 * Workspace, Live Activity and the Lock Cost view all ask here (before, four lists disagreed on schema.prisma).
 */
import { SCANNED_EXTENSIONS } from '../scan/languages.js';

/** Prisma's schema declares the models its client queries: read for models, not scanned for queries. */
const MODEL_SCHEMA_EXTENSIONS = ['.prisma'];

/** Folders of dependencies, build output, caches and logs: never the application's own queries. */
const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'vendor',
  '.venv',
  'venv',
  '__pycache__',
  '.test-run',
  '.cache',
  'coverage',
  'tmp',
  'log',
]);

/** Schema dumps describe the database (give them to --schema); they are not queries the application runs. */
const SCHEMA_DUMP = /^(schema|structure|.*_schema)\.sql$/i;
/** Type declarations and minified bundles are generated, never the code that issues a query. */
const GENERATED = /\.d\.[cm]?ts$|\.min\.js$/i;

const baseName = (path: string): string => path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
const extensionOf = (name: string): string => (name.lastIndexOf('.') < 0 ? '' : name.slice(name.lastIndexOf('.')).toLowerCase());

/** A folder the walk does not enter (hidden folders included). */
export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRECTORIES.has(name) || name.startsWith('.');
}

/** Whether the file at `path` is read: a scanned language or a model schema, not a dump or generated file. */
export function isCodeFile(path: string): boolean {
  const name = baseName(path);
  const extension = extensionOf(name);
  if (!SCANNED_EXTENSIONS.includes(extension) && !MODEL_SCHEMA_EXTENSIONS.includes(extension)) return false;
  return !SCHEMA_DUMP.test(name) && !GENERATED.test(name);
}

/** Whether some folder on `path` (relative to a scanned root) is one the walk skips. */
export function isInSkippedDirectory(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).slice(0, -1).some(isSkippedDirectory);
}

/**
 * The same policy as glob patterns for an editor's file search (VS Code's findFiles); a search's results are still
 * filtered with isCodeFile and isInSkippedDirectory, which are the policy.
 */
export const CODE_FILE_GLOB = `**/*.{${[...SCANNED_EXTENSIONS, ...MODEL_SCHEMA_EXTENSIONS].map((e) => e.slice(1)).join(',')}}`;
export const SKIPPED_GLOB = `{${[...SKIPPED_DIRECTORIES].map((d) => `**/${d}/**`).join(',')}}`;
