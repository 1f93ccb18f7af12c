/**
 * Live activity panel: one read-only session samples pg_stat_activity / pg_locks at an interval while the panel is
 * open, and links each live query to the code that issues it (by query fingerprint). Stops when the panel closes.
 */
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact.js';
import { invalidCommand } from '../protocol/ipc.js';
import { ActivityHistory, DEFAULT_HISTORY_SECONDS, historyCsv, pointOf } from '../core/activity/history.js';
import { fingerprintSql } from '../core/sql/index.js';
import { ActivitySampler } from '../db/activity/sampler.js';
import type { SqlSession } from '../db/session.js';
import {
  ACTIVITY_COMMANDS,
  ACTIVITY_VIEW,
  ActivityErrorNotification,
  ActivityExportCommand,
  ActivityNotification,
  ActivityOpenCodeCommand,
  ActivityPauseCommand,
  ActivityReadyCommand,
  activityState,
  type ActivityState,
  type CodeLink,
} from '../protocol/activity.js';
import type { AnalysisService } from './analysis-service.js';
import type { ConnectionManager } from './connection.js';
import type { Log } from './log.js';
import { createLockscopePanel } from './webview-panel.js';

export class ActivityPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private session: SqlSession | undefined;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;
  private sitesByFingerprint = new Map<string, Array<{ file: string; line: number; label: string }>>();
  /** The rolling window of samples; a new one each time sampling starts. */
  private history = new ActivityHistory();
  /** The last state sent to the page (tests read it). */
  lastState: ActivityState | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly connections: ConnectionManager,
    private readonly analysis: AnalysisService,
    private readonly log: Log,
  ) {}

  async show(): Promise<void> {
    if (this.panel !== undefined) {
      this.panel.reveal();
      return;
    }
    const panel = createLockscopePanel(this.extensionUri, {
      viewType: 'lockscope.activity',
      title: 'Lockscope: Live Activity',
      pageTitle: 'Live Activity',
      view: ACTIVITY_VIEW,
      column: vscode.ViewColumn.Active,
      preserveFocus: false,
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    const webview = panel.webview;
    panel.onDidDispose(() => void this.stop());
    webview.onDidReceiveMessage((message: unknown) => {
      // Validated against the protocol first: a malformed or unknown message gets a typed error reply.
      const problem = invalidCommand(message, ACTIVITY_COMMANDS);
      if (problem !== undefined) void webview.postMessage(ActivityErrorNotification.create({ message: problem }));
      else if (ActivityReadyCommand.is(message)) void this.start();
      else if (ActivityPauseCommand.is(message)) this.paused = message.params.paused;
      else if (ActivityOpenCodeCommand.is(message)) void this.openCode(message.params.file, message.params.line);
      else if (ActivityExportCommand.is(message)) void this.exportHistory();
    });
  }

  private async start(): Promise<void> {
    if (this.session !== undefined) return;
    try {
      this.session = await this.connections.open();
      if (this.session.kind === 'embedded')
        throw new Error('Live activity needs a server: the embedded database has no other sessions. Set lockscope.databaseUrl.');
      await this.indexWorkspace();
      const sampler = new ActivitySampler(this.session);
      const settings = vscode.workspace.getConfiguration('lockscope');
      const interval = Math.max(0.5, settings.get<number>('activityIntervalSeconds', 2));
      this.history = new ActivityHistory(Math.max(1, settings.get<number>('activityHistoryMinutes', DEFAULT_HISTORY_SECONDS / 60)) * 60);
      const tick = async (): Promise<void> => {
        if (this.paused || this.panel === undefined) return;
        try {
          const snapshot = await sampler.sample();
          const links: CodeLink[] = [];
          for (const s of snapshot.sessions) {
            const fp = s.query === '' ? undefined : fingerprintSql(s.query);
            for (const site of (fp === undefined ? undefined : this.sitesByFingerprint.get(fp)) ?? []) links.push({ pid: s.pid, ...site });
          }
          this.history.add(pointOf(snapshot));
          this.lastState = activityState(snapshot, links, this.history, interval, this.paused);
          await this.panel.webview.postMessage(ActivityNotification.create({ state: this.lastState }));
        } catch (error) {
          this.log.error('Activity sampling failed', error);
          await this.panel?.webview.postMessage(
            ActivityErrorNotification.create({ message: redactSecrets(error instanceof Error ? error.message : String(error)) }),
          );
          await this.stop(false);
        }
      };
      await tick();
      this.timer = setInterval(() => void tick(), interval * 1000);
    } catch (error) {
      this.log.error('Live activity could not start', error);
      await this.panel?.webview.postMessage(
        ActivityErrorNotification.create({ message: redactSecrets(error instanceof Error ? error.message : String(error)) }),
      );
      await this.stop(false);
    }
  }

  /** Fingerprints of every query site in the workspace, so live queries link back to their code. */
  private async indexWorkspace(): Promise<void> {
    const { analysis } = await this.analysis.analyzeWorkspace();
    this.sitesByFingerprint = new Map();
    for (const a of analysis.sites) {
      if (a.via !== undefined) continue;
      const fp = fingerprintSql(a.site.sql);
      if (fp === undefined) continue;
      const list = this.sitesByFingerprint.get(fp) ?? [];
      list.push({
        file: a.site.file,
        line: a.site.range.start.line,
        label: `${vscode.workspace.asRelativePath(a.site.file)}:${a.site.range.start.line + 1}`,
      });
      this.sitesByFingerprint.set(fp, list);
    }
  }

  /** Saves the rolling window as CSV where the user says; `target` skips the dialog (tests). Returns the file written. */
  async exportHistory(target?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      target ??
      (await vscode.window.showSaveDialog({
        defaultUri: folder === undefined ? undefined : vscode.Uri.joinPath(folder, 'lockscope-activity.csv'),
        filters: { CSV: ['csv'] },
        title: 'Export Live Activity history',
      }));
    if (uri === undefined) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(historyCsv(this.history.all)));
    this.log.info(`Live Activity history (${this.history.all.length} samples) written to ${uri.fsPath}`);
    return uri;
  }

  private async openCode(file: string, line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(line, 0, line, 0);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
  }

  /** Stops sampling and closes the session; with `closePanel` false the panel stays to show the error. */
  async stop(closePanel = true): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    const session = this.session;
    this.session = undefined;
    await session?.close();
    if (closePanel) this.panel = undefined;
  }

  get open(): boolean {
    return this.panel !== undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    void this.stop();
  }
}
