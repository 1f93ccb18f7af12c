/** The Server Lock Profile panel: one per window, revealed again when reopened, refreshed on request. */
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact.js';
import { invalidCommand } from '../protocol/ipc.js';
import {
  PROFILE_COMMANDS,
  ProfileErrorNotification,
  ProfileNotification,
  ReadyCommand,
  RefreshCommand,
  SERVER_PROFILE_VIEW,
  type ServerProfileState,
} from '../protocol/server-profile.js';
export { profileState } from '../protocol/server-profile.js';
import { createLockscopePanel } from './webview-panel.js';

export class ServerProfilePanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private state: ServerProfileState | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    /** Reads the profile again (Refresh button); errors come back as messages. */
    private readonly reload: () => Promise<ServerProfileState | { error: string }>,
  ) {}

  /** Shows the panel with this state, creating it on first use. */
  show(state: ServerProfileState): void {
    this.state = state;
    if (this.panel !== undefined) {
      this.panel.reveal(undefined, true);
      void this.panel.webview.postMessage(ProfileNotification.create({ state }));
      return;
    }
    const panel = createLockscopePanel(this.extensionUri, {
      viewType: 'lockscope.serverProfile',
      title: 'Lockscope: Server Lock Profile',
      pageTitle: 'Server Lock Profile',
      view: SERVER_PROFILE_VIEW,
      column: vscode.ViewColumn.Active,
      preserveFocus: true,
      retainContextWhenHidden: false,
    });
    const webview = panel.webview;
    // Validated first (invalidCommand), and never an unhandled rejection: a failure is posted back as an error.
    webview.onDidReceiveMessage(
      (message: unknown) =>
        void this.onMessage(message).catch((error: unknown) =>
          this.panel?.webview.postMessage(ProfileErrorNotification.create({ message: redactSecrets(String(error)) })),
        ),
      undefined,
      this.disposables,
    );
    panel.onDidDispose(
      () => {
        this.panel = undefined;
      },
      undefined,
      this.disposables,
    );
    this.panel = panel;
  }

  get visible(): boolean {
    return this.panel !== undefined;
  }

  private async onMessage(message: unknown): Promise<void> {
    const webview = this.panel?.webview;
    if (webview === undefined) return;
    const problem = invalidCommand(message, PROFILE_COMMANDS);
    if (problem !== undefined) {
      await webview.postMessage(ProfileErrorNotification.create({ message: problem }));
      return;
    }
    if (ReadyCommand.is(message) && this.state !== undefined) {
      await webview.postMessage(ProfileNotification.create({ state: this.state }));
    } else if (RefreshCommand.is(message)) {
      const result = await this.reload();
      if ('error' in result) await webview.postMessage(ProfileErrorNotification.create({ message: redactSecrets(result.error) }));
      else {
        this.state = result;
        await webview.postMessage(ProfileNotification.create({ state: result }));
      }
    }
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
