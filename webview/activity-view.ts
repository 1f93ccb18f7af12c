/** Renders one activity state: waits, the blocking tree, idle-in-transaction holders, slow-path locks, subtransactions. */
import type { ActivityState, CodeLink } from '../src/protocol/activity.js';
import { h } from './dom.js';

const seconds = (s: number | undefined): string =>
  s === undefined ? '–' : s < 60 ? `${s.toFixed(1)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
const short = (q: string, n = 120): string => {
  const flat = q.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
};

function table(label: string, headers: string[], rows: Array<Array<Node | string>>): HTMLElement {
  if (rows.length === 0) return h('p', { className: 'empty' }, `No ${label.toLowerCase()}.`);
  return h(
    'table',
    { attrs: { 'aria-label': label } },
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { attrs: { scope: 'col' } }, x)))),
    h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c) => h('td', {}, c))))),
  );
}

function codeLinks(links: CodeLink[], pid: number, open: (link: CodeLink) => void): Node | string {
  const mine = links.filter((l) => l.pid === pid);
  if (mine.length === 0) return '';
  const span = h('span', { className: 'links' });
  for (const link of mine.slice(0, 3)) {
    const a = h('a', { attrs: { href: '#', 'data-file': link.file, 'data-line': String(link.line) } }, `${link.label}`);
    a.addEventListener('click', (e) => {
      e.preventDefault();
      open(link);
    });
    span.append(' ', a);
  }
  return span;
}

export function renderActivity(root: HTMLElement, state: ActivityState, open: (link: CodeLink) => void): void {
  const s = state.snapshot;
  const states = new Map<string, number>();
  for (const x of s.sessions) states.set(x.state ?? 'unknown', (states.get(x.state ?? 'unknown') ?? 0) + 1);
  const waits = Object.entries(state.waits).filter(([, n]) => n > 0);
  const summary = h(
    'p',
    { className: 'summary', attrs: { id: 'activity-summary' } },
    `${s.sessions.length} other session(s): ${[...states].map(([k, n]) => `${n} ${k}`).join(', ') || 'none'} · active by wait: ${waits.map(([k, n]) => `${k} ${n}`).join(', ') || 'none'}`,
  );

  const blocking = table(
    'Blocking',
    ['session', 'state', 'waiting on', 'transaction', 'query'],
    state.blocking.map((b) => [
      h('span', { className: `depth-${Math.min(b.depth, 4)}` }, `${b.depth === 0 ? '■' : '└'} ${b.pid}`),
      b.state,
      b.wait,
      seconds(b.transactionAgeSeconds),
      h('span', {}, short(b.query), codeLinks(state.links, b.pid, open)),
    ]),
  );
  blocking.setAttribute('id', 'blocking');
  const idle = s.sessions
    .filter((x) => x.state?.startsWith('idle in transaction') === true)
    .sort((a, b) => (b.stateAgeSeconds ?? 0) - (a.stateAgeSeconds ?? 0));
  const idleTable = table(
    'Idle in transaction',
    ['session', 'idle for', 'transaction', 'relation locks', 'last query'],
    idle.map((x) => [
      String(x.pid),
      seconds(x.stateAgeSeconds),
      seconds(x.transactionAgeSeconds),
      String(x.relationLocks),
      h('span', {}, short(x.query), codeLinks(state.links, x.pid, open)),
    ]),
  );
  idleTable.setAttribute('id', 'idle');
  const slow = s.sessions.filter((x) => x.slowPathRelationLocks > 0).sort((a, b) => b.slowPathRelationLocks - a.slowPathRelationLocks);
  const slowTable = table(
    'Slow-path locks',
    ['session', 'slow-path', 'relation locks', 'query'],
    slow.map((x) => [
      String(x.pid),
      String(x.slowPathRelationLocks),
      String(x.relationLocks),
      h('span', {}, short(x.query), codeLinks(state.links, x.pid, open)),
    ]),
  );
  slowTable.setAttribute('id', 'slow-path');
  const perTable = table(
    'Slow-path locks per table',
    ['relation', 'slow-path', 'fast-path'],
    s.slowPathByRelation.slice(0, 15).map((r) => [r.relation, String(r.slowPathLocks), String(r.fastPathLocks)]),
  );
  const subx = !s.subxactSupported
    ? h('p', {}, 'Per-backend subtransaction caches are reported from PostgreSQL 16 on.')
    : table(
        'Subtransaction caches',
        ['session', 'cached subxids', 'overflowed'],
        s.sessions
          .filter((x) => (x.subxactCount ?? 0) > 0)
          .map((x) => [String(x.pid), String(x.subxactCount), x.subxactOverflowed === true ? 'yes (pg_subtrans lookups)' : 'no']),
      );
  const slru =
    s.subtransSlru === undefined
      ? ''
      : h(
          'p',
          { className: 'hint' },
          `pg_stat_slru "${s.subtransSlru.name}": ${s.subtransSlru.blksHit} hits, ${s.subtransSlru.blksRead} reads (cumulative)`,
        );
  root.replaceChildren(
    summary,
    h('h2', {}, 'Blocking'),
    blocking,
    h('h2', {}, 'Idle in transaction'),
    idleTable,
    h('h2', {}, 'Slow-path relation locks'),
    slowTable,
    perTable,
    h('h2', {}, 'Subtransactions'),
    subx,
    slru,
  );
}
