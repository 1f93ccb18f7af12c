/** The Server Lock Profile view: a header with Refresh and a status line, driven by the host's notifications. */
import { ProfileErrorNotification, ProfileNotification, ReadyCommand, RefreshCommand } from '../src/protocol/server-profile.js';
import { h, hasCodicons } from './dom.js';
import { renderError, renderLoading, renderProfile } from './server-profile-view.js';
import type { VsCodeApi } from './vscode-api.js';

const clock = (): string => new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function mountServerProfile(app: HTMLElement, api: VsCodeApi): void {
  const refresh = h('vscode-button', { attrs: { id: 'refresh', 'aria-controls': 'profile' } }, 'Refresh');
  if (hasCodicons()) refresh.setAttribute('icon', 'refresh');
  const spinner = h('vscode-progress-ring', { className: 'spinner', attrs: { 'aria-hidden': 'true', role: 'presentation' } });
  spinner.hidden = true;
  // A polite live region: screen readers hear "Refreshing…" and "Read at …" without losing their place.
  const statusText = h('span', { attrs: { id: 'status', role: 'status' } });
  const header = h(
    'header',
    { className: 'header' },
    h('h1', { attrs: { id: 'title' } }, 'Server Lock Profile'),
    h('div', { className: 'status' }, spinner, statusText),
    refresh,
  );
  const content = h('section', { attrs: { id: 'profile', 'aria-labelledby': 'title' } });
  app.replaceChildren(header, content);

  let busy = false;
  const setBusy = (on: boolean, status: string): void => {
    busy = on;
    spinner.hidden = !on || content.querySelector('.loading') !== null;
    refresh.toggleAttribute('disabled', on);
    content.setAttribute('aria-busy', String(on));
    // While a refresh runs the old numbers stay readable but dimmed; they are replaced or removed when it ends.
    content.classList.toggle('stale', on);
    statusText.textContent = status;
  };

  refresh.addEventListener('click', () => {
    // vscode-button still delivers mouse clicks while disabled; one refresh at a time.
    if (busy) return;
    setBusy(true, 'Refreshing…');
    api.postMessage(RefreshCommand.create({}));
  });

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (ProfileNotification.is(message)) {
      renderProfile(content, message.params.state);
      setBusy(false, `Read at ${clock()}`);
    } else if (ProfileErrorNotification.is(message)) {
      renderError(content, message.params.message);
      setBusy(false, '');
    }
  });

  renderLoading(content);
  setBusy(true, '');
  api.postMessage(ReadyCommand.create({}));
}
