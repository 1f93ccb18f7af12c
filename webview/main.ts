/** Entry of the webview bundle: wires the Server Lock Profile view to the host through the typed protocol. */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import { ProfileErrorNotification, ProfileNotification, ReadyCommand, RefreshCommand } from '../src/protocol/server-profile.js';
import { renderError, renderProfile } from './server-profile-view.js';
import { vscodeApi } from './vscode-api.js';

function main(): void {
  const api = vscodeApi();
  const content = document.getElementById('content');
  const refresh = document.getElementById('refresh');
  const busy = document.getElementById('busy');
  if (content === null || refresh === null || busy === null) return;
  const setBusy = (on: boolean): void => {
    busy.hidden = !on;
    refresh.toggleAttribute('disabled', on);
    content.setAttribute('aria-busy', String(on));
  };
  refresh.addEventListener('click', () => {
    setBusy(true);
    api.postMessage(RefreshCommand.create({}));
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (ProfileNotification.is(message)) {
      setBusy(false);
      renderProfile(content, message.params.state);
    } else if (ProfileErrorNotification.is(message)) {
      setBusy(false);
      renderError(content, message.params.message);
    }
  });
  setBusy(true);
  api.postMessage(ReadyCommand.create({}));
}

main();
