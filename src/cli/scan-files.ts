/** Finds the files `lockscope scan` reads: given files, or the code files (core's file policy) under given folders. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isCodeFile, isSkippedDirectory } from '../core/lint/file-policy.js';
import { UsageError } from './cli-error.js';

export function filesToScan(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = join(dir, name);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (stat === undefined) continue;
      if (stat.isDirectory()) {
        if (!isSkippedDirectory(name)) walk(full);
      } else if (isCodeFile(full)) out.push(full);
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
