/** The Lock Cost view: a header with the interval, Sample and Cancel, sampling progress, then the ranked workload. */
import {
  LockCostCancelCommand,
  LockCostErrorNotification,
  LockCostInitNotification,
  LockCostOpenCodeCommand,
  LockCostProbeCommand,
  LockCostProgressNotification,
  LockCostReadyCommand,
  LockCostRunCommand,
  LockCostStateNotification,
  type LockCostState,
} from '../src/protocol/lock-cost.js';
import { h, hasCodicons } from './dom.js';
import { renderEnableHint, renderLockCost, type LockCostActions } from './lock-cost-view.js';
import { renderError } from './server-profile-view.js';
import type { VsCodeApi } from './vscode-api.js';

const MIN_SECONDS = 1;
const MAX_SECONDS = 3600;

export function mountLockCost(app: HTMLElement, api: VsCodeApi): void {
  const interval = h('vscode-textfield', {
    attrs: {
      id: 'interval',
      type: 'number',
      min: String(MIN_SECONDS),
      max: String(MAX_SECONDS),
      value: '60',
      'aria-label': 'Interval in seconds',
    },
  }) as HTMLElement & { value: string };
  const run = h('vscode-button', { attrs: { id: 'run', 'aria-controls': 'lock-cost' } }, 'Sample');
  if (hasCodicons()) run.setAttribute('icon', 'play');
  const cancel = h('vscode-button', { attrs: { id: 'cancel', secondary: '' } }, 'Cancel');
  cancel.hidden = true;
  const spinner = h('vscode-progress-ring', { className: 'spinner', attrs: { 'aria-hidden': 'true', role: 'presentation' } });
  spinner.hidden = true;
  const statusText = h('span', { attrs: { id: 'status', role: 'status' } }, 'Not sampled yet');
  const header = h(
    'header',
    { className: 'header' },
    h('h1', { attrs: { id: 'title' } }, 'Lock Cost'),
    h('div', { className: 'status' }, spinner, statusText),
    h('label', { className: 'interval' }, 'Interval (s) ', interval),
    run,
    cancel,
  );
  const content = h(
    'section',
    { attrs: { id: 'lock-cost', 'aria-labelledby': 'title' } },
    h(
      'p',
      { className: 'hint' },
      'Samples pg_stat_statements twice over the interval and ranks each statement by the relation locks it takes per second, and how many of them miss the fast-path slots.',
    ),
  );
  app.replaceChildren(header, content);

  let last: LockCostState | undefined;
  const setBusy = (on: boolean): void => {
    spinner.hidden = !on;
    cancel.hidden = !on;
    run.toggleAttribute('disabled', on);
    content.setAttribute('aria-busy', String(on));
    content.classList.toggle('stale', on && last !== undefined);
  };
  const actions: LockCostActions = {
    openCode: (site) => api.postMessage(LockCostOpenCodeCommand.create({ file: site.file, line: site.line })),
    probe: (statement) => api.postMessage(LockCostProbeCommand.create({ queryId: statement.queryId })),
  };
  const show = (state: LockCostState): void => {
    last = state;
    renderLockCost(content, state, actions);
    statusText.textContent = `Sampled ${state.interval.seconds.toFixed(1)} s, until ${new Date(state.interval.to).toLocaleTimeString()}`;
  };

  run.addEventListener('click', () => {
    const seconds = Number(interval.value);
    if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS)) {
      statusText.textContent = `The interval is ${MIN_SECONDS} to ${MAX_SECONDS} seconds.`;
      return;
    }
    setBusy(true);
    statusText.textContent = 'Starting…';
    api.postMessage(LockCostRunCommand.create({ intervalSeconds: seconds }));
  });
  cancel.addEventListener('click', () => api.postMessage(LockCostCancelCommand.create({})));

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const message = event.data;
    if (LockCostInitNotification.is(message)) {
      interval.value = String(message.params.intervalSeconds);
      if (message.params.state !== undefined) show(message.params.state);
    } else if (LockCostProgressNotification.is(message)) {
      setBusy(true);
      const left = message.params.secondsLeft;
      statusText.textContent = left === undefined ? message.params.message : `${message.params.message} ${Math.ceil(left)} s left`;
    } else if (LockCostStateNotification.is(message)) {
      setBusy(false);
      show(message.params.state);
    } else if (LockCostErrorNotification.is(message)) {
      setBusy(false);
      if (message.params.enable) renderEnableHint(content, message.params.message);
      else renderError(content, message.params.message);
      statusText.textContent = message.params.message === 'Cancelled.' ? 'Cancelled' : 'Stopped';
    }
  });
  api.postMessage(LockCostReadyCommand.create({}));
}
