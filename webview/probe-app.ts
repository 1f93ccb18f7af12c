/** The Probe Runner view: connection header, the query and its parameters, tabs EXPLAIN | Locks | Load, host messages. */
import {
  CancelCommand,
  CancelledNotification,
  ExplainResultNotification,
  ExportedNotification,
  ExportResultsCommand,
  LoadProgressNotification,
  LoadResultNotification,
  LoadStartedNotification,
  LocksResultNotification,
  ParamsAcceptedNotification,
  ProbeErrorNotification,
  ProbeOpenNotification,
  ProbeReadyCommand,
  RunExplainCommand,
  RunLoadCommand,
  RunLocksCommand,
  SetParamsCommand,
  type ProbeOpenState,
  type ProbeOperation,
  type ProbeParam,
} from '../src/protocol/probe.js';
import { codicon, h } from './dom.js';
import { explainTab } from './probe-explain.js';
import { loadTab } from './probe-load.js';
import { locksTab } from './probe-locks.js';
import type { VsCodeApi } from './vscode-api.js';

function envBadge(environment: string): HTMLElement {
  return h(
    'vscode-badge',
    { className: `env env-${environment}`, attrs: { id: 'env', 'aria-label': `environment: ${environment}` } },
    environment,
  );
}

function errorBanner(message: string): HTMLElement {
  return h('div', { className: 'error-banner', attrs: { role: 'alert' } }, codicon('error'), h('div', { className: 'message' }, message));
}

/** The parameter editor: one text field per $n; Apply sends them to the host, which validates the generators. */
function paramsEditor(params: ProbeParam[], apply: (params: ProbeParam[]) => void): HTMLElement {
  if (params.length === 0) return h('div', { attrs: { id: 'params' } });
  const inputs = params.map((p) =>
    h('vscode-textfield', { attrs: { 'data-param': p.name, value: p.spec, 'aria-label': `Value of ${p.name}` } }),
  );
  const button = h('vscode-button', { attrs: { id: 'apply-params', secondary: '' } }, 'Apply');
  button.addEventListener('click', () => apply(params.map((p, i) => ({ name: p.name, spec: inputs[i]?.value ?? p.spec }))));
  return h(
    'div',
    { className: 'params', attrs: { id: 'params', role: 'group', 'aria-label': 'Parameters' } },
    ...params.map((p, i) => h('label', { className: 'param' }, h('code', {}, p.name), inputs[i] ?? '')),
    button,
    h('span', { className: 'hint' }, 'a value, int:1..1000 or pick:a,b,c'),
  );
}

