/** Renders a Lock Cost state: the ranked statements, those not predicted with their reason, and the index diet. */
import type { LockCostSite, LockCostState, LockCostStatement } from '../src/protocol/lock-cost.js';
import { codicon, h } from './dom.js';

export interface LockCostActions {
  openCode(site: LockCostSite): void;
  probe(statement: LockCostStatement): void;
}

/** Figures as the CLI prints them: integers plain, anything else to one decimal (small rates to two). */
const num = (n: number): string => (Number.isInteger(n) ? String(n) : Math.abs(n) < 10 ? n.toFixed(2) : n.toFixed(1));
const short = (q: string, n = 140): string => {
  const flat = q.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};
const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

function headerRow(columns: Array<[string, boolean]>): HTMLElement {
  return h(
    'thead',
    {},
    h('tr', {}, ...columns.map(([label, numeric]) => h('th', { className: numeric ? 'num' : '', attrs: { scope: 'col' } }, label))),
  );
}

function responsible(s: LockCostStatement): HTMLElement {
  const list = h('ul', { className: 'responsible' });
  for (const r of s.relations) {
    const parts = [
      r.indexes > 0 ? plural(r.indexes, 'index', 'indexes') : '',
      r.partitions > 0 ? plural(r.partitions, 'partition') : '',
    ].filter(Boolean);
    list.append(
      h(
        'li',
        {},
        h('code', {}, r.relation),
        ` ${plural(r.locks, 'lock')}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}, ${r.slowPath} slow-path`,
      ),
    );
  }
  return list;
}

function codeSites(s: LockCostStatement, actions: LockCostActions): HTMLElement | string {
  if (s.sites.length === 0) return h('span', { className: 'hint' }, 'not found in the workspace');
  const list = h('ul', { className: 'sites' });
  for (const site of s.sites) {
    const a = h('a', { attrs: { href: '#', 'data-file': site.file, 'data-line': String(site.line), title: site.origin } }, site.label);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      actions.openCode(site);
    });
    list.append(h('li', {}, a));
  }
  return list;
}

function statementRows(rank: number, s: LockCostStatement, actions: LockCostActions): HTMLElement[] {
  const probe = h('vscode-button', { attrs: { secondary: '', 'data-probe': s.queryId, 'aria-label': `Probe statement ${rank}` } }, 'Probe');
  probe.addEventListener('click', () => actions.probe(s));
  const planDiffers = s.custom.locksPerCall !== s.generic.locksPerCall || s.custom.slowPathPerCall !== s.generic.slowPathPerCall;
  const details = h(
    'td',
    { attrs: { colspan: '7' } },
    responsible(s),
    planDiffers
      ? h(
          'p',
          { className: 'hint plan-split' },
          `custom plan ${plural(s.custom.locksPerCall, 'lock')} (${s.custom.slowPathPerCall} slow-path), generic plan ${plural(s.generic.locksPerCall, 'lock')} (${s.generic.slowPathPerCall} slow-path); figures assume ${s.plan}`,
        )
      : '',
    ...s.notes.map((note) => h('p', { className: 'hint' }, note)),
  );
  return [
    h(
      'tr',
      { className: 'statement', attrs: { 'data-query-id': s.queryId } },
      h('td', { className: 'num' }, String(rank)),
      h('td', {}, h('code', { className: 'query', attrs: { title: s.query } }, short(s.query))),
      h('td', { className: 'num' }, num(s.callsPerSecond)),
      h('td', { className: 'num' }, num(s.locksPerCall)),
      h('td', { className: 'num' }, num(s.slowPathPerCall)),
      h('td', { className: 'num' }, num(s.slowPathPerSecond)),
      h('td', { className: 'num' }, s.meanExecMs.toFixed(2)),
      h('td', {}, h('div', { className: 'code-cell' }, codeSites(s, actions), probe)),
    ),
    h('tr', { className: 'statement-details', attrs: { 'data-query-id': s.queryId } }, h('td', {}), details),
  ];
}

function ranking(state: LockCostState, actions: LockCostActions): HTMLElement {
  if (state.statements.length === 0) return h('p', { className: 'empty' }, 'No statement was called during the interval.');
  return h(
    'table',
    { className: 'summary-table', attrs: { id: 'ranking', 'aria-label': 'Statements ranked by lock cost' } },
    headerRow([
      ['#', true],
      ['statement', false],
      ['calls/s', true],
      ['locks/call', true],
      ['slow-path/call', true],
      ['slow-path/s', true],
      ['mean ms', true],
      ['code', false],
    ]),
    h('tbody', {}, ...state.statements.flatMap((s, i) => statementRows(i + 1, s, actions))),
  );
}

