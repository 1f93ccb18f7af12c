/** The Load tab: the probe form, live charts per run, the last two runs side by side, a summary table, Cancel, Export. */
import { PROBE_LIMITS, probeLoadProblem } from '../src/core/probe/limits.js';
import { type LoadMode, type LoadOptions, type LoadProgress, type LoadRunResult, type ProbeOpenState } from '../src/protocol/probe.js';
import { h } from './dom.js';
import { lineChart, WAIT_KEYS, waitChart, waitLegend } from './probe-charts.js';

export interface LoadTab {
  panel: HTMLElement;
  run: HTMLElement;
  cancel: HTMLElement;
  exportJson: HTMLElement;
  exportMarkdown: HTMLElement;
  /** The form's values, or a message saying what is wrong with them. */
  options(): LoadOptions | string;
  setState(state: ProbeOpenState): void;
  started(runId: number, options: LoadOptions): void;
  progress(p: LoadProgress): void;
  finished(result: LoadRunResult): void;
}

interface LiveRun {
  runId: number;
  options: LoadOptions;
  progress: LoadProgress[];
}

const ms = (n: number): string => `${n.toFixed(n >= 100 ? 0 : 2)} ms`;

function field(
  id: string,
  label: string,
  value: string,
  hint: string,
  step = '0.001',
): { wrap: HTMLElement; input: HTMLElement & { value: string } } {
  // vscode-textfield's step is numeric ("any" becomes NaN and marks every fractional value invalid).
  const input = h('vscode-textfield', { attrs: { id, type: 'number', step, min: '0', value, 'aria-describedby': `${id}-hint` } });
  const wrap = h(
    'div',
    { className: 'field' },
    h('label', { attrs: { for: id } }, label),
    input,
    h('div', { className: 'hint', attrs: { id: `${id}-hint` } }, hint),
  );
  return { wrap, input };
}

function protocolSelect(): HTMLElement & { value: string } {
  const select = h('vscode-single-select', { attrs: { id: 'load-protocol', 'aria-label': 'Protocol' } });
  const protocols: Array<[string, string]> = [
    ['simple', 'Simple (one Query message)'],
    ['prepared', 'Prepared (parse once, like most drivers)'],
  ];
  for (const [value, label] of protocols) select.append(h('vscode-option', { attrs: { value } }, label));
  return select as HTMLElement & { value: string };
}

function modeSelect(): HTMLElement & { value: string } {
  const select = h('vscode-single-select', { attrs: { id: 'load-mode', 'aria-label': 'Mode' } });
  const modes: Array<[LoadMode, string]> = [
    ['as-is', 'As is'],
    ['transaction-with-scope', 'In its transaction scope'],
    ['split', 'Split: each statement alone'],
  ];
  for (const [value, label] of modes) select.append(h('vscode-option', { attrs: { value } }, label));
  return select;
}

/** Per-second latency percentiles of one run, as progress reported them. */
interface LatencySeries {
  p50: number[];
  p95: number[];
  p99: number[];
}

/** One run's column: three charts, live while it runs, from the engine's result once it ends. */
function runColumn(title: string, live: LiveRun | undefined, result: LoadRunResult | undefined, perSecond: LatencySeries): HTMLElement {
  const options = result?.options ?? live?.options;
  const seconds = options?.durationSeconds ?? 0;
  const throughput = result?.throughput ?? live?.progress.map((p) => p.tps) ?? [];
  const timeline = result?.waitTimeline ?? live?.progress.map((p) => p.waits) ?? [];
  const refs =
    result === undefined
      ? []
      : [
          { name: 'p50', className: 'series-p50', value: result.latencyMs.p50 },
          { name: 'p95', className: 'series-p95', value: result.latencyMs.p95 },
          { name: 'p99', className: 'series-p99', value: result.latencyMs.p99 },
        ];
  const label =
    result?.label ??
    (live !== undefined && options !== undefined ? `#${live.runId} · ${options.clients} clients · ${options.mode} (running)` : '');
  return h(
    'section',
    {
      className: 'run',
      attrs: { 'data-run': result !== undefined ? String(result.runId) : `live-${live?.runId ?? 0}`, 'aria-label': `${title}: ${label}` },
    },
    h('h3', {}, title, h('span', { className: 'run-label' }, ` ${label}`)),
    h('div', { className: 'chart-title' }, 'Throughput (transactions/s)'),
    lineChart('Throughput', '/s', [{ name: 'tps', className: 'series-tps', values: throughput }], [], seconds),
    h('div', { className: 'chart-title' }, 'Latency (ms) per second: p50 / p95 / p99; dashed: the whole run'),
    lineChart(
      'Latency',
      ' ms',
      [
        { name: 'p50', className: 'series-p50', values: perSecond.p50 },
        { name: 'p95', className: 'series-p95', values: perSecond.p95 },
        { name: 'p99', className: 'series-p99', values: perSecond.p99 },
      ],
      refs,
      seconds,
    ),
    h('div', { className: 'chart-title' }, 'Wait events (average active probe sessions)'),
    waitChart('Wait events', timeline, seconds),
  );
}

