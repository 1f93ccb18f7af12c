/** The workspace's query sites by query fingerprint, so a statement the server saw links to the code that sends it. */
import * as vscode from 'vscode';
import { codeSitesByFingerprint } from '../core/workload/code-sites.js';
import type { CodeSite } from '../core/workload/rank.js';
import type { AnalysisService } from './analysis-service.js';

/** The workspace index's code (core's file policy, the same files `lockscope scan` reads), linted once. */
export async function workspaceCodeSites(analysis: AnalysisService): Promise<Map<string, CodeSite[]>> {
  const result = await analysis.analyzeWorkspace();
  // Sites reached through a helper call (`via`) repeat their callee's SQL: the callee is the code that sends it.
  return codeSitesByFingerprint(result.analysis.sites.filter((a) => a.via === undefined).map((a) => a.site));
}

/** "src/app.py:12" for a 0-based line. */
export const siteLabel = (file: string, line: number): string => `${vscode.workspace.asRelativePath(file)}:${line + 1}`;
