/** Probe runner results as a JSON document or a Markdown report, for "Export JSON / Markdown". Pure. */
import type { ExplainResult, LoadRunResult, LocksResult, ProbeOpenState } from '../core/probe/runner-types.js';

export interface ProbeResults {
  state: ProbeOpenState;
  explain: ExplainResult | undefined;
  locks: LocksResult | undefined;
  loads: LoadRunResult[];
}

export function resultsJson(r: ProbeResults): string {
  return `${JSON.stringify({ exportedAt: new Date().toISOString(), query: { sql: r.state.sql, params: r.state.params }, connection: r.state.connection, explain: r.explain, locks: r.locks, loads: r.loads }, null, 2)}\n`;
}

const ms = (n: number | undefined): string => (n === undefined ? '–' : `${n.toFixed(2)} ms`);
const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function loadTable(runs: readonly LoadRunResult[]): string[] {
  const header = `| | ${runs.map((r) => cell(r.label)).join(' | ')} |`;
  const rule = `|---|${runs.map(() => '---:').join('|')}|`;
  const row = (name: string, f: (r: LoadRunResult) => string): string => `| ${name} | ${runs.map(f).join(' | ')} |`;
  const waits = (r: LoadRunResult): string =>
    Object.entries(r.waits)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none';
  return [
    header,
    rule,
    row('clients', (r) => String(r.options.clients)),
    row('mode', (r) => r.options.mode),
    row('duration', (r) => `${r.durationSeconds.toFixed(1)} s${r.cancelled ? ' (cancelled)' : ''}`),
    row('transactions', (r) => String(r.transactions)),
    row('throughput', (r) => `${r.tps.toFixed(0)}/s`),
    row('p50', (r) => ms(r.latencyMs.p50)),
    row('p95', (r) => ms(r.latencyMs.p95)),
    row('p99', (r) => ms(r.latencyMs.p99)),
    row(`wait samples`, (r) => cell(`${waits(r)} (${r.waitSamples} samples)`)),
    row('errors', (r) =>
      cell(
        Object.entries(r.errors)
          .map(([k, n]) => `${k}×${n}`)
          .join(', ') || 'none',
      ),
    ),
  ];
}

export function resultsMarkdown(r: ProbeResults): string {
  const c = r.state.connection;
  const out: string[] = [
    '# Lockscope probe results',
    '',
    `Connection: ${c.label} (${c.environment}), PostgreSQL ${c.serverVersion}. Every run was rolled back.`,
    '',
    '```sql',
    r.state.sql,
    '```',
  ];
  if (r.state.params.length > 0) out.push('', `Parameters: ${r.state.params.map((p) => `${p.name} = \`${p.spec}\``).join(', ')}`);
  if (r.explain !== undefined) {
    out.push('', '## EXPLAIN');
    for (const s of r.explain.statements) {
      out.push('', '```', s.text, '```');
      if (s.executionMs !== undefined) out.push(`Planning ${ms(s.planningMs)}, execution ${ms(s.executionMs)}.`);
    }
  }
  if (r.locks !== undefined) {
    const l = r.locks;
    out.push('', `## Locks (${l.executed ? 'statements executed, rolled back' : 'EXPLAIN'})`, '');
    out.push(
      `Measured ${l.measured.locks} locks on ${l.measured.relations} relations (${l.measured.fastpath} fast path, ${l.measured.slowpath} slow path); predicted ${l.predicted.locks} (${l.predicted.slowpath} slow path); ${l.fastPathSlots} fast-path slots per backend.`,
      '',
    );
    out.push('| relation | mode | measured | predicted | status |', '|---|---|---|---|---|');
    const flag = (f: boolean | undefined): string => (f === undefined ? '–' : f ? 'fast' : 'slow');
    for (const row of l.rows)
      out.push(`| ${cell(row.relation)} | ${row.mode} | ${flag(row.measuredFastpath)} | ${flag(row.predictedFastpath)} | ${row.status} |`);
  }
  if (r.loads.length > 0) out.push('', '## Load', '', ...loadTable(r.loads));
  return `${out.join('\n')}\n`;
}
