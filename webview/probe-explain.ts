/** The EXPLAIN tab: option checkboxes, Run, and each statement's plan as a tree table, raw text or JSON. */
import type { ExplainedStatement, ExplainOptions, ExplainResult, PlanTreeNode } from '../src/protocol/probe.js';
import type { VscodeCheckbox } from '@vscode-elements/elements/dist/vscode-checkbox/vscode-checkbox.js';
import { h } from './dom.js';

const GENERIC_PLAN_VERSION = 160000;

export interface ExplainTab {
  panel: HTMLElement;
  run: HTMLElement;
  options(): ExplainOptions;
  render(result: ExplainResult): void;
  setServer(versionNum: number): void;
}

const num = (n: number | undefined, digits = 0): string =>
  n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function checkbox(id: string, label: string, checked: boolean): VscodeCheckbox {
  const box = h('vscode-checkbox', { attrs: { id, label } });
  box.checked = checked;
  return box;
}

function nodeRow(node: PlanTreeNode, depth: number, s: ExplainedStatement, analyzed: boolean): HTMLTableRowElement {
  const slowest = node.id === s.slowestNodeId;
  const misestimated = node.id === s.misestimatedNodeId;
  const flags: HTMLElement[] = [];
  if (slowest) flags.push(h('span', { className: 'flag flag-slowest' }, 'slowest'));
  if (misestimated) flags.push(h('span', { className: 'flag flag-misestimate' }, `misestimated ×${num(node.misestimate, 0)}`));
  const name = h(
    'td',
    { className: 'plan-node' },
    h('span', { className: 'node-type' }, node.nodeType),
    node.detail === '' ? '' : h('span', { className: 'node-detail' }, ` ${node.detail}`),
    ...flags,
  );
  // Indentation through CSSOM (a custom property), which the CSP allows; a style attribute it would refuse.
  name.style.setProperty('--depth', String(depth));
  const classes = ['plan-row', slowest ? 'slowest' : '', misestimated ? 'misestimated' : ''].filter((c) => c !== '').join(' ');
  const rowsActual =
    node.actualRows === undefined
      ? '–'
      : `${num(node.actualRows)}${node.loops !== undefined && node.loops > 1 ? ` (${node.loops} loops)` : ''}`;
  const buffers =
    node.sharedHit === undefined && node.sharedRead === undefined ? '–' : `${num(node.sharedHit)} hit · ${num(node.sharedRead)} read`;
  const cells = [
    name,
    h('td', { className: 'num' }, `${num(node.startupCost, 2)}..${num(node.totalCost, 2)}`),
    h('td', { className: 'num' }, num(node.planRows)),
    h('td', { className: 'num' }, analyzed ? rowsActual : '–'),
    h('td', { className: 'num' }, analyzed ? `${num(node.exclusiveMs, 3)} / ${num(node.actualTotalMs, 3)}` : '–'),
    h('td', { className: 'num' }, buffers),
  ];
  return h('tr', { className: classes, attrs: { 'data-node-id': String(node.id) } }, ...cells);
}

function rows(
  node: PlanTreeNode,
  depth: number,
  s: ExplainedStatement,
  analyzed: boolean,
  out: HTMLTableRowElement[] = [],
): HTMLTableRowElement[] {
  out.push(nodeRow(node, depth, s, analyzed));
  for (const child of node.children) rows(child, depth + 1, s, analyzed, out);
  return out;
}

function planTable(s: ExplainedStatement, analyzed: boolean, index: number): HTMLElement {
  const head = h(
    'tr',
    {},
    ...['Node', 'Cost', 'Rows est.', 'Rows actual', 'Time ms (self / total)', 'Buffers'].map((t) =>
      h('th', { attrs: { scope: 'col' } }, t),
    ),
  );
  return h(
    'table',
    { className: 'plan', attrs: { 'aria-label': `Plan of statement ${index + 1}` } },
    h('thead', {}, head),
    h('tbody', {}, ...rows(s.tree, 0, s, analyzed)),
  );
}

type RawView = 'tree' | 'text' | 'json';

