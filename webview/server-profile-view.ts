/** Renders the server lock profile (or an error) into the page; pure DOM, no host access. */
import type { ServerProfileState } from '../src/protocol/server-profile.js';

function row(label: string, value: string, hint?: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  const th = document.createElement('th');
  th.scope = 'row';
  th.textContent = label;
  const td = document.createElement('td');
  td.textContent = value;
  td.dataset['field'] = label;
  if (hint !== undefined) {
    const small = document.createElement('div');
    small.className = 'hint';
    small.textContent = hint;
    td.append(small);
  }
  tr.append(th, td);
  return tr;
}

export function renderProfile(root: HTMLElement, state: ServerProfileState): void {
  const s = state.server;
  root.replaceChildren();
  const heading = document.createElement('h1');
  heading.textContent = `PostgreSQL ${s.version}`;
  const badge = document.createElement('vscode-badge');
  badge.textContent = s.source === 'embedded' ? 'embedded' : 'server';
  badge.setAttribute('aria-label', s.source === 'embedded' ? 'embedded database (PGlite)' : 'live server');
  heading.append(' ', badge);
  const target = document.createElement('p');
  target.className = 'target';
  target.textContent = state.target;
  const table = document.createElement('table');
  table.setAttribute('aria-label', 'Server lock profile');
  const groupsHint =
    s.fastPathGroups > 1
      ? `${s.fastPathGroups} groups of 16: a relation can only use the 16 slots of its group (OID × 49157 mod groups).`
      : s.versionNum >= 180000
        ? 'one group of 16 slots (raise max_locks_per_transaction for more).'
        : 'PostgreSQL before 18 has 16 fast-path slots per backend; further relation locks go to the shared lock table.';
  table.append(
    row('Database', state.database),
    row('Server version', `${s.version} (${s.versionNum})`),
    row('max_locks_per_transaction', String(s.maxLocksPerTransaction)),
    row('Fast-path slots per backend', String(s.fastPathSlots), groupsHint),
    row('Relations', String(state.relationCount), 'tables, partitions, indexes, sequences, views and materialized views outside the system schemas'),
  );
  root.append(heading, target, table);
}

export function renderError(root: HTMLElement, message: string): void {
  root.replaceChildren();
  const banner = document.createElement('div');
  banner.className = 'error';
  banner.setAttribute('role', 'alert');
  banner.textContent = message;
  root.append(banner);
}
