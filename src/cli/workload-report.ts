/** Text and JSON of `lockscope workload`: the statements ranked by lock acquisitions per second, and those not predicted. */
import type { ServerProfile } from '../core/server-profile.js';
import type { RankedStatement, RankKey, WorkloadRanking } from '../core/workload/rank.js';
import { statementFigures } from '../core/workload/statement-figures.js';
import type { WorkloadInterval } from '../core/workload/workload-result.js';
import { serverJson } from '../core/present/cli-json.js';

const oneLine = (query: string, width = 100): string => {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
};
const fixed = (n: number, digits = 1): string => (Number.isInteger(n) ? String(n) : n.toFixed(digits));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function statementJson(s: RankedStatement): Record<string, unknown> {
  return {
    ...statementFigures(s),
    relations: s.relations.map(({ relation, locks, slowPath, indexes, partitions }) => ({
      relation,
      locks,
      slowPath,
      indexes,
      partitions,
    })),
    sites: s.sites,
  };
}

export function workloadJson(
  profile: ServerProfile,
  interval: WorkloadInterval,
  sort: RankKey,
  ranking: WorkloadRanking,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify(
    {
      server: serverJson(profile),
      interval,
      sort,
      totals: ranking.totals,
      statements: ranking.statements.map(statementJson),
      unpredictable: ranking.unpredictable,
      ...extra,
    },
    null,
    2,
  );
}

function statementLines(rank: number, s: RankedStatement): string[] {
  const out = [
    `${String(rank).padStart(3)} ${fixed(s.callsPerSecond).padStart(9)} ${fixed(s.locksPerCall).padStart(6)} ${fixed(s.slowPathPerCall).padStart(6)} ${fixed(s.locksPerSecond).padStart(9)} ${fixed(s.slowPathPerSecond).padStart(8)} ${s.meanExecMs.toFixed(2).padStart(8)}  ${oneLine(s.query)}`,
  ];
  if (s.generic.locksPerCall !== s.custom.locksPerCall || s.generic.slowPathPerCall !== s.custom.slowPathPerCall)
    out.push(
      `      custom plan ${plural(s.custom.locksPerCall, 'lock')} (${s.custom.slowPathPerCall} slow-path), generic plan ${plural(s.generic.locksPerCall, 'lock')} (${s.generic.slowPathPerCall} slow-path); figures assume ${s.plan}`,
    );
  for (const r of s.relations) {
    const parts = [
      r.indexes.length > 0 ? plural(r.indexes.length, 'index').replace('indexs', 'indexes') : '',
      r.partitions.length > 0 ? plural(r.partitions.length, 'partition') : '',
    ].filter(Boolean);
    out.push(`      ${r.relation}: ${plural(r.locks, 'lock')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, ${r.slowPath} slow-path`);
  }
  for (const site of s.sites) out.push(`      code: ${site.file}:${site.line + 1}:${site.character + 1} (${site.origin})`);
  for (const note of s.notes) out.push(`      note: ${note}`);
  return out;
}

export function workloadText(
  profile: ServerProfile,
  interval: WorkloadInterval,
  sort: RankKey,
  ranking: WorkloadRanking,
  top: number,
  extraLines: string[] = [],
): string {
  const { statements, unpredictable, totals } = ranking;
  const out = [
    `Workload over ${interval.seconds.toFixed(1)} s on PostgreSQL ${profile.version} (${profile.fastPathSlots} fast-path slots per backend), ranked by ${sort === 'slowpath' ? 'slow-path' : 'relation-lock'} acquisitions/s`,
    `${fixed(totals.callsPerSecond)} calls/s · ${fixed(totals.locksPerSecond)} relation locks/s · ${fixed(totals.slowPathPerSecond)} slow-path/s (each statement alone in its transaction)`,
    '',
    '  #   calls/s  locks   slow   locks/s   slow/s  mean ms  statement',
  ];
  statements.slice(0, top).forEach((s, i) => out.push(...statementLines(i + 1, s)));
  if (statements.length > top) out.push(`  … ${statements.length - top} more (--top N, or --json for all)`);
  if (statements.length === 0) out.push('  no statement was called during the interval');
  if (unpredictable.length > 0) {
    out.push('', `not predicted (${unpredictable.length}):`);
    for (const u of unpredictable.slice(0, top))
      out.push(`  ${fixed(u.callsPerSecond).padStart(9)} calls/s  ${oneLine(u.query ?? `queryid ${u.queryId}`, 70)}  — ${u.reason}`);
  }
  out.push(...extraLines);
  return out.join('\n');
}
