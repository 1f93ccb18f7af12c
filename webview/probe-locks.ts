/** The Locks tab: the exact lock set from pg_locks beside the prediction, differences marked, totals against the slots. */
import type { LockRow, LockRowStatus, LocksResult } from '../src/protocol/probe.js';
import { h } from './dom.js';

export interface LocksTab {
  panel: HTMLElement;
  run: HTMLElement;
  execute(): boolean;
  render(result: LocksResult): void;
}

const STATUS_TEXT: Record<LockRowStatus, string> = {
  match: 'same',
  'fastpath-differs': 'fast/slow differs',
  'only-measured': 'not predicted',
  'only-predicted': 'predicted, not taken',
  'execute-phase': 'execution only',
};

const flag = (fast: boolean | undefined): HTMLElement =>
  fast === undefined ? h('span', { className: 'absent' }, '–') : h('span', { className: fast ? 'fast' : 'slow' }, fast ? 'fast' : 'slow');

function lockRow(row: LockRow): HTMLTableRowElement {
  const differs = row.status !== 'match' && row.status !== 'execute-phase';
  return h(
    'tr',
    {
      className: `lock-row status-${row.status}${differs ? ' differs' : ''}`,
      attrs: { 'data-relation': row.relation, 'data-mode': row.mode, ...(row.owner === undefined ? {} : { 'data-owner': row.owner }) },
    },
    h('td', {}, h('code', {}, row.relation), h('div', { className: 'hint' }, row.reason)),
    h('td', {}, row.relkind),
    h('td', {}, row.mode),
    h('td', { attrs: { 'data-col': 'measured' } }, flag(row.measuredFastpath)),
    h('td', { attrs: { 'data-col': 'predicted' } }, flag(row.predictedFastpath)),
    h('td', { className: 'status-cell' }, STATUS_TEXT[row.status]),
  );
}

/** "18 relations need 18 slots of 16: 2 go to the shared lock table" as a meter and a sentence. */
function budget(result: LocksResult): HTMLElement {
  const used = result.measured.relations;
  const slots = result.fastPathSlots;
  const meter = h('meter', {
    attrs: {
      min: '0',
      max: String(Math.max(slots, used)),
      high: String(slots),
      optimum: '0',
      value: String(used),
      'aria-label': 'Relations against fast-path slots',
    },
  });
  const over = used > slots;
  return h(
    'div',
    { className: `budget${over ? ' over' : ''}` },
    meter,
    h(
      'span',
      { attrs: { id: 'budget-text' } },
      `${used} of ${slots} fast-path slots${over ? ` — ${used - slots} relation(s) beyond the budget` : ''}`,
    ),
  );
}

function totals(result: LocksResult): HTMLElement {
  const m = result.measured;
  const p = result.predicted;
  const cell = (n: number, cls: string): HTMLElement => h('td', { className: `num ${cls}` }, String(n));
  const body = [
    h(
      'tr',
      { attrs: { 'data-totals': 'measured' } },
      h('th', { attrs: { scope: 'row' } }, 'Measured (pg_locks)'),
      cell(m.locks, 'locks'),
      cell(m.relations, 'relations'),
      cell(m.fastpath, 'fastpath'),
      cell(m.slowpath, 'slowpath'),
    ),
    h(
      'tr',
      { attrs: { 'data-totals': 'predicted' } },
      h('th', { attrs: { scope: 'row' } }, 'Predicted'),
      cell(p.locks, 'locks'),
      cell(p.relations, 'relations'),
      cell(p.fastpath, 'fastpath'),
      cell(p.slowpath, 'slowpath'),
    ),
  ];
  const head = h(
    'tr',
    {},
    h('td', {}),
    ...['Locks', 'Relations', 'Fast path', 'Slow path'].map((t) => h('th', { attrs: { scope: 'col' } }, t)),
  );
  return h('table', { className: 'totals', attrs: { 'aria-label': 'Lock totals' } }, h('thead', {}, head), h('tbody', {}, ...body));
}

export function locksTab(): LocksTab {
  const execute = h('vscode-checkbox', { attrs: { id: 'locks-execute', label: 'Execute the statement (rolled back) instead of EXPLAIN' } });
  const run = h('vscode-button', { attrs: { id: 'run-locks' } }, 'Measure locks');
  const output = h(
    'div',
    { attrs: { id: 'locks-output', 'aria-live': 'polite' } },
    h(
      'p',
      { className: 'empty' },
      'Reads the backend’s own rows in pg_locks inside a transaction that is rolled back, and lines them up with the prediction.',
    ),
  );
  const panel = h(
    'div',
    { className: 'tab-body' },
    h('div', { className: 'options' }, execute),
    h('div', { className: 'actions' }, run),
    output,
  );
  return {
    panel,
    run,
    execute: () => execute.checked,
    render(result) {
      const differences = result.rows.filter((r) => r.status !== 'match' && r.status !== 'execute-phase').length;
      const head = h(
        'tr',
        {},
        ...['Relation', 'Kind', 'Mode', 'Measured', 'Predicted', 'Difference'].map((t) => h('th', { attrs: { scope: 'col' } }, t)),
      );
      const table = h(
        'table',
        { className: 'locks', attrs: { 'aria-label': 'Lock set: measured and predicted' } },
        h('thead', {}, head),
        h('tbody', {}, ...result.rows.map(lockRow)),
      );
      const summary = h(
        'p',
        { className: 'summary', attrs: { id: 'locks-summary' } },
        `${result.executed ? 'Statement executed (rolled back)' : 'EXPLAIN (plan-time locks)'} · ${differences === 0 ? 'measurement and prediction agree' : `${differences} difference(s) highlighted`}${result.otherLocks > 0 ? ` · ${result.otherLocks} non-relation lock(s) (virtualxid, transactionid…)` : ''}`,
      );
      const notes = result.notes.length === 0 ? '' : h('ul', { className: 'notes' }, ...result.notes.map((n) => h('li', {}, n)));
      output.replaceChildren(summary, budget(result), totals(result), table, notes);
    },
  };
}
