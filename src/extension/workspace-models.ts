/**
 * Models declared across the workspace (models.py, app/models/*.rb, entities, GORM structs), so a query in one file
 * finds the table of a model declared in another. Built once in the background, updated per file on save.
 */
import * as vscode from 'vscode';
import { readWorkspaceText } from './workspace-read.js';
import { ModelIndex, type ModelDeclaration } from '../core/scan/models.js';
import { declareModels, MAX_SCANNED_BYTES } from '../core/scan/registry.js';
import type { Log } from './log.js';

const SOURCE_GLOB = '**/*.{py,rb,ts,tsx,mts,cts,js,mjs,cjs,jsx,go,prisma}';
const EXCLUDE_GLOB = '{**/node_modules/**,**/.git/**,**/dist/**,**/build/**,**/vendor/**,**/.venv/**,**/venv/**,**/__pycache__/**}';
/** Enough for large monorepos' model files; past it, queries fall back to the models in their own file. */
const MAX_FILES = 5000;

export class WorkspaceModels implements vscode.Disposable {
  private readonly perFile = new Map<string, ModelDeclaration[]>();
  private index: ModelIndex | undefined;
  private building: Promise<ModelIndex> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    private readonly ready: () => Promise<void>,
  ) {
    this.subscriptions.push(vscode.workspace.onDidSaveTextDocument((document) => this.update(document.uri.fsPath, document.getText())));
  }

  /** The index, building it the first time (the grammars must be loaded: `ready`). */
  get(): Promise<ModelIndex> {
    this.building ??= this.build();
    return this.building;
  }

  private async build(): Promise<ModelIndex> {
    await this.ready();
    // An untrusted workspace is still read for models: reading files runs no code and connects nowhere.
    const started = Date.now();
    const uris = await vscode.workspace.findFiles(SOURCE_GLOB, EXCLUDE_GLOB, MAX_FILES);
    for (const uri of uris) {
      try {
        const text = await readWorkspaceText(uri);
        if (text === undefined || text.length > MAX_SCANNED_BYTES) continue;
        this.perFile.set(uri.fsPath, declareModels(uri.fsPath, text));
      } catch (error) {
        this.log.error(`Could not read ${uri.fsPath} for model declarations`, error);
      }
    }
    this.rebuild();
    this.log.info(`Workspace models: ${this.index?.size ?? 0} from ${uris.length} files in ${Date.now() - started} ms`);
    return this.index ?? new ModelIndex();
  }

  private update(file: string, text: string): void {
    if (this.index === undefined) return;
    const declared = declareModels(file, text);
    const before = this.perFile.get(file) ?? [];
    if (declared.length === 0 && before.length === 0) return;
    this.perFile.set(file, declared);
    this.rebuild();
  }

  private rebuild(): void {
    this.index = new ModelIndex([...this.perFile.values()].flat());
    this.building = Promise.resolve(this.index);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