function summaryTable(runs: LoadRunResult[]): HTMLElement {
  const head = h(
    'tr',
    {},
    h('td', {}),
    ...runs.map((r, i) => h('th', { attrs: { scope: 'col' } }, `${i === 0 ? 'Latest' : 'Previous'} ${r.label}`)),
  );
  const row = (name: string, key: string, f: (r: LoadRunResult) => string): HTMLTableRowElement =>
    h(
      'tr',
      { attrs: { 'data-row': key } },
      h('th', { attrs: { scope: 'row' } }, name),
      ...runs.map((r) => h('td', { className: 'num' }, f(r))),
    );
  const waitRows = WAIT_KEYS.map((k) =>
    row(k.label, `wait-${k.key}`, (r) => (r.waitSamples > 0 ? (r.waits[k.key] / r.waitSamples).toFixed(2) : '0')),
  );
  return h(
    'table',
    { className: 'summary-table', attrs: { 'aria-label': 'Probe runs compared' } },
    h('thead', {}, head),
    h(
      'tbody',
      {},
      row('Clients', 'clients', (r) => String(r.options.clients)),
      row('Duration', 'duration', (r) => `${r.durationSeconds.toFixed(1)} s${r.cancelled ? ' (cancelled)' : ''}`),
      row('Transactions', 'transactions', (r) => String(r.transactions)),
      row('Throughput', 'tps', (r) => `${r.tps.toFixed(0)}/s`),
      row('Latency p50', 'p50', (r) => ms(r.latencyMs.p50)),
      row('Latency p95', 'p95', (r) => ms(r.latencyMs.p95)),
      row('Latency p99', 'p99', (r) => ms(r.latencyMs.p99)),
      row(
        'Errors',
        'errors',
        (r) =>
          Object.entries(r.errors)
            .map(([k, n]) => `${k}×${n}`)
            .join(', ') || '0',
      ),
      ...waitRows,
    ),
  );
}

