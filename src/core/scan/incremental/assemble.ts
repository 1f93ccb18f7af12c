/** A file's scan from its top-level statements' scans, in the order a whole-file read lists everything. */
import type { ChunkPass, ChunkScan } from '../extractor.js';
import type { FileScan, SourceLanguage } from '../types.js';

export function assembleScan(file: string, language: SourceLanguage, pass: ChunkPass, statements: readonly ChunkScan[]): FileScan {
  const autocommitEntries = statements.flatMap((s) => s.autocommitEntries ?? []);
  return {
    file,
    language,
    sites: statements.flatMap((s) => s.sites),
    // Subtransactions at calls first, nested transaction blocks after (a whole-file read walks the blocks last).
    subtransactions: [...statements.flatMap((s) => s.subtransactions), ...statements.flatMap((s) => s.scopeSubtransactions)],
    calls: statements.flatMap((s) => s.calls),
    classes: pass.classes,
    ...(autocommitEntries.length > 0 ? { autocommitEntries } : {}),
    problems: [],
    unresolved: statements.flatMap((s) => s.unresolved),
  };
}
