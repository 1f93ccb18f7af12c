/**
 * The Probe Runner panel: one webview per opened query, wired to a ProbeRunnerHost (src/probe-runner/runner-host.ts) that
 * does the work; exports are saved where the user says; closing the panel cancels what runs and closes every session.
 */
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog.js';
import { redactDeep, redactSecrets, redactUrl } from '../core/redact.js';
import type { ConnectionTarget } from '../db/connection-target.js';
import { ProbeRunnerHost, type ProbeHostDeps, type ProbeHostInput } from '../probe-runner/runner-host.js';
import { PROBE_VIEW, type EnvironmentTag, type ProbeParam } from '../protocol/probe.js';
import { createLockscopePanel } from './webview-panel.js';

/** What the probe talks to: the caller resolves it (settings, SecretStorage, the catalog cache) before opening. */
export interface ProbeConnection {
  /** With the password filled in: the probe's client sessions connect with it (node-postgres, not through a session). */
  target: ConnectionTarget;
  /** Loaded beforehand, outside any probe transaction. */
  catalog: Catalog;
  /** From the connection profile; only `disposable` allows DDL. Defaults to `dev`. */
  environment?: EnvironmentTag;
  /** Shown in the header; defaults to the target's display (no password). */
  label?: string;
}

export interface ProbeRunnerInput {
  sql: string;
  /** Prefilled `$n` values or generators; missing ones start as "1". */
  params?: ProbeParam[];
  /** The statements of the query's transaction scope, when the query site knows them. */
  scope?: string[];
  connection: ProbeConnection;
}

/** Injectable pieces, so the lead can wire the command and CodeLens (and tests can replace the dialogs). */
export interface ProbeRunnerDeps {
  /** Asks where to save an export; defaults to vscode.window.showSaveDialog. */
  pickSaveUri?: (suggestedName: string, format: 'json' | 'markdown') => Promise<vscode.Uri | undefined>;
  /** Errors that never reach the page (a failed dispose); defaults to ignoring them. */
  onError?: (message: string, error: unknown) => void;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  /** Counts `$n` placeholders in the SQL, so every one gets an editable value; defaults to the highest $n in the text. */
  parameterCount?: (sql: string) => number;
}

export interface ProbeRunnerPanel extends vscode.Disposable {
  readonly panel: vscode.WebviewPanel;
  readonly host: ProbeRunnerHost;
  /** The last message of each kind sent to the page (what it shows now; the extension tests read it). */
  readonly posted: ReadonlyMap<string, unknown>;
}

/** Highest `$n` in the text: enough to prefill the editor (the host parses properly before it runs anything). */
function highestPlaceholder(sql: string): number {
  let max = 0;
  for (const match of sql.matchAll(/\$(\d+)\b/g)) max = Math.max(max, Number(match[1]));
  return max;
}

async function defaultSaveUri(suggestedName: string, format: 'json' | 'markdown'): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return vscode.window.showSaveDialog({
    ...(folder !== undefined ? { defaultUri: vscode.Uri.joinPath(folder, suggestedName) } : {}),
    filters: format === 'json' ? { JSON: ['json'] } : { Markdown: ['md'] },
    saveLabel: 'Export probe results',
  });
}

export function openProbeRunner(
  context: Pick<vscode.ExtensionContext, 'extensionUri' | 'subscriptions'>,
  input: ProbeRunnerInput,
  deps: ProbeRunnerDeps = {},
): ProbeRunnerPanel {
  const { extensionUri } = context;
  // A probe keeps running while the panel is in the background; its charts must not be lost meanwhile.
  const panel = createLockscopePanel(extensionUri, {
    viewType: 'lockscope.probeRunner',
    title: 'Lockscope: Probe Runner',
    pageTitle: 'Probe Runner',
    view: PROBE_VIEW,
    column: vscode.ViewColumn.Beside,
    preserveFocus: false,
    retainContextWhenHidden: true,
  });
  const webview = panel.webview;

  const count = (deps.parameterCount ?? highestPlaceholder)(input.sql);
  const given = new Map((input.params ?? []).map((p) => [p.name, p.spec]));
  const params: ProbeParam[] = Array.from({ length: count }, (_, i) => ({ name: `$${i + 1}`, spec: given.get(`$${i + 1}`) ?? '1' }));
  const connection = input.connection;
  const posted = new Map<string, unknown>();
  const hostInput: ProbeHostInput = {
    sql: input.sql,
    params,
    ...(input.scope !== undefined ? { scope: input.scope } : {}),
    connection: { label: redactUrl(connection.label ?? connection.target.display), environment: connection.environment ?? 'dev' },
  };
  const hostDeps: ProbeHostDeps = {
    target: connection.target,
    catalog: connection.catalog,
    post: (raw) => {
      // Errors and headers quote the connection: every string the page receives is redacted first.
      const message = redactDeep(raw);
      posted.set(message.method, message.params);
      void webview.postMessage(message);
    },
    save: async (suggestedName, content, format) => {
      const uri = await (deps.pickSaveUri ?? defaultSaveUri)(suggestedName, format);
      if (uri === undefined) return undefined;
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(redactSecrets(content)));
      return uri.scheme === 'file' ? uri.fsPath : uri.toString();
    },
    ...(deps.statementTimeoutMs !== undefined ? { statementTimeoutMs: deps.statementTimeoutMs } : {}),
    ...(deps.lockTimeoutMs !== undefined ? { lockTimeoutMs: deps.lockTimeoutMs } : {}),
  };
  const host = new ProbeRunnerHost(hostDeps, hostInput);
  const disposables: vscode.Disposable[] = [];
  webview.onDidReceiveMessage((message: unknown) => void host.handle(message), undefined, disposables);

  let disposed = false;
  const closeHost = (): void => {
    if (disposed) return;
    disposed = true;
    for (const d of disposables) d.dispose();
    // Cancels a running probe or EXPLAIN and closes every session the host opened.
    host.dispose().catch((error: unknown) => deps.onError?.('Closing the probe runner failed', error));
  };
  panel.onDidDispose(closeHost, undefined, context.subscriptions);
  const handle: ProbeRunnerPanel = {
    panel,
    host,
    posted,
    dispose() {
      panel.dispose();
      closeHost();
    },
  };
  context.subscriptions.push(handle);
  return handle;
}
