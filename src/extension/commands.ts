/** The command table: each command id with its implementation, registered once in activate. */
import * as vscode from 'vscode';
import { DbError } from '../db/errors.js';
import { readServerLockProfile, type ServerLockProfile } from '../db/server-info.js';
import { withSession } from '../db/session.js';
import { UntrustedWorkspaceError, type ConnectionChoice, type ConnectionManager } from './connection.js';
import { chooseConnection, connectToDatabase, disconnect } from './connection-commands.js';
import { DATABASE_COMMANDS, untrustedMessage, type DisabledCommandResult } from './database-commands.js';
import { openProbeRunnerCommand } from './probe-command.js';
import type { ActivityPanel } from './activity-panel.js';
import type { LockCostPanel } from './lock-cost-panel.js';
import type { Sidebar } from './sidebar.js';
import type { AnalysisService } from './analysis-service.js';
import type { Log } from './log.js';
import { analyzeWorkspace, exportSarif } from './workspace-report.js';
import packageJson from '../../package.json';
import { profileState, type ServerProfilePanel } from './server-profile-panel.js';
import type { UnresolvedCallsView } from './unresolved-calls.js';

/** Everything a command needs, built whole in activate: no field is optional or filled in later. */
export interface CommandContext {
  readonly extension: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>;
  readonly log: Log;
  readonly connections: ConnectionManager;
  readonly analysis: AnalysisService;
  readonly profilePanel: ServerProfilePanel;
  readonly activity: ActivityPanel;
  readonly lockCost: LockCostPanel;
  readonly sidebar: Sidebar;
  readonly unresolved: UnresolvedCallsView;
}

/** A message for people: DbError and trust messages are already written for them; anything else is a bug. */
export function userMessage(error: unknown): string {
  if (DbError.is(error) || error instanceof UntrustedWorkspaceError) return error.message;
  return `Unexpected error: ${error instanceof Error ? error.message : String(error)} (details in the Lockscope output).`;
}

export async function readProfile(connections: ConnectionManager): Promise<ServerLockProfile> {
  return withSession(() => connections.open(), readServerLockProfile);
}

async function showServerLockProfile(ctx: CommandContext): Promise<ServerLockProfile | undefined> {
  try {
    const info = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Lockscope: reading the server lock profile' },
      () => readProfile(ctx.connections),
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
  const catalog = await ctx.analysis.getCatalog(); // the reload the change started
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
    try {
      return await openProbeRunnerCommand(ctx, arg);
    } catch (error) {
      ctx.log.error('Open Probe Runner failed', error);
      void vscode.window.showErrorMessage(`Lockscope: ${userMessage(error)}`);
      return undefined;
    }
  },
  'lockscope.showServerLockProfile': showServerLockProfile,
  'lockscope.showOutput': async (ctx) => ctx.log.show(),
  'lockscope.showActivity': async (ctx) => ctx.activity.show(),
  'lockscope.showLockCost': async (ctx) => ctx.lockCost.show(),
  /** Opens Lock Cost and samples at once; the interval (seconds) defaults to lockscope.workloadIntervalSeconds. */
  'lockscope.sampleWorkload': async (ctx, seconds?: unknown) => {
    ctx.lockCost.show();
    return ctx.lockCost.sample(typeof seconds === 'number' ? seconds : undefined);
  },
  'lockscope.analyzeWorkspace': async (ctx) => {
    const report = await analyzeWorkspace(ctx.analysis);
    if (report !== undefined) ctx.sidebar.showWorkspace(report.analysis, report.findings);
    return report;
  },
  'lockscope.showUnresolvedCalls': async (ctx) => ctx.unresolved.show(),
  'lockscope.exportSarif': async (_ctx, target?: unknown) =>
    exportSarif(packageJson.version, target instanceof vscode.Uri ? target : undefined),
  /** Analyses one file by URI (without opening an editor) and reports its size: used by the editor benchmark. */
  'lockscope.analyzeFile': async (ctx, uri?: unknown) => {
    if (!(uri instanceof vscode.Uri)) return undefined;
    const document = await vscode.workspace.openTextDocument(uri);
    ctx.analysis.forget(document); // a fresh analysis, not the cached one
    const result = await ctx.analysis.analyzeDocument(document);
    return result === undefined ? undefined : { sites: result.analysis.sites.length, findings: result.findings.length };
  },
  'lockscope.analyzeCurrentFile': async (ctx) => {
    const document = vscode.window.activeTextEditor?.document;
    if (document === undefined) return undefined;
    const result = await ctx.analysis.analyzeDocument(document);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return result === undefined ? undefined : { sites: result.analysis.sites.length, findings: result.findings.length };
  },
  'lockscope.refreshCatalog': async (ctx) => {
    const before = ctx.analysis.currentCatalog;
    const catalog = await ctx.analysis.refreshCatalog();
    const fresh = catalog !== undefined && catalog !== before;
    if (!fresh)
      void vscode.window.showWarningMessage(
        'Lockscope: the catalog could not be reloaded; predictions continue from the last one (see the Lockscope output).',
      );
    return fresh ? { relations: catalog.relations.size, version: catalog.profile.version, loadedAt: catalog.loadedAt } : undefined;
  },
};

const titleOf = (id: string): string =>
  (packageJson.contributes.commands as Array<{ command: string; title: string }>).find((c) => c.command === id)?.title ?? id;

/**
 * The command as registered: in an untrusted workspace a command that connects is its disabled variant, which says why
 * (and offers to manage trust) instead of failing quietly. Trust is read at each call: granting it enables them at once.
 */
export function registeredCommand(id: string, ctx: CommandContext): (...args: unknown[]) => Promise<unknown> {
  const run = COMMANDS[id];
  if (run === undefined) throw new Error(`No command ${id} in the command table.`);
  if (!DATABASE_COMMANDS.includes(id)) return (...args) => run(ctx, ...args);
  return async (...args) => {
    if (vscode.workspace.isTrusted) return run(ctx, ...args);
    const result: DisabledCommandResult = untrustedMessage(titleOf(id));
    ctx.log.info(result.message);
    void vscode.window.showWarningMessage(`Lockscope: ${result.message}`, MANAGE_TRUST).then((choice) => {
      if (choice === MANAGE_TRUST) void vscode.commands.executeCommand('workbench.trust.manage');
    });
    return result;
  };
}

const MANAGE_TRUST = 'Manage Workspace Trust';