function unpredictable(state: LockCostState): HTMLElement {
  if (state.unpredictable.length === 0) return h('p', { className: 'empty' }, 'Every statement called was predicted.');
  return h(
    'table',
    { className: 'summary-table', attrs: { id: 'unpredictable', 'aria-label': 'Statements not predicted' } },
    headerRow([
      ['calls/s', true],
      ['statement', false],
      ['why not', false],
    ]),
    h(
      'tbody',
      {},
      ...state.unpredictable.map((u) =>
        h(
          'tr',
          {},
          h('td', { className: 'num' }, num(u.callsPerSecond)),
          h('td', {}, h('code', { attrs: { title: u.query } }, short(u.query, 90))),
          h('td', {}, u.reason),
        ),
      ),
    ),
  );
}

function indexDiet(state: LockCostState): HTMLElement {
  const diet = state.diet;
  if (diet.candidates.length === 0)
    return h(
      'p',
      { className: 'empty', attrs: { id: 'diet' } },
      'No invalid, unused or duplicate index on the tables these statements lock.',
    );
  const since = diet.statsReset === undefined ? 'since the statistics were created' : `since ${new Date(diet.statsReset).toLocaleString()}`;
  const rows: HTMLElement[] = [];
  for (const t of diet.tables) {
    rows.push(
      h(
        'tr',
        { className: 'diet-table' },
        h('td', {}, h('strong', {}, t.table), ` (${plural(t.indexes, 'index', 'indexes')}): drop ${t.drop}`),
        h('td', { className: 'num' }, num(t.slowPathSavedPerSecond)),
        h('td', { className: 'num' }, num(t.locksSavedPerSecond)),
      ),
    );
    for (const c of diet.candidates.filter((x) => x.table === t.table))
      rows.push(
        h(
          'tr',
          { className: 'diet-index', attrs: { 'data-index': c.index } },
          h(
            'td',
            { className: 'indent' },
            h('code', {}, c.index),
            ` ${c.reasons.join(', ')} · ${c.scans ?? '?'} scans · ${Math.round(c.sizeBytes / 1024)} kB`,
          ),
          h('td', { className: 'num' }, num(c.slowPathSavedPerSecond)),
          h('td', { className: 'num' }, num(c.locksSavedPerSecond)),
        ),
      );
  }
  return h(
    'div',
    { attrs: { id: 'diet' } },
    h(
      'p',
      { className: 'summary-line' },
      `Dropping all ${diet.candidates.length} saves ${num(diet.slowPathSavedPerSecond)} slow-path and ${num(diet.locksSavedPerSecond)} relation-lock acquisitions/s. Unused = no scan ${since}; unique and constraint indexes are never "unused".`,
    ),
    h(
      'table',
      { className: 'summary-table', attrs: { 'aria-label': 'Index diet' } },
      headerRow([
        ['table / index', false],
        ['slow-path/s saved', true],
        ['locks/s saved', true],
      ]),
      h('tbody', {}, ...rows),
    ),
  );
}

export function renderLockCost(root: HTMLElement, state: LockCostState, actions: LockCostActions): void {
  const summary = h(
    'p',
    { className: 'summary-line', attrs: { id: 'lock-cost-summary' } },
    `${state.connection} · PostgreSQL ${state.server.version}, ${state.server.fastPathSlots} fast-path slots per backend · ` +
      `${state.interval.seconds.toFixed(1)} s sampled: ${num(state.totals.callsPerSecond)} calls/s, ` +
      `${num(state.totals.locksPerSecond)} relation locks/s, ${num(state.totals.slowPathPerSecond)} slow-path/s ` +
      `(ranked by ${state.sort === 'slowpath' ? 'slow-path' : 'relation-lock'} acquisitions/s; each statement alone in its transaction)`,
  );
  root.replaceChildren(
    summary,
    h('h2', {}, 'Statements'),
    ranking(state, actions),
    h('h2', {}, `Not predicted (${state.unpredictable.length})`),
    unpredictable(state),
    h('h2', {}, 'Index diet'),
    indexDiet(state),
  );
}

/** pg_stat_statements is missing: the message from the server check, and the steps that turn it on. */
export function renderEnableHint(root: HTMLElement, message: string): void {
  root.replaceChildren(
    h(
      'div',
      { className: 'error-banner', attrs: { role: 'alert', id: 'enable' } },
      codicon('info'),
      h(
        'div',
        {},
        h('strong', {}, 'Lock Cost needs pg_stat_statements.'),
        h('div', { className: 'message' }, message),
        h(
          'ol',
          { className: 'steps' },
          h('li', {}, 'Add it to the libraries the server preloads: ', h('code', {}, "shared_preload_libraries = 'pg_stat_statements'")),
          h('li', {}, 'Restart the server (managed services: set it in the parameter group or server flags).'),
          h('li', {}, 'In this database: ', h('code', {}, 'CREATE EXTENSION pg_stat_statements;')),
          h('li', {}, 'Sample again.'),
        ),
      ),
    ),
  );
}
