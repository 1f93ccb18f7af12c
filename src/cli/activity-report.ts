/** Text rendering of an activity snapshot for `lockscope activity`. */
import { blockingTree, idleInTransaction, overflowedSubxacts, sessionsWithSlowPathLocks, waitSummary } from '../core/activity/analysis.js';
import type { ActivitySession, ActivitySnapshot, BlockingNode } from '../core/activity/model.js';

const seconds = (value: number | undefined): string =>
  value === undefined ? '-' : value < 60 ? `${value.toFixed(1)}s` : `${Math.floor(value / 60)}m${Math.round(value % 60)}s`;
const oneLine = (query: string, width = 90): string => {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};

function describe(s: ActivitySession): string {
  // An idle session always "waits" for its client (Client:ClientRead); only an active session's wait means anything.
  const wait = s.state === 'active' && s.waitEventType !== undefined ? ` waiting ${s.waitEventType}:${s.waitEvent ?? ''}` : '';
  return `pid ${s.pid} [${s.state ?? '?'}${wait}] xact ${seconds(s.transactionAgeSeconds)} · ${oneLine(s.query)}`;
}

function treeLines(node: BlockingNode, depth: number, out: string[]): void {
  out.push(`${'  '.repeat(depth + 1)}${depth === 0 ? '■' : '└'} ${describe(node.session)}`);
  for (const child of node.waiting) treeLines(child, depth + 1, out);
}

export function activityText(snapshot: ActivitySnapshot): string {
  const out: string[] = [];
  const states = new Map<string, number>();
  for (const s of snapshot.sessions) states.set(s.state ?? 'unknown', (states.get(s.state ?? 'unknown') ?? 0) + 1);
  out.push(
    `activity of ${snapshot.database} at ${snapshot.takenAt}: ${snapshot.sessions.length} other session(s) — ${[...states].map(([k, v]) => `${v} ${k}`).join(', ') || 'none'}`,
  );
  const waits = Object.entries(waitSummary(snapshot)).filter(([, n]) => n > 0);
  out.push(`active sessions by wait: ${waits.map(([k, n]) => `${k} ${n}`).join(', ') || 'none active'}`);

  const tree = blockingTree(snapshot.sessions);
  out.push('', `blocking (${tree.length} root${tree.length === 1 ? '' : 's'}):`);
  if (tree.length === 0) out.push('  nobody is blocked');
  for (const root of tree) treeLines(root, 0, out);

  const idle = idleInTransaction(snapshot);
  out.push('', `idle in transaction (${idle.length}):`);
  if (idle.length === 0) out.push('  none');
  for (const s of idle)
    out.push(
      `  pid ${s.pid} idle ${seconds(s.stateAgeSeconds)}, holding ${s.relationLocks} relation lock(s) for ${seconds(s.transactionAgeSeconds)} · ${oneLine(s.query)}`,
    );

  const slow = sessionsWithSlowPathLocks(snapshot);
  out.push(
    '',
    `slow-path relation locks (main lock table): ${slow.reduce((n, s) => n + s.slowPathRelationLocks, 0)} held by ${slow.length} backend(s)`,
  );
  for (const s of slow.slice(0, 10))
    out.push(`  pid ${s.pid}: ${s.slowPathRelationLocks} of ${s.relationLocks} relation locks slow-path · ${oneLine(s.query, 60)}`);
  for (const r of snapshot.slowPathByRelation.slice(0, 10)) out.push(`  ${r.relation}: ${r.slowPathLocks} slow, ${r.fastPathLocks} fast`);

  out.push('', 'subtransactions:');
  if (!snapshot.subxactSupported)
    out.push('  per-backend subtransaction caches are reported from PostgreSQL 16 on (pg_stat_get_backend_subxact)');
  else {
    const over = overflowedSubxacts(snapshot);
    out.push(
      over.length === 0 ? '  no backend has overflowed its 64-entry cache' : `  ${over.length} backend(s) overflowed the 64-entry cache:`,
    );
    for (const s of over)
      out.push(
        `  pid ${s.pid}: ${s.subxactCount ?? '?'} cached subxids, overflowed=${String(s.subxactOverflowed)} · ${oneLine(s.query, 60)}`,
      );
  }
  const slru = snapshot.subtransSlru;
  if (slru !== undefined)
    out.push(`  pg_stat_slru "${slru.name}": ${slru.blksHit} hits, ${slru.blksRead} reads, ${slru.blksZeroed} zeroed (cumulative)`);
  return out.join('\n');
}
