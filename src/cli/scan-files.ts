/**
 * Finds the files `lockscope scan` reads: given files, or the code files (core's file policy, src/core/lint) under
 * given folders; special files, symlinks out of the folders, loops and unreadable paths become skipped paths, never errors.
 */
import { statSync } from 'node:fs';
import { checkGivenFile, walkFiles, type SkippedPath, type WalkResult } from '../db/file-walk.js';
import { isCodeFile, isSkippedDirectory } from '../core/lint/file-policy.js';
import { UsageError } from './cli-error.js';

/** The files to scan under `paths` and the paths left out (with why). A path that does not exist is bad input. */
export function collectFilesToScan(paths: readonly string[]): WalkResult {
  const files: string[] = [];
  const skipped: SkippedPath[] = [];
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch (error) {
      skipped.push(checkGivenFile(path) ?? { path, reason: 'unreadable', message: String(error) });
      continue;
    }
    if (stat === undefined) throw new UsageError(`No such file or folder: ${path}`);
    if (stat.isDirectory()) {
      const walked = walkFiles([path], {
        skipDirectory: isSkippedDirectory,
        wantFile: (_name, full) => isCodeFile(full),
      });
      files.push(...walked.files);
      skipped.push(...walked.skipped);
    } else {
      const problem = checkGivenFile(path);
      if (problem === undefined) files.push(path);
      else skipped.push(problem);
    }
  }
  return { files, skipped };
}

/** Just the files (callers that report nothing about skipped paths). */
export function filesToScan(paths: readonly string[]): string[] {
  return collectFilesToScan(paths).files;
}
