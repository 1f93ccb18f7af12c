/**
 * The Lock Cost panel: samples pg_stat_statements of the connected server over an interval (progress in the panel and
 * a cancellable notification), ranks the statements by lock cost, links them to the workspace's code, and opens the
 * probe runner on one. One read-only session per sampling, closed when it ends or is cancelled.
 */
import * as vscode from 'vscode';
import type { WorkloadResult } from '../core/workload/workload-result.js';
import { sampleWorkload } from '../db/workload/sample-workload.js';
import { StatementsUnavailableError } from '../db/workload/statements-reader.js';
import { withSession } from '../db/session.js';
import {
  LOCK_COST_VIEW,
  LockCostCancelCommand,
  LockCostErrorNotification,
  LockCostInitNotification,
  LockCostOpenCodeCommand,
  LockCostProbeCommand,
  LockCostProgressNotification,
  LockCostReadyCommand,
  LockCostRunCommand,
  LockCostStateNotification,
  lockCostState,
  type LockCostProgress,
  type LockCostState,
} from '../protocol/lock-cost.js';
import type { AnalysisService } from './analysis-service.js';
import type { ConnectionManager } from './connection.js';
import type { Log } from './log.js';
import { openProbeRunner } from './probe-panel.js';
import { createLockscopePanel } from './webview-panel.js';
import { siteLabel, workspaceCodeSites } from './workspace-sites.js';

class SamplingCancelled extends Error {
  override readonly name = 'SamplingCancelled';
}

const PHASE_MESSAGES: Record<LockCostProgress['phase'], string> = {
  connecting: 'Connecting…',
  indexing: 'Finding query sites in the workspace…',
  detecting: 'Checking pg_stat_statements…',
  catalog: 'Reading the catalog…',
  sampling: 'Sampling pg_stat_statements:',
  ranking: 'Predicting locks and ranking…',
};

