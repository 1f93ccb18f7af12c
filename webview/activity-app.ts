/** The live activity view: a header with Pause/Resume, Export and the sampling status; history charts and the latest snapshot. */
import {
  ActivityErrorNotification,
  ActivityExportCommand,
  ActivityNotification,
  ActivityOpenCodeCommand,
  ActivityPauseCommand,
  ActivityReadyCommand,
} from '../src/protocol/activity.js';
import { renderHistory } from './activity-history.js';
import { renderActivity } from './activity-view.js';
import { h } from './dom.js';
import { renderError } from './server-profile-view.js';
import type { VsCodeApi } from './vscode-api.js';

export function mountActivity(app: HTMLElement, api: VsCodeApi): void {
  let paused = false;
  const pause = h('vscode-button', { attrs: { id: 'pause' } }, 'Pause');
  const exportButton = h('vscode-button', { attrs: { id: 'export', secondary: '' } }, 'Export…');
  const statusText = h('span', { attrs: { id: 'status', role: 'status' } }, 'Sampling…');
  const header = h(
    'header',
    { className: 'header' },
    h('h1', { attrs: { id: 'title' } }, 'Live Activity'),
    h('div', { className: 'status' }, statusText),
    pause,
    exportButton,
  );
  const history = h('section', { attrs: { id: 'history', 'aria-label': 'History' } });
  const content = h('section', { attrs: { id: 'activity', 'aria-labelledby': 'title', 'aria-live': 'off' } });
  app.replaceChildren(header, history, content);
  exportButton.addEventListener('click', () => api.postMessage(ActivityExportCommand.create({})));
  pause.addEventListener('click', () => {
    paused = !paused;
    pause.textContent = paused ? 'Resume' : 'Pause';
    api.postMessage(ActivityPauseCommand.create({ paused }));
  });
  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (ActivityNotification.is(message)) {
      const { state } = message.params;
      renderHistory(history, state.history, state.windowSeconds);
      renderActivity(content, state, (link) => api.postMessage(ActivityOpenCodeCommand.create({ file: link.file, line: link.line })));
      statusText.textContent = `${state.paused ? 'Paused' : `Every ${state.intervalSeconds} s`} · sampled ${new Date(state.snapshot.takenAt).toLocaleTimeString()}`;
    } else if (ActivityErrorNotification.is(message)) {
      renderError(content, message.params.message);
      statusText.textContent = 'Stopped';
    }
  });
  api.postMessage(ActivityReadyCommand.create({}));
}
