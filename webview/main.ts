/** Entry of the webview bundle: registers the vscode-elements it uses and mounts the view the page asks for. */
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-icon/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
// Probe runner: tabs, option checkboxes, the load form.
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { ACTIVITY_VIEW } from '../src/protocol/activity.js';
import { LOCK_COST_VIEW } from '../src/protocol/lock-cost.js';
import { PROBE_VIEW } from '../src/protocol/probe.js';
import { SERVER_PROFILE_VIEW } from '../src/protocol/server-profile.js';
import { mountActivity } from './activity-app.js';
import { mountLockCost } from './lock-cost-app.js';
import { mountProbe } from './probe-app.js';
import { mountServerProfile } from './server-profile-app.js';
import { renderError } from './server-profile-view.js';
import { vscodeApi, type VsCodeApi } from './vscode-api.js';

/** `<body data-view>` (renderWebviewHtml's initialView) → the view to mount. */
const VIEWS: Record<string, (app: HTMLElement, api: VsCodeApi) => void> = {
  [SERVER_PROFILE_VIEW]: mountServerProfile,
  [ACTIVITY_VIEW]: mountActivity,
  [PROBE_VIEW]: mountProbe,
  [LOCK_COST_VIEW]: mountLockCost,
};

function main(): void {
  const app = document.getElementById('app');
  if (app === null) throw new Error('webview page has no #app element');
  const view = document.body.dataset['view'] ?? SERVER_PROFILE_VIEW;
  const mount = VIEWS[view];
  if (mount === undefined) {
    renderError(app, `This version of Lockscope has no view "${view}".`);
    return;
  }
  mount(app, vscodeApi());
}

main();
