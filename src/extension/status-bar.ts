/** Status bar item: the database Lockscope predicts against and how old its catalog is; click to refresh. */
import * as vscode from 'vscode';
import { redactSecrets } from '../core/redact.js';

export class CatalogStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('lockscope.catalog', vscode.StatusBarAlignment.Left, 10);
  private loadedAt: number | undefined;
  private label = 'Lockscope: no catalog';
  private readonly timer = setInterval(() => this.render(), 30_000);

  constructor() {
    this.item.name = 'Lockscope catalog';
    this.item.command = 'lockscope.refreshCatalog';
    this.render();
    this.item.show();
  }

  loaded(description: string, loadedAt: number): void {
    this.item.command = 'lockscope.refreshCatalog';
    this.label = `$(database) ${redactSecrets(description)}`;
    this.loadedAt = loadedAt;
    this.item.backgroundColor = undefined;
    this.render();
  }

  failed(message: string): void {
    this.label = '$(warning) Lockscope: no catalog';
    this.loadedAt = undefined;
    this.item.tooltip = `${redactSecrets(message)}\nPredictions use the last catalog loaded, if any. Click to retry.`;
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.text = this.label;
  }

  /** Untrusted workspace: nothing connects; clicking opens the trust editor. */
  restricted(): void {
    this.loadedAt = undefined;
    this.label = '$(shield) Lockscope: restricted';
    this.item.text = this.label;
    this.item.tooltip =
      'Untrusted workspace: Lockscope connects to no database and loads no schema file. Hovers and rules that need no catalog still work. Click to manage workspace trust.';
    this.item.command = 'workbench.trust.manage';
    this.item.backgroundColor = undefined;
  }

  private render(): void {
    const age = this.loadedAt === undefined ? '' : ` · ${Math.max(0, Math.round((Date.now() - this.loadedAt) / 60000))} min`;
    this.item.text = `${this.label}${age}`;
    if (this.loadedAt !== undefined)
      this.item.tooltip = 'Lockscope predicts against this catalog. Click to refresh it (after a migration).';
  }

  get text(): string {
    return this.item.text;
  }

  /** The hover text of the item, as the extension tests read it. */
  get tooltip(): string {
    const tip = this.item.tooltip;
    return tip === undefined ? '' : typeof tip === 'string' ? tip : tip.value;
  }

  dispose(): void {
    clearInterval(this.timer);
    this.item.dispose();
  }
}
