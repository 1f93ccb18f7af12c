/** One tree data provider for every Lockscope side bar view: each view gives a function that builds its rows. */
import * as vscode from 'vscode';

export interface OutlineNode {
  item: vscode.TreeItem;
  children?: OutlineNode[];
}

export class OutlineTree implements vscode.TreeDataProvider<OutlineNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The rows last built (tests read them through the extension's API). */
  roots: OutlineNode[] = [];

  /** An empty root list shows the view's welcome content (package.json viewsWelcome). */
  constructor(private readonly build: () => OutlineNode[] | Promise<OutlineNode[]>) {}

  refresh(): void {
    this.changed.fire();
  }

  getTreeItem(node: OutlineNode): vscode.TreeItem {
    return node.item;
  }

  async getChildren(node?: OutlineNode): Promise<OutlineNode[]> {
    if (node !== undefined) return node.children ?? [];
    this.roots = await this.build();
    return this.roots;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** A row with children, expanded or collapsed. */
export function branch(item: vscode.TreeItem, children: OutlineNode[], expanded = false): OutlineNode {
  item.collapsibleState =
    children.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
  return { item, children };
}
