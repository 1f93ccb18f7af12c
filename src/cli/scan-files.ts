/** Finds the files `lockscope scan` reads: given files, or supported files under given folders (skipping vendored trees). */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { languageForFile } from '../core/scan/languages.js';
import { UsageError } from './cli-error.js';

/** Schema dumps describe the database (give them to --schema); they are not queries the application runs. */
const SCHEMA_DUMP = /^(schema|structure|.*_schema)\.sql$/i;

const SKIPPED_DIRECTORIES = new Set([
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

export function filesToScan(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat === undefined) continue;
      if (stat.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(name) && !name.startsWith('.')) walk(full);
      } else if (
        (languageForFile(full) !== undefined || name.endsWith('.prisma')) &&
        !/\.d\.ts$|\.min\.js$/.test(name) &&
        !SCHEMA_DUMP.test(name)
      )
        out.push(full);
    }
  };
  for (const path of paths) {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) throw new UsageError(`No such file or folder: ${path}`);
    if (stat.isDirectory()) walk(path);
    else out.push(path);
  }
  return out;
}
