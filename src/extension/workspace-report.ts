/** Analyze Workspace: scans every supported file, opens the Markdown report, and can export the findings as SARIF. */
import * as vscode from 'vscode';
import { readWorkspaceText } from './workspace-read.js';
import type { Analysis } from '../core/analyze/analyze.js';
import { reportMarkdown } from '../core/present/report.js';
import { toSarif } from '../core/present/sarif.js';
import type { Finding } from '../core/rules/types.js';
import type { AnalysisService } from './analysis-service.js';

const INCLUDE = '**/*.{sql,py,rb,ts,tsx,js,mjs,cjs,jsx,go}';
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/build/**,**/vendor/**,**/.venv/**,**/schema.sql,**/structure.sql}';
const MAX_FILES = 20_000;

export interface WorkspaceReport {
  markdown: string;
  /** The whole analysis (the side bar lists its transactions). */
  analysis: Analysis;
  findings: Finding[];
  files: number;
  sites: number;
}

let lastFindings: Finding[] = [];

export async function analyzeWorkspace(service: AnalysisService): Promise<WorkspaceReport | undefined> {
  const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (root === undefined) {
    void vscode.window.showWarningMessage('Lockscope: open a folder to analyze a workspace.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Lockscope: analyzing the workspace', cancellable: true },
    async (progress, token) => {
      const uris = await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token);
      const files: Array<{ file: string; text: string }> = [];
      for (const [i, uri] of uris.entries()) {
        if (token.isCancellationRequested) return undefined;
        const text = await readWorkspaceText(uri);
        if (text !== undefined) files.push({ file: uri.fsPath, text });
        if (i % 100 === 0) progress.report({ message: `${i}/${uris.length} files` });
      }
      const { analysis, findings } = await service.analyzeFiles(files);
      lastFindings = findings;
      const markdown = reportMarkdown(analysis, findings, root);
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
      return { markdown, analysis, findings, files: files.length, sites: analysis.sites.filter((s) => s.via === undefined).length };
    },
  );
}

export async function exportSarif(version: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const uri =
    target ?? (await vscode.window.showSaveDialog({ filters: { SARIF: ['sarif', 'json'] }, saveLabel: 'Export Lockscope findings' }));
  if (uri === undefined) return undefined;
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(toSarif(lastFindings, version)));
  return uri;
}
