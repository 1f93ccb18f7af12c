/**
 * The open folder's WorkspaceIndex (src/core/lint): every file the file policy calls code, read once in the
 * background and kept current per file (saved, created, deleted, renamed), so hovers, diagnostics, Analyze
 * Workspace, Live Activity and the Lock Cost view lint against the same workspace as `lockscope scan`.
 */
import * as vscode from 'vscode';
import { CODE_FILE_GLOB, isCodeFile, isInSkippedDirectory, SKIPPED_GLOB } from '../core/lint/file-policy.js';
import { WorkspaceIndex } from '../core/lint/workspace-index.js';
import { MAX_SCANNED_BYTES } from '../core/scan/registry.js';
import type { Log } from './log.js';
import { readWorkspaceText } from './workspace-read.js';

/** Enough for large monorepos; past it, the files found first are read and the log says so. */
const MAX_FILES = 20_000;

/** Whether the policy reads this workspace file (the search's globs only narrow the search). */
export const isWorkspaceCodeFile = (uri: vscode.Uri): boolean =>
  uri.scheme === 'file' &&
  vscode.workspace.getWorkspaceFolder(uri) !== undefined &&
  isCodeFile(uri.fsPath) &&
  !isInSkippedDirectory(vscode.workspace.asRelativePath(uri, false));

/** Told of every change the index takes (text undefined: removed), so the analysis worker's copy follows it. */
export type WorkspaceChangeListener = (file: string, text: string | undefined) => void;

export class WorkspaceFiles implements vscode.Disposable {
  private readonly index = new WorkspaceIndex();
  private building: Promise<WorkspaceIndex> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly log: Log,
    private readonly ready: () => Promise<void>,
    private readonly changed: WorkspaceChangeListener = () => undefined,
  ) {
    this.subscriptions.push(
      vscode.workspace.onDidSaveTextDocument((d) => this.whenBuilt(() => this.put(d.uri.fsPath, d.getText()))),
      vscode.workspace.onDidCreateFiles((e) => this.whenBuilt(() => Promise.all(e.files.map((f) => this.read(f))))),
      vscode.workspace.onDidDeleteFiles((e) => this.whenBuilt(() => e.files.forEach((f) => this.drop(f.fsPath)))),
      vscode.workspace.onDidRenameFiles((e) =>
        this.whenBuilt(() =>
          Promise.all(
            e.files.map((f) => {
              this.drop(f.oldUri.fsPath);
              return this.read(f.newUri);
            }),
          ),
        ),
      ),
    );
  }

  /** Takes an open document's unsaved text (Analyze Workspace sees what the editor shows). */
  put(file: string, text: string): void {
    const before = this.index.generation;
    this.index.update(file, text);
    if (this.index.generation !== before) this.changed(file, text);
  }

  private drop(file: string): void {
    if (!this.index.has(file)) return;
    this.index.remove(file);
    this.changed(file, undefined);
  }

  /** Every file read and its text (a restarted analysis worker is handed them again). */
  texts(): IterableIterator<[file: string, text: string]> {
    return this.index.texts();
  }

  /** Changes since the index was made: a cached analysis made at another generation is stale. */
  get generation(): number {
    return this.index.generation;
  }

  /** The index, reading the workspace the first time (the grammars must be loaded: `ready`). */
  get(): Promise<WorkspaceIndex> {
    this.building ??= this.build();
    return this.building;
  }

  /** Reads `uri` from disk again (an editor closed without saving: its unsaved text must not stay indexed). */
  async reload(uri: vscode.Uri): Promise<void> {
    if (this.building === undefined) return;
    await this.building;
    if (this.index.has(uri.fsPath) && !isWorkspaceCodeFile(uri)) this.drop(uri.fsPath);
    else await this.read(uri);
  }

  private async build(): Promise<WorkspaceIndex> {
    await this.ready();
    // An untrusted workspace is still read: reading files runs no code and connects nowhere.
    const started = Date.now();
    const uris = (await vscode.workspace.findFiles(CODE_FILE_GLOB, SKIPPED_GLOB, MAX_FILES)).filter(isWorkspaceCodeFile);
    if (uris.length >= MAX_FILES) this.log.warn(`Workspace: more than ${MAX_FILES} code files; the first ${MAX_FILES} found are read`);
    for (const uri of uris) await this.read(uri);
    this.log.info(`Workspace index: ${this.index.size} files, ${this.index.modelIndex().size} models, in ${Date.now() - started} ms`);
    return this.index;
  }

  private async read(uri: vscode.Uri): Promise<void> {
    if (!isWorkspaceCodeFile(uri)) return;
    try {
      // Never blocks: FIFOs, devices and sockets named like code are skipped (workspace-read.ts).
      const text = await readWorkspaceText(uri);
      // Generated code and dumps past the scanner's limit are not held in memory; opened, they show the problem.
      if (text === undefined || text.length > MAX_SCANNED_BYTES) {
        this.drop(uri.fsPath);
        this.log.info(`Workspace index: ${uri.fsPath} is not a regular file the scanner reads; skipped`);
      } else this.put(uri.fsPath, text);
    } catch (error) {
      this.log.error(`Could not read ${uri.fsPath}`, error);
    }
  }

  /** Applies a change once the first read is done (before it, the build reads the file's current text anyway). */
  private whenBuilt(change: () => unknown): void {
    if (this.building === undefined) return;
    void this.building.then(change).catch((error: unknown) => this.log.error('Workspace index update failed', error));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
