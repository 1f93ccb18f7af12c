/** The command table: each command id with its implementation, registered once in activate. */
import * as vscode from 'vscode';
import { DbError } from '../db/errors.js';
import { readServerLockProfile, type ServerLockProfile } from '../db/server-info.js';
import { withSession } from '../db/session.js';
import { UntrustedWorkspaceError, type ConnectionChoice, type ConnectionManager } from './connection.js';
import { chooseConnection, connectToDatabase, disconnect } from './connection-commands.js';
import { openProbeRunnerCommand } from './probe-command.js';
import type { ActivityPanel } from './activity-panel.js';
import type { LockCostPanel } from './lock-cost-panel.js';
import type { Sidebar } from './sidebar.js';
import type { AnalysisService } from './analysis-service.js';
import type { Log } from './log.js';
import { analyzeWorkspace, exportSarif } from './workspace-report.js';
import packageJson from '../../package.json';
import { profileState, type ServerProfilePanel } from './server-profile-panel.js';

export interface CommandContext {
  connections: ConnectionManager;
  log: Log;
  profilePanel: ServerProfilePanel;
  /** Set once activate has built them. */
  analysis?: AnalysisService;
  extension?: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>;
  activity?: ActivityPanel;
  lockCost?: LockCostPanel;
  sidebar?: Sidebar;
}

/** A message for people: DbError and trust messages are already written for them; anything else is a bug. */
export function userMessage(error: unknown): string {
  if (DbError.is(error) || error instanceof UntrustedWorkspaceError) return error.message;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)} (details in the Lockscope output).`;
}

export async function readProfile(ctx: CommandContext): Promise<ServerLockProfile> {
  return withSession(() => ctx.connections.open(), readServerLockProfile);
}

async function showServerLockProfile(ctx: CommandContext): Promise<ServerLockProfile | undefined> {
  try {
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Lockscope: reading the server lock profile' },
      () => readProfile(ctx),
    );
    const p = info.profile;
    ctx.log.info(
      `Server lock profile of ${info.target}: PostgreSQL ${p.version}, ${p.fastPathSlots} fast-path slots, ${info.relationCount} relations`,
    );
    ctx.profilePanel.show(profileState(info));
    void vscode.window.showInformationMessage(
      `PostgreSQL ${p.version}${p.source === 'embedded' ? ' (embedded)' : ''} · ${p.fastPathSlots} fast-path slots per backend · ${info.relationCount} relations`,
    );
    return info;
  } catch (error) {
    ctx.log.error('Show Server Lock Profile failed', error);
    void vscode.window.showErrorMessage(`Lockscope: ${userMessage(error)}`);
    return undefined;
  }
}

/** After a connection change: reload the catalog and say what Lockscope now predicts against. */
async function afterConnectionChange(
  ctx: CommandContext,
  choice: ConnectionChoice | undefined,
): Promise<{ connection: string; version: string | undefined } | undefined> {
  if (choice === undefined) return undefined;
  const catalog = await ctx.analysis?.getCatalog(); // the reload the change started
  const connection = ctx.connections.describe().label;
  if (catalog !== undefined && choice.kind !== 'embedded')
    void vscode.window.showInformationMessage(
      `Lockscope: connected to ${connection} (PostgreSQL ${catalog.profile.version}, ${catalog.relations.size} relations).`,
    );
  return { connection, version: catalog?.profile.version };
}

export const COMMANDS: Record<string, (ctx: CommandContext, ...args: unknown[]) => Promise<unknown>> = {
  'lockscope.connect': async (ctx, arg?: unknown) => afterConnectionChange(ctx, await connectToDatabase(ctx.connections, arg)),
  'lockscope.chooseConnection': async (ctx, arg?: unknown) => afterConnectionChange(ctx, await chooseConnection(ctx.connections, arg)),
  'lockscope.disconnect': async (ctx) => afterConnectionChange(ctx, await disconnect(ctx.connections)),
  'lockscope.openProbeRunner': async (ctx, arg?: unknown) => {
    if (ctx.analysis === undefined || ctx.extension === undefined) return undefined;
    try {
      return await openProbeRunnerCommand(
        { extension: ctx.extension, connections: ctx.connections, analysis: ctx.analysis, log: ctx.log },
        arg,
      );
    } catch (error) {
      ctx.log.error('Open Probe Runner failed', error);
      void vscode.window.showErrorMessage(`Lockscope: ${userMessage(error)}`);
      return undefined;
    }
  },
  'lockscope.showServerLockProfile': showServerLockProfile,
  'lockscope.showOutput': async (ctx) => ctx.log.show(),
  'lockscope.showActivity': async (ctx) => ctx.activity?.show(),
  'lockscope.showLockCost': async (ctx) => ctx.lockCost?.show(),
  /** Opens Lock Cost and samples at once; the interval (seconds) defaults to lockscope.workloadIntervalSeconds. */
  'lockscope.sampleWorkload': async (ctx, seconds?: unknown) => {
    ctx.lockCost?.show();
    return ctx.lockCost?.sample(typeof seconds === 'number' ? seconds : undefined);
  },
  'lockscope.analyzeWorkspace': async (ctx) => {
    if (ctx.analysis === undefined) return undefined;
    const report = await analyzeWorkspace(ctx.analysis);
    if (report !== undefined) ctx.sidebar?.showWorkspace(report.analysis, report.findings);
    return report;
  },
  'lockscope.exportSarif': async (_ctx, target?: unknown) =>
    exportSarif(packageJson.version, target instanceof vscode.Uri ? target : undefined),
  /** Analyses one file by URI (without opening an editor) and reports its size: used by the editor benchmark. */
  'lockscope.analyzeFile': async (ctx, uri?: unknown) => {
    if (!(uri instanceof vscode.Uri) || ctx.analysis === undefined) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    ctx.analysis.forget(document); // a fresh analysis, not the cached one
    const result = await ctx.analysis.analyzeDocument(document);
    return result === undefined ? undefined : { sites: result.analysis.sites.length, findings: result.findings.length };
  },
  'lockscope.analyzeCurrentFile': async (ctx) => {
    const document = vscode.window.activeTextEditor?.document;
    if (document === undefined || ctx.analysis === undefined) return undefined;
    const result = await ctx.analysis.analyzeDocument(document);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return result === undefined ? undefined : { sites: result.analysis.sites.length, findings: result.findings.length };
  },
  'lockscope.refreshCatalog': async (ctx) => {
    const before = ctx.analysis?.currentCatalog;
    const catalog = await ctx.analysis?.refreshCatalog();
    const fresh = catalog !== undefined && catalog !== before;
    if (!fresh)
      void vscode.window.showWarningMessage(
        'Lockscope: the catalog could not be reloaded; predictions continue from the last one (see the Lockscope output).',
      );
    return fresh ? { relations: catalog.relations.size, version: catalog.profile.version, loadedAt: catalog.loadedAt } : undefined;
  },
};