export function mountProbe(app: HTMLElement, api: VsCodeApi): void {
  const explain = explainTab();
  const locks = locksTab();
  const load = loadTab();
  const statusText = h('span', { attrs: { id: 'status', role: 'status' } }, 'Opening…');
  const connection = h('div', { className: 'connection', attrs: { id: 'connection' } });
  const header = h(
    'header',
    { className: 'header' },
    h('h1', { attrs: { id: 'title' } }, 'Probe Runner'),
    connection,
    h('div', { className: 'status' }, statusText),
  );
  const query = h('section', { className: 'query', attrs: { 'aria-label': 'Query' } });
  const errors: Record<'explain' | 'locks' | 'load', HTMLElement> = {
    explain: h('div', { className: 'tab-error' }),
    locks: h('div', { className: 'tab-error' }),
    load: h('div', { className: 'tab-error' }),
  };
  const tabs = h('vscode-tabs', { attrs: { id: 'tabs', 'selected-index': '0' } });
  const tab = (id: string, label: string, body: HTMLElement, error: HTMLElement): void => {
    tabs.append(
      h('vscode-tab-header', { attrs: { slot: 'header', 'data-tab': id } }, label),
      h('vscode-tab-panel', { attrs: { 'data-panel': id } }, error, body),
    );
  };
  tab('explain', 'EXPLAIN', explain.panel, errors.explain);
  tab('locks', 'Locks', locks.panel, errors.locks);
  tab('load', 'Load', load.panel, errors.load);
  app.replaceChildren(header, query, tabs);

  let busy: ProbeOperation | undefined;
  const runButtons = [explain.run, locks.run, load.run];
  const setBusy = (operation: ProbeOperation | undefined, status: string): void => {
    busy = operation;
    for (const b of runButtons) b.toggleAttribute('disabled', operation !== undefined);
    load.cancel.toggleAttribute('disabled', operation === undefined);
    app.setAttribute('aria-busy', String(operation !== undefined));
    statusText.textContent = status;
  };
  const start = (operation: 'explain' | 'locks' | 'load', post: () => void, status: string): void => {
    // vscode-button still delivers clicks while disabled: one run at a time.
    if (busy !== undefined) return;
    errors[operation].replaceChildren();
    setBusy(operation, status);
    post();
  };

  explain.run.addEventListener('click', () =>
    start('explain', () => api.postMessage(RunExplainCommand.create({ options: explain.options() })), 'Running EXPLAIN (rolled back)…'),
  );
  locks.run.addEventListener('click', () =>
    start('locks', () => api.postMessage(RunLocksCommand.create({ execute: locks.execute() })), 'Measuring locks (rolled back)…'),
  );
  load.run.addEventListener('click', () => {
    const options = load.options();
    if (typeof options === 'string') {
      errors.load.replaceChildren(errorBanner(options));
      return;
    }
    start('load', () => api.postMessage(RunLoadCommand.create({ options })), 'Starting the probe…');
  });
  load.cancel.addEventListener('click', () => {
    if (busy === undefined) return;
    statusText.textContent = 'Cancelling…';
    api.postMessage(CancelCommand.create({}));
  });
  load.exportJson.addEventListener('click', () => api.postMessage(ExportResultsCommand.create({ format: 'json' })));
  load.exportMarkdown.addEventListener('click', () => api.postMessage(ExportResultsCommand.create({ format: 'markdown' })));

  const show = (state: ProbeOpenState): void => {
    const c = state.connection;
    connection.replaceChildren(
      h('span', { className: 'target', attrs: { id: 'connection-label', title: c.label } }, c.label),
      envBadge(c.environment),
      h('span', { className: 'server', attrs: { id: 'server-version' } }, `PostgreSQL ${c.serverVersion}`),
    );
    const apply = (params: ProbeParam[]): void => api.postMessage(SetParamsCommand.create({ params }));
    query.replaceChildren(
      h('pre', { className: 'sql', attrs: { id: 'sql', tabindex: '0', 'aria-label': 'SQL' } }, h('code', {}, state.sql)),
      paramsEditor(state.params, apply),
    );
    explain.setServer(c.serverVersionNum);
    load.setState(state);
  };

  window.addEventListener('message', (event: MessageEvent<unknown>) => {
    const m = event.data;
    if (ProbeOpenNotification.is(m)) {
      show(m.params.state);
      setBusy(undefined, 'Ready');
    } else if (ExplainResultNotification.is(m)) {
      explain.render(m.params.result);
      setBusy(undefined, 'EXPLAIN done · rolled back');
    } else if (LocksResultNotification.is(m)) {
      locks.render(m.params.result);
      setBusy(undefined, 'Locks measured · rolled back');
    } else if (LoadStartedNotification.is(m)) {
      load.started(m.params.runId, m.params.options);
      setBusy('load', `Probe #${m.params.runId} running…`);
    } else if (LoadProgressNotification.is(m)) {
      load.progress(m.params.progress);
    } else if (LoadResultNotification.is(m)) {
      load.finished(m.params.result);
      setBusy(undefined, m.params.result.cancelled ? 'Probe cancelled · sessions closed' : 'Probe finished · sessions closed');
    } else if (CancelledNotification.is(m)) {
      if (m.params.operation !== 'load')
        setBusy(undefined, `${m.params.operation === 'explain' ? 'EXPLAIN' : 'Lock measurement'} cancelled`);
    } else if (ProbeErrorNotification.is(m)) {
      const { operation, message } = m.params;
      const target = operation === 'explain' || operation === 'locks' || operation === 'load' ? errors[operation] : errors.load;
      target.replaceChildren(errorBanner(message));
      if (operation === busy) setBusy(undefined, 'Failed');
      else statusText.textContent = operation === 'params' ? 'Parameters refused' : statusText.textContent;
    } else if (ExportedNotification.is(m)) {
      statusText.textContent = `Exported ${m.params.format === 'json' ? 'JSON' : 'Markdown'} to ${m.params.destination}`;
    } else if (ParamsAcceptedNotification.is(m)) {
      statusText.textContent = 'Parameters applied';
    }
  });
  setBusy('params', 'Opening…');
  api.postMessage(ProbeReadyCommand.create({}));
}
