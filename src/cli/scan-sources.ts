/** Reads and indexes given files (models first, then query sites), as `scan` and `workload` need. */
import { readFileSync } from 'node:fs';
import { WorkspaceIndex } from '../core/lint/workspace-index.js';
import type { FileScan } from '../core/scan/types.js';
import type { CommandContext } from './command.js';

/**
 * The workspace index of `files` (from filesToScan), every file scanned; unreadable files are reported on stderr
 * and skipped. Models declared anywhere (models.py, app/models/*.rb, schema.prisma) are known where queries name them.
 */
export function indexSourceFiles(ctx: CommandContext, files: readonly string[]): WorkspaceIndex {
  const index = new WorkspaceIndex();
  const read: string[] = [];
  for (const file of files) {
    try {
      index.update(file, readFileSync(file, 'utf8'));
      read.push(file);
    } catch (error) {
      ctx.stderr(`lockscope: cannot read ${file}: ${(error as Error).message}`);
    }
  }
  for (const [i, file] of read.entries()) {
    index.scans([file]);
    if ((i + 1) % 200 === 0) ctx.stderr(`lockscope: scanned ${i + 1}/${read.length} files…`);
  }
  return index;
}

/** The scans of `files`, in the order given. */
export function scanSourceFiles(ctx: CommandContext, files: readonly string[]): FileScan[] {
  return indexSourceFiles(ctx, files).scans();
}
