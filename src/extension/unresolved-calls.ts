/**
 * Lockscope: Show Unresolved Query Calls — the workspace's calls that look like queries but yield no site (core's
 * unresolvedCalls, the list `lockscope scan --format json` prints), one line each with its reason, in an output
 * channel of their own: nothing the scanner could not read vanishes without a word.
 */
import { relative } from 'node:path';
import * as vscode from 'vscode';
import {
  UNRESOLVED_REASON_TEXT,
  UNRESOLVED_REASONS,
  unresolvedCallRow,
  unresolvedCalls,
  unresolvedSummary,
  type UnresolvedCallRow,
} from '../core/lint/unresolved.js';
import type { UnresolvedCall, UnresolvedReason } from '../core/scan/types.js';
import type { AnalysisService } from './analysis-service.js';
import type { Log } from './log.js';

/** What the command returns (for tests and other extensions): the list and its counts by reason. */
export interface UnresolvedCallsResult {
  calls: UnresolvedCallRow[];
  counts: Record<UnresolvedReason, number>;
}

export class UnresolvedCallsView implements vscode.Disposable {
  private channel: vscode.OutputChannel | undefined;

  constructor(
    private readonly analysis: AnalysisService,
    private readonly log: Log,
  ) {}

  async show(): Promise<UnresolvedCallsResult | undefined> {
    try {
      const { analysis } = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'Lockscope: listing unresolved query calls' },
        () => this.analysis.analyzeWorkspace(),
      );
      const report = unresolvedCalls(analysis.scans);
      this.channel ??= vscode.window.createOutputChannel('Lockscope Unresolved Query Calls');
      this.channel.clear();
      this.channel.appendLine(
        unresolvedSummary(report, 'this list') ?? 'Every query-like call in the workspace was resolved to a query site.',
      );
      for (const reason of UNRESOLVED_REASONS) {
        const calls = report.calls.filter((c) => c.reason === reason);
        if (calls.length === 0) continue;
        this.channel.appendLine('');
        this.channel.appendLine(`${reason} (${calls.length}): ${UNRESOLVED_REASON_TEXT[reason]}`);
        for (const c of calls) this.channel.appendLine(`  ${where(c)}  ${c.call}`);
      }
      this.channel.show(true);
      return {
        calls: report.calls.map(unresolvedCallRow),
        counts: report.counts,
      };
    } catch (error) {
      this.log.error('Show Unresolved Query Calls failed', error);
      void vscode.window.showErrorMessage('Lockscope: the unresolved query calls could not be listed (see the Lockscope output).');
      return undefined;
    }
  }

  dispose(): void {
    this.channel?.dispose();
  }
}

/** `path:line:column`, relative to the workspace folder, as the Problems view and terminals link it. */
function where(call: UnresolvedCall): string {
  const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(call.file));
  const path = folder === undefined ? call.file : relative(folder.uri.fsPath, call.file);
  return `${path}:${call.range.start.line + 1}:${call.range.start.character + 1}`;
}