export class LockCostPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private running: AbortController | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when a sampling ends with a new result (the side bar's Lock Cost tree listens). */
  readonly onDidChange = this.changed.event;
  /** The last result and what the page was sent for it (tests and the side bar read them). */
  lastResult: WorkloadResult | undefined;
  lastState: LockCostState | undefined;
  /** The interval of the last sampling started, shown in the page's interval field (the setting until then). */
  private interval: number | undefined;

  constructor(
    private readonly extension: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>,
    private readonly connections: ConnectionManager,
    private readonly analysis: AnalysisService,
    private readonly log: Log,
  ) {}

  show(): void {
    if (this.panel !== undefined) {
      this.panel.reveal();
      return;
    }
    const panel = createLockscopePanel(this.extension.extensionUri, {
      viewType: 'lockscope.lockCost',
      title: 'Lockscope: Lock Cost',
      pageTitle: 'Lock Cost',
      view: LOCK_COST_VIEW,
      column: vscode.ViewColumn.Active,
      preserveFocus: false,
      // A sampling runs for a minute: its progress and result must survive the tab being hidden.
      retainContextWhenHidden: true,
    });
    this.panel = panel;
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.cancel();
    });
    panel.webview.onDidReceiveMessage((message: unknown) => {
      if (LockCostReadyCommand.is(message))
        void this.post(
          LockCostInitNotification.create({ intervalSeconds: this.interval ?? this.defaultInterval(), state: this.lastState }),
        );
      else if (LockCostRunCommand.is(message)) void this.sample(message.params.intervalSeconds);
      else if (LockCostCancelCommand.is(message)) this.cancel();
      else if (LockCostOpenCodeCommand.is(message)) void this.openCode(message.params.file, message.params.line);
      else if (LockCostProbeCommand.is(message)) void this.probe(message.params.queryId);
    });
  }

  get sampling(): boolean {
    return this.running !== undefined;
  }

  private defaultInterval(): number {
    return vscode.workspace.getConfiguration('lockscope').get<number>('workloadIntervalSeconds', 60);
  }

  private async post(message: unknown): Promise<void> {
    await this.panel?.webview.postMessage(message);
  }

  private progress(phase: LockCostProgress['phase'], secondsLeft?: number): void {
    void this.post(
      LockCostProgressNotification.create({ phase, message: PHASE_MESSAGES[phase], ...(secondsLeft === undefined ? {} : { secondsLeft }) }),
    );
  }

  /** Waits out the interval, counting down in the panel; Cancel rejects it so no half-interval result is shown. */
  private countdown(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const end = Date.now() + ms;
      const tick = setInterval(() => this.progress('sampling', Math.max(0, (end - Date.now()) / 1000)), 1000);
      const done = setTimeout(() => {
        clearInterval(tick);
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearInterval(tick);
        clearTimeout(done);
        reject(new SamplingCancelled('Cancelled.'));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** One sampling over `intervalSeconds`; resolves with the result, or undefined when it failed or was cancelled. */
  async sample(intervalSeconds = this.defaultInterval()): Promise<WorkloadResult | undefined> {
    if (this.running !== undefined) return undefined;
    const controller = new AbortController();
    this.running = controller;
    this.interval = intervalSeconds;
    void this.post(LockCostInitNotification.create({ intervalSeconds, state: undefined }));
    const { signal } = controller;
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Lockscope: Lock Cost', cancellable: true },
        async (report, token) => {
          token.onCancellationRequested(() => controller.abort());
          const step = (phase: LockCostProgress['phase']): void => {
            this.progress(phase, phase === 'sampling' ? intervalSeconds : undefined);
            report.report({
              message: phase === 'sampling' ? `sampling pg_stat_statements for ${intervalSeconds} s` : PHASE_MESSAGES[phase],
            });
            if (signal.aborted) throw new SamplingCancelled('Cancelled.');
          };
          step('indexing');
          const sites = await workspaceCodeSites(this.analysis);
          step('connecting');
          const result = await withSession(
            async () => {
              const session = await this.connections.open();
              if (session.kind === 'embedded') {
                await session.close();
                throw new Error(
                  'Lock Cost needs a PostgreSQL server with pg_stat_statements: the embedded database has no workload. Connect one with Lockscope: Connect to Database….',
                );
              }
              return session;
            },
            (session) =>
              sampleWorkload(session, {
                intervalSeconds,
                sort: 'slowpath',
                sites,
                wait: (ms) => this.countdown(ms, signal),
                onPhase: step,
              }),
          );
          const label = this.connections.describe().label;
          this.lastResult = result;
          this.lastState = lockCostState(result, label, siteLabel);
          this.log.info(
            `Lock Cost on ${label}: ${result.ranking.statements.length} statements over ${result.interval.seconds.toFixed(1)} s, ${result.ranking.totals.slowPathPerSecond.toFixed(1)} slow-path/s`,
          );
          await this.post(LockCostStateNotification.create({ state: this.lastState }));
          this.changed.fire();
          return result;
        },
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!(error instanceof SamplingCancelled)) this.log.error('Lock Cost sampling failed', error);
      await this.post(LockCostErrorNotification.create({ message, enable: error instanceof StatementsUnavailableError }));
      if (this.panel === undefined && !(error instanceof SamplingCancelled)) void vscode.window.showErrorMessage(`Lockscope: ${message}`);
      return undefined;
    } finally {
      this.running = undefined;
    }
  }

  cancel(): void {
    this.running?.abort();
  }

  private async openCode(file: string, line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(vscode.Uri.file(file), { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(line, 0, line, 0);
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
  }

  /** The probe runner on a ranked statement: through its code site when there is one (its transaction scope comes along). */
  async probe(queryId: string): Promise<void> {
    const statement = this.lastResult?.ranking.statements.find((s) => s.queryId === queryId);
    if (statement === undefined) return;
    const site = statement.sites[0];
    if (site !== undefined) {
      await vscode.commands.executeCommand('lockscope.openProbeRunner', {
        sql: statement.query,
        file: site.file,
        line: site.line,
        label: siteLabel(site.file, site.line),
      });
      return;
    }
    const server = await this.connections.serverTarget();
    const catalog = await this.analysis.getCatalog();
    if (server === undefined || catalog === undefined || catalog.profile.source === 'embedded') {
      void vscode.window.showWarningMessage(
        'Lockscope: the probe runner needs the connected server and its catalog (see the Lockscope output).',
      );
      return;
    }
    openProbeRunner(
      this.extension,
      { sql: statement.query, connection: { target: server.target, catalog, environment: server.environment, label: server.label } },
      { onError: (message, error) => this.log.error(message, error) },
    );
  }

  dispose(): void {
    this.cancel();
    this.panel?.dispose();
    this.changed.dispose();
  }
}
