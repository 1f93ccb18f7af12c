/** Reads and scans given files (models first, then query sites), as `scan` and `workload` need. */
import { readSourceFile, type SkippedPath } from '../db/file-walk.js';
import { ModelIndex } from '../core/scan/models.js';
import { declareModels, scanFile, type SourceFile } from '../core/scan/registry.js';
import type { FileScan } from '../core/scan/types.js';
import type { CommandContext } from './command.js';

/** Files above this are not even read (the scanner refuses anything above 2 MB, with a problem of its own). */
const MAX_READ_BYTES = 64 * 1024 * 1024;

/**
 * The scans of `files` (from collectFilesToScan). Paths skipped by the walk (`skipped`, appended to here) and files
 * that cannot be read are reported on stderr, one line each, and the scan goes on.
 */
export function scanSourceFiles(ctx: CommandContext, files: readonly string[], skipped: SkippedPath[] = []): FileScan[] {
  const sources: SourceFile[] = [];
  for (const file of files) {
    const read = readSourceFile(file, MAX_READ_BYTES);
    if ('text' in read) sources.push({ file, text: read.text });
    else skipped.push(read.skipped);
  }
  for (const s of skipped) ctx.stderr(`lockscope: skipped ${s.path}: ${s.message}`);
  // Two passes: models declared anywhere (models.py, app/models/*.rb) are known where queries name them.
  const models = new ModelIndex(sources.flatMap((s) => declareModels(s.file, s.text)));
  const scans: FileScan[] = [];
  for (const [i, source] of sources.entries()) {
    const scan = scanFile(source.file, source.text, undefined, models);
    if (scan !== undefined) scans.push(scan);
    if ((i + 1) % 200 === 0) ctx.stderr(`lockscope: scanned ${i + 1}/${sources.length} files…`);
  }
  return scans;
}
