/** The workspace's query sites by query fingerprint, so a statement the server saw links to the code that sends it. */
import * as vscode from 'vscode';
import { readWorkspaceFiles } from './workspace-read.js';
import { codeSitesByFingerprint } from '../core/workload/code-sites.js';
import type { CodeSite } from '../core/workload/rank.js';
import type { AnalysisService } from './analysis-service.js';

const INCLUDE = '**/*.{sql,py,rb,ts,tsx,js,mjs,cjs,jsx,go}';
// Schema dumps declare tables; they do not issue the workload's statements.
const EXCLUDE = '{**/node_modules/**,**/.git/**,**/dist/**,**/build/**,**/vendor/**,**/.venv/**,**/schema.sql,**/structure.sql}';
const MAX_FILES = 5000;

export async function workspaceCodeSites(analysis: AnalysisService, token?: vscode.CancellationToken): Promise<Map<string, CodeSite[]>> {
  const uris = await vscode.workspace.findFiles(INCLUDE, EXCLUDE, MAX_FILES, token);
  const files = await readWorkspaceFiles(uris);
  const result = await analysis.analyzeFiles(files);
  // Sites reached through a helper call (`via`) repeat their callee's SQL: the callee is the code that sends it.
  return codeSitesByFingerprint(result.analysis.sites.filter((a) => a.via === undefined).map((a) => a.site));
}

/** "src/app.py:12" for a 0-based line. */
export const siteLabel = (file: string, line: number): string => `${vscode.workspace.asRelativePath(file)}:${line + 1}`;
