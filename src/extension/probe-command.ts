/**
 * Open Probe Runner (for the selection, the query under the cursor, or a CodeLens's query): resolves the query, its
 * transaction scope, the server with its password and the catalog, then opens the panel.
 */
import * as vscode from 'vscode';
import type { PortableSite } from '../core/analyze/portable.js';
import { normalizePlaceholders } from '../core/sql/index.js';
import type { AnalysisService } from './analysis-service.js';
import type { ConnectionManager } from './connection.js';
import type { ProbeRequest } from './lock-annotations.js';
import type { Log } from './log.js';
import { openProbeRunner, type ProbeRunnerPanel } from './probe-panel.js';

export interface ProbeCommandContext {
  extension: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>;
  connections: ConnectionManager;
  analysis: AnalysisService;
  log: Log;
}

const isRequest = (value: unknown): value is ProbeRequest =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as ProbeRequest).sql === 'string' &&
  typeof (value as ProbeRequest).file === 'string';

interface ResolvedQuery {
  sql: string;
  /** The statements of the site's transaction scope, in order, the site's included (when it has one). */
  scope: string[] | undefined;
}

function scopeOf(site: PortableSite | undefined, sites: readonly PortableSite[]): string[] | undefined {
  const id = site?.site.transaction?.id;
  if (id === undefined) return undefined;
  const members = sites.filter((s) => s.via === undefined && s.site.transaction?.id === id);
  return members.length > 1 ? members.map((s) => s.site.sql) : undefined;
}

async function resolveQuery(ctx: ProbeCommandContext, arg: unknown): Promise<ResolvedQuery | undefined> {
  if (isRequest(arg)) {
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(arg.file));
    const result = await ctx.analysis.analyzeDocument(document);
    const sites = result?.analysis.sites ?? [];
    return {
      sql: arg.sql,
      scope: scopeOf(
        sites.find((s) => s.via === undefined && s.site.range.start.line === arg.line),
        sites,
      ),
    };
  }
  const editor = vscode.window.activeTextEditor;
  if (editor === undefined) return undefined;
  if (!editor.selection.isEmpty) {
    // Selected SQL may use driver placeholders (?, %s, :name): the probe runs $n.
    return { sql: normalizePlaceholders(editor.document.getText(editor.selection)).text, scope: undefined };
  }
  const result = await ctx.analysis.analyzeDocument(editor.document);
  const sites = result?.analysis.sites ?? [];
  const cursor = editor.selection.active;
  const site = sites.find(
    (s) =>
      s.via === undefined &&
      new vscode.Range(s.site.range.start.line, s.site.range.start.character, s.site.range.end.line, s.site.range.end.character).contains(
        cursor,
      ),
  );
  return site === undefined ? undefined : { sql: site.site.sql, scope: scopeOf(site, sites) };
}

export async function openProbeRunnerCommand(ctx: ProbeCommandContext, arg?: unknown): Promise<ProbeRunnerPanel | undefined> {
  const query = await resolveQuery(ctx, arg);
  if (query === undefined) {
    void vscode.window.showInformationMessage('Lockscope: put the cursor on a query (or select SQL) to open the probe runner.');
    return undefined;
  }
  const server = await ctx.connections.serverTarget();
  if (server === undefined) {
    void vscode.window.showWarningMessage(
      'Lockscope: the probe runner needs a PostgreSQL server (EXPLAIN, pg_locks and load run there). Connect one with Lockscope: Connect to Database….',
    );
    return undefined;
  }
  const catalog = await ctx.analysis.getCatalog();
  if (catalog === undefined || catalog.profile.source === 'embedded') {
    void vscode.window.showErrorMessage('Lockscope: the catalog of the server could not be loaded (see the Lockscope output).');
    return undefined;
  }
  ctx.log.info(`Probe runner on ${server.label}: ${query.sql.replace(/\s+/g, ' ').slice(0, 120)}`);
  return openProbeRunner(
    ctx.extension,
    {
      sql: query.sql,
      ...(query.scope !== undefined ? { scope: query.scope } : {}),
      connection: { target: server.target, catalog, environment: server.environment, label: server.label },
    },
    {
      onError: (message, error) => ctx.log.error(message, error),
    },
  );
}