export function loadTab(): LoadTab {
  const clients = field('load-clients', 'Clients', '8', `${PROBE_LIMITS.minClients}–${PROBE_LIMITS.maxClients}`, '1');
  const duration = field('load-duration', 'Duration (s)', '10', `up to ${PROBE_LIMITS.maxDurationSeconds} s`);
  const warmup = field('load-warmup', 'Warm-up (s)', '1', 'not measured');
  const think = field('load-think', 'Think time (ms)', '0', 'pause between iterations');
  const mode = modeSelect();
  const modeField = h(
    'div',
    { className: 'field' },
    h('label', { attrs: { for: 'load-mode' } }, 'Mode'),
    mode,
    h('div', { className: 'hint' }, 'every iteration is rolled back'),
  );
  const protocol = protocolSelect();
  const protocolField = h(
    'div',
    { className: 'field' },
    h('label', { attrs: { for: 'load-protocol' } }, 'Protocol'),
    protocol,
    h('div', { className: 'hint' }, 'prepared: generic plans after 5 runs'),
  );
  const run = h('vscode-button', { attrs: { id: 'run-load' } }, 'Run probe');
  const cancel = h('vscode-button', { attrs: { id: 'cancel', secondary: '', disabled: '' } }, 'Cancel');
  const exportJson = h('vscode-button', { attrs: { id: 'export-json', secondary: '' } }, 'Export JSON');
  const exportMarkdown = h('vscode-button', { attrs: { id: 'export-markdown', secondary: '' } }, 'Export Markdown');
  const status = h(
    'p',
    { className: 'load-status', attrs: { id: 'load-status', role: 'status' } },
    'A probe runs N sessions for the duration; each iteration is BEGIN … ROLLBACK.',
  );
  const runsView = h('div', { className: 'runs', attrs: { id: 'runs' } });
  const summary = h('div', { attrs: { id: 'load-summary' } });
  const panel = h(
    'div',
    { className: 'tab-body' },
    h(
      'div',
      { className: 'form', attrs: { role: 'group', 'aria-label': 'Probe settings' } },
      clients.wrap,
      duration.wrap,
      warmup.wrap,
      think.wrap,
      modeField,
      protocolField,
    ),
    h('div', { className: 'actions' }, run, cancel, exportJson, exportMarkdown),
    status,
    waitLegend(),
    runsView,
    summary,
  );
  let live: LiveRun | undefined;
  const runs: LoadRunResult[] = [];
  const latencies = new Map<number, LatencySeries>();
  const noSeries: LatencySeries = { p50: [], p95: [], p99: [] };
  const draw = (): void => {
    const columns: HTMLElement[] = [];
    if (live !== undefined) columns.push(runColumn('Running', live, undefined, latencies.get(live.runId) ?? noSeries));
    for (const [i, r] of runs.entries()) {
      if (columns.length >= 2) break;
      columns.push(runColumn(i === 0 && live === undefined ? 'Latest' : 'Previous', undefined, r, latencies.get(r.runId) ?? noSeries));
    }
    runsView.replaceChildren(...columns);
    summary.replaceChildren(...(runs.length > 0 ? [summaryTable(runs.slice(0, 2))] : []));
  };
  return {
    panel,
    run,
    cancel,
    exportJson,
    exportMarkdown,
    options() {
      const values = {
        clients: Number(clients.input.value),
        durationSeconds: Number(duration.input.value),
        warmupSeconds: Number(warmup.input.value),
        thinkTimeMs: Number(think.input.value),
      };
      const problem = probeLoadProblem(values);
      if (problem !== undefined) return problem.message;
      return {
        ...values,
        mode: (mode.value === '' ? 'as-is' : mode.value) as LoadMode,
        protocol: protocol.value === 'prepared' ? 'prepared' : 'simple',
      };
    },
    setState(state) {
      // Without a known transaction scope that mode has nothing to add.
      const scoped = mode.querySelector('vscode-option[value="transaction-with-scope"]');
      scoped?.toggleAttribute('disabled', state.scope.length === 0);
    },
    started(runId, options) {
      live = { runId, options, progress: [] };
      latencies.set(runId, { p50: [], p95: [], p99: [] });
      status.textContent =
        options.warmupSeconds > 0 ? `Run #${runId}: warming up for ${options.warmupSeconds} s…` : `Run #${runId}: starting…`;
      draw();
    },
    progress(p) {
      if (live === undefined || live.runId !== p.runId) return;
      live.progress.push(p);
      const series = latencies.get(p.runId);
      // A second in which nothing completed has no percentiles: 0 keeps the lines aligned with the seconds.
      series?.p50.push(p.latencyMs?.p50 ?? 0);
      series?.p95.push(p.latencyMs?.p95 ?? 0);
      series?.p99.push(p.latencyMs?.p99 ?? 0);
      status.textContent = `Run #${p.runId}: ${p.second} s of ${live.options.durationSeconds} s · ${p.tps.toFixed(0)} transactions/s · ${p.errors} errors`;
      draw();
    },
    finished(result) {
      if (live?.runId === result.runId) live = undefined;
      runs.unshift(result);
      if (runs.length > 2) runs.pop();
      status.textContent = `Run #${result.runId} ${result.cancelled ? 'cancelled' : 'finished'}: ${result.transactions} transactions in ${result.durationSeconds.toFixed(1)} s, ${result.tps.toFixed(0)}/s, p95 ${ms(result.latencyMs.p95)}. Rolled back; all probe sessions closed.`;
      draw();
    },
  };
}
