/** Extension entry: builds the context (log, connections, panels), registers the command table, disposes on exit. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMANDS, readProfile, registeredCommand, userMessage, type CommandContext } from './commands.js';
import { ActivityPanel } from './activity-panel.js';
import { AnalysisService } from './analysis-service.js';
import { ConnectionManager } from './connection.js';
import { DOCUMENT_SELECTOR, registerEditorFeatures } from './editor-features.js';
import { CatalogStatus } from './status-bar.js';
import { LockCostPanel } from './lock-cost-panel.js';
import { Log } from './log.js';
import { Sidebar } from './sidebar.js';
import { profileState, ServerProfilePanel } from './server-profile-panel.js';
import type { ServerProfileState } from '../protocol/server-profile.js';
import { UnresolvedCallsView } from './unresolved-calls.js';

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
  const status = new CatalogStatus();
  const analysis = new AnalysisService(connections, log, status);
  const lockCost = new LockCostPanel(context, connections, analysis, log);
  // Built whole, once: every part exists before any command can run.
  const ctx: CommandContext = {
    extension: context,
    log,
    connections,
    analysis,
    profilePanel: new ServerProfilePanel(context.extensionUri, () => reloadProfile(connections, log)),
    activity: new ActivityPanel(context.extensionUri, connections, analysis, log),
    lockCost,
    sidebar: new Sidebar(connections, analysis, lockCost),
    unresolved: new UnresolvedCallsView(analysis, log),
  };
  const { activity, sidebar } = ctx;
  context.subscriptions.push(
    log,
    connections,
    ctx.profilePanel,
    status,
    analysis,
    activity,
    lockCost,
    sidebar,
    ctx.unresolved,
    ...registerEditorFeatures(analysis, context.extensionUri),
  );
  for (const document of vscode.workspace.textDocuments) {
    if (vscode.languages.match(DOCUMENT_SELECTOR, document) > 0)
      void analysis.analyzeDocument(document).catch((error: unknown) => log.error('analysis failed', error));
  }
  for (const id of Object.keys(COMMANDS)) context.subscriptions.push(vscode.commands.registerCommand(id, registeredCommand(id, ctx)));
  log.info(`Lockscope activated (workspace ${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: no database connections'}).`);
  return { commandContext: ctx, status, activity, lockCost, sidebar };
}

/** The Server Lock Profile panel's Refresh: the profile read again, or the error it met, for the page. */
async function reloadProfile(connections: ConnectionManager, log: Log): Promise<ServerProfileState | { error: string }> {
  try {
    return profileState(await readProfile(connections));
  } catch (error) {
    log.error('Refreshing the server lock profile failed', error);
    return { error: userMessage(error) };
  }
}

export function deactivate(): void {
  // Everything is in context.subscriptions; sessions are opened per command and always closed.
}
