/** The Lockscope side bar (view container `lockscope`): registers its four tree views and refreshes them on change. */
import * as vscode from 'vscode';
import type { Analysis } from '../core/analyze/analyze.js';
import type { Finding } from '../core/rules/types.js';
import type { AnalysisService } from './analysis-service.js';
import type { ConnectionManager } from './connection.js';
import type { LockCostPanel } from './lock-cost-panel.js';
import { OutlineTree } from './sidebar-tree.js';
import { connectionRows, findingRows, lockCostRows, transactionRows } from './sidebar-views.js';

/** View ids, as package.json `contributes.views.lockscope` declares them. */
export const SIDEBAR_VIEWS = {
  connection: 'lockscope.connectionView',
  lockCost: 'lockscope.lockCostView',
  findings: 'lockscope.findingsView',
  transactions: 'lockscope.transactionsView',
} as const;

export class Sidebar implements vscode.Disposable {
  readonly trees: Record<keyof typeof SIDEBAR_VIEWS, OutlineTree>;
  private workspace: { analysis: Analysis; findings: Finding[] } | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(connections: ConnectionManager, analysis: AnalysisService, lockCost: LockCostPanel) {
    this.trees = {
      connection: new OutlineTree(() => connectionRows(connections, analysis)),
      lockCost: new OutlineTree(() => lockCostRows(lockCost.lastResult)),
      findings: new OutlineTree(() => findingRows(this.workspace?.findings)),
      transactions: new OutlineTree(() => transactionRows(this.workspace?.analysis)),
    };
    for (const [key, id] of Object.entries(SIDEBAR_VIEWS) as Array<[keyof typeof SIDEBAR_VIEWS, string]>) {
      const tree = this.trees[key];
      this.disposables.push(tree, vscode.window.createTreeView(id, { treeDataProvider: tree, showCollapseAll: key !== 'connection' }));
    }
    this.disposables.push(
      connections.onDidChange(() => this.trees.connection.refresh()),
      analysis.onDidChange(() => this.trees.connection.refresh()),
      lockCost.onDidChange(() => this.trees.lockCost.refresh()),
    );
  }

  /** Analyze Workspace's result: the findings and transactions views list it. */
  showWorkspace(analysis: Analysis, findings: Finding[]): void {
    this.workspace = { analysis, findings };
    this.trees.findings.refresh();
    this.trees.transactions.refresh();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