function statementView(s: ExplainedStatement, analyzed: boolean, index: number, view: RawView): HTMLElement {
  const timing =
    s.executionMs !== undefined
      ? `Planning ${num(s.planningMs, 3)} ms · execution ${num(s.executionMs, 3)} ms`
      : s.planningMs !== undefined
        ? `Planning ${num(s.planningMs, 3)} ms`
        : '';
  const settings = Object.entries(s.settings);
  const body =
    view === 'tree'
      ? planTable(s, analyzed, index)
      : h(
          'pre',
          {
            className: `raw raw-${view}`,
            attrs: { tabindex: '0', 'aria-label': `${view === 'text' ? 'Text' : 'JSON'} plan of statement ${index + 1}` },
          },
          view === 'text' ? s.text : s.json,
        );
  return h(
    'section',
    { className: 'explained', attrs: { 'data-statement': String(index) } },
    h('div', { className: 'explained-sql' }, h('code', {}, s.sql)),
    timing === '' ? '' : h('p', { className: 'timing' }, timing),
    settings.length === 0 ? '' : h('p', { className: 'timing' }, `Settings: ${settings.map(([k, v]) => `${k} = ${v}`).join(', ')}`),
    body,
  );
}

export function explainTab(): ExplainTab {
  const boxes = {
    analyze: checkbox('opt-analyze', 'ANALYZE', true),
    buffers: checkbox('opt-buffers', 'BUFFERS', true),
    verbose: checkbox('opt-verbose', 'VERBOSE', false),
    settings: checkbox('opt-settings', 'SETTINGS', false),
    genericPlan: checkbox('opt-generic', 'GENERIC_PLAN', false),
  };
  const genericHint = h('span', { className: 'hint inline-hint', attrs: { id: 'generic-hint' } });
  const run = h('vscode-button', { attrs: { id: 'run-explain' } }, 'Run EXPLAIN');
  const views = (['tree', 'text', 'json'] as const).map((v) =>
    h(
      'vscode-button',
      { attrs: { 'data-view': v, secondary: '', 'aria-pressed': String(v === 'tree') } },
      v === 'tree' ? 'Plan tree' : v === 'text' ? 'Text' : 'JSON',
    ),
  );
  const toolbar = h('div', { className: 'view-toggle', attrs: { role: 'group', 'aria-label': 'Plan view' } }, ...views);
  const output = h(
    'div',
    { attrs: { id: 'explain-output', 'aria-live': 'polite' } },
    h(
      'p',
      { className: 'empty' },
      'EXPLAIN runs inside a transaction that is rolled back. With ANALYZE the statement executes (twice: for the JSON and the text plan).',
    ),
  );
  const legend = h(
    'p',
    { className: 'plan-legend' },
    h('span', { className: 'flag flag-slowest' }, 'slowest'),
    ' most time in the node itself · ',
    h('span', { className: 'flag flag-misestimate' }, 'misestimated'),
    ' largest gap between estimated and actual rows',
  );
  const panel = h(
    'div',
    { className: 'tab-body' },
    h('div', { className: 'options', attrs: { role: 'group', 'aria-label': 'EXPLAIN options' } }, ...Object.values(boxes), genericHint),
    h('div', { className: 'actions' }, run, toolbar),
    output,
  );
  let current: ExplainResult | undefined;
  let view: RawView = 'tree';
  const draw = (): void => {
    if (current === undefined) return;
    const analyzed = current.options.analyze;
    output.replaceChildren(...(analyzed ? [legend] : []), ...current.statements.map((s, i) => statementView(s, analyzed, i, view)));
  };
  for (const button of views) {
    button.addEventListener('click', () => {
      view = (button.dataset['view'] as RawView | undefined) ?? 'tree';
      for (const b of views) b.setAttribute('aria-pressed', String(b === button));
      draw();
    });
  }
  // GENERIC_PLAN cannot be combined with ANALYZE: checking one clears the other, as the server would refuse both.
  boxes.genericPlan.addEventListener('change', () => {
    if (boxes.genericPlan.checked) boxes.analyze.checked = false;
  });
  boxes.analyze.addEventListener('change', () => {
    if (boxes.analyze.checked) boxes.genericPlan.checked = false;
  });
  return {
    panel,
    run,
    options: () => ({
      analyze: boxes.analyze.checked,
      buffers: boxes.buffers.checked,
      verbose: boxes.verbose.checked,
      settings: boxes.settings.checked,
      genericPlan: boxes.genericPlan.checked,
    }),
    render(result) {
      current = result;
      draw();
    },
    setServer(versionNum) {
      const supported = versionNum >= GENERIC_PLAN_VERSION;
      boxes.genericPlan.disabled = !supported;
      genericHint.textContent = supported ? '' : 'GENERIC_PLAN needs PostgreSQL 16 or later.';
    },
  };
}
