/** Reads and scans given files (models first, then query sites), as `scan` and `workload` need. */
import { readFileSync } from 'node:fs';
import { ModelIndex } from '../core/scan/models.js';
import { declareModels, scanFile, type SourceFile } from '../core/scan/registry.js';
import type { FileScan } from '../core/scan/types.js';
import type { CommandContext } from './command.js';

/** The scans of `files` (from filesToScan); unreadable files are reported on stderr and skipped. */
export function scanSourceFiles(ctx: CommandContext, files: readonly string[]): FileScan[] {
  const sources: SourceFile[] = [];
  for (const file of files) {
    try {
      sources.push({ file, text: readFileSync(file, 'utf8') });
    } catch (error) {
      ctx.stderr(`lockscope: cannot read ${file}: ${(error as Error).message}`);
    }
  }
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
