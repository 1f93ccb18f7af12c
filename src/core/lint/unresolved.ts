/**
 * The workspace's unresolved query-like calls: each file's own (calls that look like queries but are not sites, found
 * by the scanner) plus calls to lock helpers the call graph cannot find in any scanned file. `lockscope scan` lists
 * them (JSON) and counts them by reason (text); the extension shows them on request.
 */
import { CallGraph, functionKey } from '../analyze/summaries.js';
import type { FileScan, QuerySite, UnresolvedCall, UnresolvedReason } from '../scan/types.js';

/** A name's words, lower-case: `getForUpdate` and `get_for_update` → get, for, update. */
const wordsOf = (name: string): string[] => (name.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+/g) ?? []).map((w) => w.toLowerCase());

/** What a lock has (its key, name, timeout…): `lock` followed by one of these names the attribute, not the act. */
const LOCK_ATTRIBUTES = new Set([
  'key',
  'keys',
  'id',
  'ids',
  'name',
  'names',
  'timeout',
  'ttl',
  'expiry',
  'value',
  'token',
  'owner',
  'path',
]);

/** Mutex methods, not database locks. */
const MUTEX_METHODS = new Set(['Lock', 'RLock', 'Unlock', 'RUnlock', 'TryLock', 'TryRLock', 'lock', 'unlock', 'acquire', 'release']);

/**
 * Names that say they lock a row or table: `lock` first or last (`lock_row`, `acquire_lock`, `withAdvisoryLock`) or
 * `for update`/`for share` anywhere (`get_for_update`). A class (`FileLock()`, capitalised outside Go) and a mutex
 * method are not helpers; `sequenced_lock_key` and `blocklist` do not say they lock.
 */
export function namesLockHelper(name: string, language: FileScan['language']): boolean {
  if (MUTEX_METHODS.has(name) || (language !== 'go' && /^[A-Z]/.test(name))) return false;
  const words = wordsOf(name);
  // Not `locked`: Go's storeLocked/unexpungeLocked say the caller already holds a mutex.
  const isLock = (w: string | undefined): boolean => w === 'lock' || w === 'locking';
  // `lock_key_for`, `lock_key_arguments`, `lockTimeout`: a lock's attribute (a noun after `lock`), computed, not taken.
  if (isLock(words[0]) && LOCK_ATTRIBUTES.has(words[1] ?? '')) return false;
  if (isLock(words[0]) || isLock(words[words.length - 1])) return true;
  return words.some((w, i) => w === 'for' && (words[i + 1] === 'update' || words[i + 1] === 'share'));
}

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
  // Sites define functions too: a helper whose body is one locking statement and no call is defined (hoppscotch's
  // PrismaService.lockTeamCollectionByTeamAndParent, 12 calls listed as unknown helpers before).
  const graph = new CallGraph<QuerySite>(
    scans,
    (scan) => scan.sites,
    (site) => functionKey(site.enclosingFunction, site.enclosingClass),
    () => undefined,
  );
  const calls: UnresolvedCall[] = [];
  for (const scan of scans) {
    const own = [...(scan.unresolved ?? [])];
    const listed = new Set<string>();
    for (const call of scan.calls) {
      if (!namesLockHelper(call.callee, scan.language) || graph.resolves(call)) continue;
      const name = call.calleeClass === undefined ? call.callee : `${call.calleeClass}.${call.callee}`;
      const key = `${call.range.start.line}:${call.range.start.character}:${name}`;
      if (listed.has(key)) continue; // an extractor may record one call twice (a call inside a chain link)
      listed.add(key);
      own.push({ file: scan.file, range: call.range, call: `${name}()`, reason: 'unknown-helper' });
    }
    own.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    calls.push(...own);
  }
  const counts = Object.fromEntries(UNRESOLVED_REASONS.map((r) => [r, 0])) as Record<UnresolvedReason, number>;
  for (const call of calls) counts[call.reason]++;
  return { calls, counts };
}

/** One unresolved call as `scan --format json` and the extension's command report it: 1-based line and column. */
export interface UnresolvedCallRow {
  file: string;
  line: number;
  column: number;
  call: string;
  reason: UnresolvedReason;
}

export function unresolvedCallRow(u: UnresolvedCall): UnresolvedCallRow {
  return { file: u.file, line: u.range.start.line + 1, column: u.range.start.character + 1, call: u.call, reason: u.reason };
}

/** "12 query-like calls not resolved (3 unknown-model, 9 dynamic-sql); --format json lists them", or undefined for none. */
export function unresolvedSummary(report: UnresolvedReport, listedBy: string): string | undefined {
  if (report.calls.length === 0) return undefined;
  const byReason = UNRESOLVED_REASONS.filter((r) => report.counts[r] > 0).map((r) => `${report.counts[r]} ${r}`);
  const n = report.calls.length;
  return `${n} query-like call${n === 1 ? '' : 's'} not resolved (${byReason.join(', ')}); ${listedBy} lists them`;
}
