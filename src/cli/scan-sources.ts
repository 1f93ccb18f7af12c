/** Reads and indexes given files (models first, then query sites), as `scan` and `workload` need. */
import { readSourceFile, type SkippedPath } from '../db/file-walk.js';
import { WorkspaceIndex } from '../core/lint/workspace-index.js';
import type { FileScan } from '../core/scan/types.js';
import type { CommandContext } from './command.js';

/** Files above this are not even read (the scanner refuses anything above 2 MB, with a problem of its own). */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * The workspace index of `files` (from collectFilesToScan), every file scanned. Paths skipped by the walk
 * (`skipped`, appended to here) and files that cannot be read are reported on stderr, one line each, and the scan
 * goes on. Models declared anywhere (models.py, app/models/*.rb, schema.prisma) are known where queries name them.
 */
export function indexSourceFiles(ctx: CommandContext, files: readonly string[], skipped: SkippedPath[] = []): WorkspaceIndex {
  const index = new WorkspaceIndex();
  const read: string[] = [];
  for (const file of files) {
    const result = readSourceFile(file, MAX_READ_BYTES);
    if ('text' in result) {
      index.update(file, result.text);
      read.push(file);
    } else skipped.push(result.skipped);
  }
  for (const s of skipped) ctx.stderr(`lockscope: skipped ${s.path}: ${s.message}`);
  for (const [i, file] of read.entries()) {
    index.scans([file]);
    if ((i + 1) % 200 === 0) ctx.stderr(`lockscope: scanned ${i + 1}/${read.length} files…`);
  }
  return index;
}

/** The scans of `files`, in the order given. */
export function scanSourceFiles(ctx: CommandContext, files: readonly string[], skipped: SkippedPath[] = []): FileScan[] {
  return indexSourceFiles(ctx, files, skipped).scans();
}
