/**
 * The workspace's unresolved query-like calls: each file's own (calls that look like queries but are not sites, found
 * by the scanner) plus calls to lock helpers the call graph cannot find in any scanned file. `lockscope scan` lists
 * them (JSON) and counts them by reason (text); the extension shows them on request.
 */
import { CallGraph } from '../analyze/summaries.js';
import type { FileScan, UnresolvedCall, UnresolvedReason } from '../scan/types.js';

/** Helper names that say they lock (`get_for_update`, `lockRow`, `with_advisory_lock`); a class (`FileLock()`) is not one. */
const LOCK_HELPER = /^[a-z_$].*(lock|for_?update|for_?share)/i;

export const UNRESOLVED_REASONS: readonly UnresolvedReason[] = [
  'unknown-model',
  'unresolved-receiver',
  'unknown-helper',
  'dynamic-sql',
  'unrecognised-call',
];

/** What each reason means, for the text summary and the extension's list. */
export const UNRESOLVED_REASON_TEXT: Record<UnresolvedReason, string> = {
  'unknown-model': 'names a model no scanned file declares',
  'unresolved-receiver': 'an ORM or driver call on a receiver Lockscope cannot type',
  'unknown-helper': 'calls a locking helper no scanned file defines',
  'dynamic-sql': 'SQL or a statement built where Lockscope cannot read it',
  'unrecognised-call': 'an ORM call on a known model in a form the scanner does not read',
};

export interface UnresolvedReport {
  calls: UnresolvedCall[];
  counts: Record<UnresolvedReason, number>;
}

/** Every unresolved call of `scans`, in file and position order, with counts by reason. */
export function unresolvedCalls(scans: readonly FileScan[]): UnresolvedReport {
  const graph = new CallGraph<never>(
    scans,
    () => [],
    () => undefined,
    () => undefined,
  );
  const calls: UnresolvedCall[] = [];
  for (const scan of scans) {
    const own = [...(scan.unresolved ?? [])];
    for (const call of scan.calls) {
      if (!LOCK_HELPER.test(call.callee) || graph.resolves(call)) continue;
      const name = call.calleeClass === undefined ? call.callee : `${call.calleeClass}.${call.callee}`;
      own.push({ file: scan.file, range: call.range, call: `${name}()`, reason: 'unknown-helper' });
    }
    own.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    calls.push(...own);
  }
  const counts = Object.fromEntries(UNRESOLVED_REASONS.map((r) => [r, 0])) as Record<UnresolvedReason, number>;
  for (const call of calls) counts[call.reason]++;
  return { calls, counts };
}

/** "12 query-like calls not resolved (3 unknown-model, 9 dynamic-sql); --format json lists them", or undefined for none. */
export function unresolvedSummary(report: UnresolvedReport, listedBy: string): string | undefined {
  if (report.calls.length === 0) return undefined;
  const byReason = UNRESOLVED_REASONS.filter((r) => report.counts[r] > 0).map((r) => `${report.counts[r]} ${r}`);
  const n = report.calls.length;
  return `${n} query-like call${n === 1 ? '' : 's'} not resolved (${byReason.join(', ')}); ${listedBy} lists them`;
}
