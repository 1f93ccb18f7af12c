/** Analyze Workspace: lints the workspace index (every file the policy calls code), opens the Markdown report, and can export the findings as SARIF. */
import * as vscode from 'vscode';
import type { Analysis } from '../core/analyze/analyze.js';
import { reportMarkdown } from '../core/present/report.js';
import { toSarif } from '../core/present/sarif.js';
import type { Finding } from '../core/rules/types.js';
import type { AnalysisService } from './analysis-service.js';

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
    async (_progress, token) => {
      const { analysis, findings, files } = await service.analyzeWorkspace();
      if (token.isCancellationRequested) return undefined;
      lastFindings = findings;
      const markdown = reportMarkdown(analysis, findings, root);
      const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.commands.executeCommand('markdown.showPreview', document.uri);
      return { markdown, analysis, findings, files, sites: analysis.sites.filter((s) => s.via === undefined).length };
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
