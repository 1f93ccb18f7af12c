/** The workspace report as Markdown: sites sorted by slow-path locks, hot tables, transactions, findings by rule. */
import type { Analysis } from '../analyze/analyze.js';
import { spilled } from '../rules/slow-path-locks.js';
import type { Finding } from '../rules/types.js';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

export function reportMarkdown(analysis: Analysis, findings: readonly Finding[], root: string): string {
  const rel = (file: string): string => (file.startsWith(root) ? file.slice(root.length).replace(/^[/\\]/, '') : file);
  const sites = analysis.sites.filter((s) => s.via === undefined);
  const p = analysis.catalog?.profile;
  const out: string[] = ['# Lockscope workspace report', ''];
  out.push(
    p === undefined
      ? '_No database: lock counts unavailable._'
      : `Predicted against PostgreSQL ${p.version} (${p.source}), ${p.fastPathSlots} fast-path slots per backend.`,
  );
  out.push(
    '',
    `${analysis.scans.length} files, ${sites.length} query sites, ${analysis.transactions.length} transactions, ${findings.length} findings.`,
    '',
  );
  out.push(
    '## Query sites by slow-path locks',
    '',
    '| site | origin | locks | slow-path | in loop | query |',
    '| --- | --- | ---: | ---: | --- | --- |',
  );
  // Weak locks that missed the fast path first (the LockManager load); strong DDL locks are main-table by design.
  const weight = (s: (typeof sites)[number]): number => (s.plan === undefined ? -1 : spilled(s.plan).length);
  const ranked = [...sites].sort((a, b) => weight(b) - weight(a) || (b.plan?.totals.locks ?? 0) - (a.plan?.totals.locks ?? 0));
  for (const s of ranked.slice(0, 50)) {
    out.push(
      `| ${cell(rel(s.site.file))}:${s.site.range.start.line + 1} | ${s.site.origin} | ${s.plan?.totals.locks ?? '–'} | ${s.plan?.totals.slowpath ?? '–'} | ${s.site.loops.length > 0 ? 'yes' : ''} | \`${cell(s.site.label)}\` |`,
    );
  }
  const tables = new Map<string, { indexes: number; sites: number }>();
  if (analysis.catalog !== undefined) {
    for (const s of sites) {
      for (const lock of s.plan?.locks ?? []) {
        if (lock.relkind !== 'table' && lock.relkind !== 'partitioned-table') continue;
        const relation = analysis.catalog.relations.get(lock.relationOid);
        const entry = tables.get(lock.relation) ?? { indexes: relation?.indexes.length ?? 0, sites: 0 };
        entry.sites++;
        tables.set(lock.relation, entry);
      }
    }
  }
  out.push('', '## Hot tables', '', '| table | indexes | sites touching it |', '| --- | ---: | ---: |');
  for (const [table, t] of [...tables].sort((a, b) => b[1].indexes - a[1].indexes || b[1].sites - a[1].sites).slice(0, 20))
    out.push(`| ${table} | ${t.indexes} | ${t.sites} |`);
  out.push('', '## Transactions', '', '| where | kind | queries | locks | slow-path |', '| --- | --- | ---: | ---: | ---: |');
  for (const t of analysis.transactions)
    out.push(
      `| ${cell(rel(t.file))}:${t.scope.range.start.line + 1} | ${cell(t.scope.kind)}${t.scope.nested ? ' (savepoint)' : ''} | ${t.sites.length} | ${t.plan?.totals.locks ?? '–'} | ${t.plan?.totals.slowpath ?? '–'} |`,
    );
  out.push('', '## Findings', '');
  const byRule = new Map<string, Finding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [rule, list] of [...byRule].sort((a, b) => b[1].length - a[1].length)) {
    out.push(`### ${rule} (${list.length})`, '');
    for (const f of list.slice(0, 30)) out.push(`- **${f.severity}** ${cell(rel(f.file))}:${f.range.start.line + 1} — ${cell(f.message)}`);
    out.push('');
  }
  return out.join('\n');
}
