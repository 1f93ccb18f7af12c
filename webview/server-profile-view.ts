/** Renders a server lock profile, the loading placeholder or an error banner as DOM; no host access, no state. */
import type { ServerProfileState } from '../src/protocol/server-profile.js';
import { codicon, h } from './dom.js';

/** First server_version_num with fast-path groups sized from max_locks_per_transaction. */
const PG18 = 180000;

/** One row of the profile table; `field` is the stable key tests and styles use (labels may change). */
interface Row {
  field: string;
  label: Node | string;
  value: Node | string;
  hint?: string;
}

const major = (versionNum: number): number => Math.floor(versionNum / 10000);
const code = (text: string): HTMLElement => h('code', {}, text);

function sourceBadge(source: string): HTMLElement {
  const embedded = source === 'embedded';
  return h(
    'vscode-badge',
    {
      className: `source ${embedded ? 'embedded' : 'server'}`,
      attrs: { 'aria-label': embedded ? 'source: embedded database' : 'source: live server' },
    },
    embedded ? 'embedded' : 'server',
  );
}

/** The rows, in reading order: where the facts come from, then what decides fast-path capacity. */
export function profileRows(state: ServerProfileState): Row[] {
  const s = state.server;
  const grouped = s.versionNum >= PG18;
  const rows: Row[] = [
    {
      field: 'source',
      label: 'Source',
      value: s.source === 'embedded' ? 'embedded' : 'server',
      hint:
        s.source === 'embedded'
          ? 'Embedded PostgreSQL (PGlite) with its default settings — not your server.'
          : 'Read from the live server.',
    },
    { field: 'version', label: 'Server version', value: s.version, hint: `server_version_num ${s.versionNum}` },
    { field: 'database', label: 'Database', value: state.database },
    {
      field: 'max-locks',
      label: code('max_locks_per_transaction'),
      value: String(s.maxLocksPerTransaction),
      hint: grouped
        ? 'Sizes the fast-path groups and the shared lock table.'
        : `Sizes the shared lock table only; the fast path has a fixed size before PostgreSQL 18.`,
    },
    {
      field: 'fast-path-slots',
      label: 'Fast-path slots per backend',
      value: String(s.fastPathSlots),
      hint: grouped
        ? `${s.fastPathGroups} × 16. Relation locks that find no free slot go to the shared lock table (slow path).`
        : `Fixed in PostgreSQL ${major(s.versionNum)}. A transaction's relation locks beyond 16 go to the shared lock table (slow path).`,
    },
  ];
  if (grouped) {
    rows.push({
      field: 'fast-path-groups',
      label: 'Fast-path groups',
      value: String(s.fastPathGroups),
      hint: 'A relation can only use the 16 slots of its group.',
    });
  }
  rows.push({
    field: 'relations',
    label: 'Relations',
    value: String(state.relationCount),
    hint: 'Tables, partitions, indexes, sequences, views and materialized views outside the system schemas.',
  });
  return rows;
}

function renderRow(row: Row): HTMLTableRowElement {
  const value = h('span', { className: 'value' }, row.value);
  const cell = h('td', { attrs: { 'data-field': row.field } }, value);
  if (row.hint !== undefined) cell.append(h('div', { className: 'hint' }, row.hint));
  return h('tr', {}, h('th', { attrs: { scope: 'row' } }, row.label), cell);
}

/** The profile: a summary line (version, source, target) and a two-column table. */
export function renderProfile(root: HTMLElement, state: ServerProfileState): void {
  const summary = h(
    'p',
    { className: 'summary' },
    h('span', { className: 'product' }, `PostgreSQL ${state.server.version}`),
    ' ',
    sourceBadge(state.server.source),
    h('span', { className: 'target' }, state.target),
  );
  const table = h(
    'table',
    { className: 'profile', attrs: { 'aria-label': 'Server lock profile' } },
    h('tbody', {}, ...profileRows(state).map(renderRow)),
  );
  root.replaceChildren(summary, table);
}

/** Shown until the first state arrives. */
export function renderLoading(root: HTMLElement): void {
  root.replaceChildren(
    h(
      'p',
      { className: 'loading' },
      h('vscode-progress-ring', { attrs: { 'aria-hidden': 'true', role: 'presentation' } }),
      'Reading the server lock profile…',
    ),
  );
}

/** Replaces whatever was shown: after a failed read the old numbers may be wrong, so none stay on screen. */
export function renderError(root: HTMLElement, message: string): void {
  const banner = h(
    'div',
    { className: 'error-banner', attrs: { role: 'alert' } },
    codicon('error'),
    h('div', {}, h('strong', {}, 'Cannot read the server lock profile.'), h('div', { className: 'message' }, message)),
  );
  root.replaceChildren(banner);
}
