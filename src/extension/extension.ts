/** Extension entry: builds the context (log, connections, panels), registers the command table, disposes on exit. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, readProfile, userMessage, type CommandContext } from './commands.js';
import { ActivityPanel } from './activity-panel.js';
import { AnalysisService } from './analysis-service.js';
import { ConnectionManager } from './connection.js';
import { DOCUMENT_SELECTOR, registerEditorFeatures } from './editor-features.js';
import { CatalogStatus } from './status-bar.js';
import { LockCostPanel } from './lock-cost-panel.js';
import { Log } from './log.js';
import { Sidebar } from './sidebar.js';
import { profileState, ServerProfilePanel } from './server-profile-panel.js';

/** What activate returns is the extension's API for tests: the command context and the status bar item. */
export interface LockscopeApi {
  commandContext: CommandContext;
  status: CatalogStatus;
  activity: ActivityPanel;
  lockCost: LockCostPanel;
  sidebar: Sidebar;
}

export function activate(context: vscode.ExtensionContext): LockscopeApi {
  const log = new Log();
  const connections = new ConnectionManager(
    context.secrets,
    log,
    context.workspaceState,
    path.join(context.globalStorageUri.fsPath, 'embedded'),
  );
  const ctx: CommandContext = {
    log,
    connections,
    profilePanel: new ServerProfilePanel(context.extensionUri, async () => {
      try {
        return profileState(await readProfile(ctx));
      } catch (error) {
        log.error('Refreshing the server lock profile failed', error);
        return { error: userMessage(error) };
      }
    }),
  };
  const status = new CatalogStatus();
  const analysis = new AnalysisService(connections, log, status);
  ctx.analysis = analysis;
  ctx.extension = context;
  const activity = new ActivityPanel(context.extensionUri, connections, analysis, log);
  ctx.activity = activity;
  const lockCost = new LockCostPanel(context, connections, analysis, log);
  ctx.lockCost = lockCost;
  const sidebar = new Sidebar(connections, analysis, lockCost);
  ctx.sidebar = sidebar;
  context.subscriptions.push(
    log,
    connections,
    ctx.profilePanel,
    status,
    analysis,
    activity,
    lockCost,
    sidebar,
    ...registerEditorFeatures(analysis, context.extensionUri),
  );
  for (const document of vscode.workspace.textDocuments) {
    if (vscode.languages.match(DOCUMENT_SELECTOR, document) > 0)
      void analysis.analyzeDocument(document).catch((error: unknown) => log.error('analysis failed', error));
  }
  for (const [id, run] of Object.entries(COMMANDS)) {
    context.subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => run(ctx, ...args)));
  }
  log.info(`Lockscope activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: no database connections'}).`);
  return { commandContext: ctx, status, activity, lockCost, sidebar };
}

export function deactivate(): void {
  // Everything is in context.subscriptions; sessions are opened per command and always closed.
}
