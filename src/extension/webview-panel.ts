/** Opens a Lockscope webview panel: the bundle, CSS and codicons from the extension, the strict CSP page, one view. */
import * as vscode from 'vscode';
import { makeNonce } from './nonce.js';
import { renderWebviewHtml, type WebviewViewId } from './webview-html.js';

export interface LockscopePanelOptions {
  viewType: string;
  /** The tab title ("Lockscope: …") and the page's own title. */
  title: string;
  pageTitle: string;
  view: WebviewViewId;
  column: vscode.ViewColumn;
  preserveFocus: boolean;
  /** Keep the page alive in the background (a running probe's charts). */
  retainContextWhenHidden: boolean;
}

export function createLockscopePanel(extensionUri: vscode.Uri, options: LockscopePanelOptions): vscode.WebviewPanel {
  const panel = vscode.window.createWebviewPanel(
    options.viewType,
    options.title,
    { viewColumn: options.column, preserveFocus: options.preserveFocus },
    {
      enableScripts: true,
      retainContextWhenHidden: options.retainContextWhenHidden,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    },
  );
  const webview = panel.webview;
  const asset = (...path: string[]): string => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...path)).toString();
  webview.html = renderWebviewHtml({
    title: options.pageTitle,
    cspSource: webview.cspSource,
    scriptUri: asset('dist', 'webview.js'),
    styleUri: asset('media', 'webview.css'),
    codiconsUri: asset('dist', 'codicons', 'codicon.css'),
    nonce: makeNonce(),
    initialView: options.view,
  });
  return panel;
}
