/**
 * The workspace as the linter sees it: per file its text, the models it declares and its scan (sites, calls,
 * transaction scopes), updated one file at a time. The CLI fills one from its walk; the editor keeps one for the
 * open folder, so a hover sees the helper in another file exactly as `lockscope scan` does.
 */
import { FileScanner } from '../scan/incremental/file-scanner.js';
import { ModelIndex, type ModelDeclaration } from '../scan/models.js';
import { declareModels, scanFile, type SourceFile } from '../scan/registry.js';
import type { FileScan } from '../scan/types.js';

interface IndexedFile {
  /** Undefined for a file adopted already scanned (adopt): its text was never held here. */
  text: string | undefined;
  models: ModelDeclaration[];
  /** Undefined until scanned, and again when the workspace's models change (a model's table may be another now). */
  scan: FileScan | undefined;
  /** scanFile answered "not a scanned language" (a Prisma schema): models only. */
  unscannable: boolean;
}

const sameModels = (a: readonly ModelDeclaration[], b: readonly ModelDeclaration[]): boolean =>
  a.length === b.length && JSON.stringify(a) === JSON.stringify(b);

/** A file extracted outside the index (the CLI's worker threads or its cache): its models and its scan. */
export interface ExtractedFile {
  file: string;
  models: ModelDeclaration[];
  /** Undefined when the file has no scanner (a Prisma schema: models only). */
  scan: FileScan | undefined;
}

/**
 * Files kept parsed between versions (src/core/scan/incremental/): the ones edited most recently. A file is kept
 * from its first change on, so a walk that reads each file once (the CLI) keeps none, and WASM memory stays bounded.
 */
const KEPT_FILES = 8;

export class WorkspaceIndex {
  private readonly files = new Map<string, IndexedFile>();
  private models: ModelIndex | undefined;
  /** Recently edited files' scanners, least recently edited first. */
  private readonly kept = new Map<string, FileScanner>();

  constructor(files: readonly SourceFile[] = []) {
    for (const f of files) this.update(f.file, f.text);
  }

  /** Bumped by every change, so a cached analysis can tell it is stale. */
  private changes = 0;

  /**
   * Adds or replaces one file; unchanged text costs nothing. Any file is taken (an editor's open document, a file
   * named on the command line); the walks that fill an index choose files with isCodeFile. A changed file is kept
   * parsed for its next change, and so is one given with `keep` (the document lint() is asked about) from now on.
   */
  update(file: string, text: string, options: { keep?: boolean } = {}): void {
    const before = this.files.get(file);
    if (before?.text === text) {
      if (options.keep === true && !this.kept.has(file)) {
        // Read it once more through its scanner, so the first keystroke already finds its statements kept.
        this.keep(file).update(text);
        before.scan = undefined;
      }
      return;
    }
    const scanner = before === undefined && options.keep !== true ? undefined : this.keep(file);
    scanner?.update(text);
    const models = scanner?.handles === true ? scanner.declareModels() : declareModels(file, text);
    this.files.set(file, { text, models, scan: undefined, unscannable: false });
    this.changes++;
    if (!sameModels(before?.models ?? [], models)) this.modelsChanged();
  }

  /**
   * Adds files extracted elsewhere, each scanned against the models of all the files given here and those already
   * held (the CLI's whole walk at once). Their texts are not held — a real-size tree's texts never are all in memory —
   * so such a file keeps its scan when models change later; update() it to have it scanned here again.
   */
  adopt(files: readonly ExtractedFile[]): void {
    let models = false;
    for (const f of files) {
      this.files.set(f.file, { text: undefined, models: f.models, scan: f.scan, unscannable: f.scan === undefined });
      models ||= f.models.length > 0;
    }
    this.changes++;
    if (models) this.models = undefined;
  }

  remove(file: string): void {
    const before = this.files.get(file);
    if (before === undefined) return;
    this.files.delete(file);
    this.kept.get(file)?.dispose();
    this.kept.delete(file);
    this.changes++;
    if (before.models.length > 0) this.modelsChanged();
  }

  has(file: string): boolean {
    return this.files.has(file);
  }

  /** A number that changes whenever a file is added, changed or removed. */
  get generation(): number {
    return this.changes;
  }

  /** Every file whose text is held, and its text (to hand the workspace to another index, e.g. a restarted analysis worker's). */
  *texts(): IterableIterator<[file: string, text: string]> {
    for (const [file, entry] of this.files) if (entry.text !== undefined) yield [file, entry.text];
  }

  /** Files held (code and model schemas). */
  get size(): number {
    return this.files.size;
  }

  /** Every model declared in the workspace. */
  modelIndex(): ModelIndex {
    this.models ??= new ModelIndex([...this.files.values()].flatMap((f) => f.models));
    return this.models;
  }

  /** The scans of `files` (default: every file), scanning those not scanned since they or the models changed. */
  scans(files: Iterable<string> = this.files.keys()): FileScan[] {
    const out: FileScan[] = [];
    for (const file of files) {
      const entry = this.files.get(file);
      if (entry === undefined || entry.unscannable) continue;
      if (entry.scan === undefined && entry.text !== undefined) {
        const scanner = this.kept.get(file);
        entry.scan = scanner?.handles === true ? scanner.scan(this.modelIndex()) : scanFile(file, entry.text, undefined, this.modelIndex());
        entry.unscannable = entry.scan === undefined;
      }
      if (entry.scan !== undefined) out.push(entry.scan);
    }
    return out;
  }

  /** The file's scanner, made the most recently edited (the least recently edited one is let go past KEPT_FILES). */
  private keep(file: string): FileScanner {
    const scanner = this.kept.get(file) ?? new FileScanner(file);
    this.kept.delete(file);
    this.kept.set(file, scanner);
    for (const [oldest, dropped] of this.kept) {
      if (this.kept.size <= KEPT_FILES) break;
      dropped.dispose();
      this.kept.delete(oldest);
    }
    return scanner;
  }

  /** Frees the kept files' trees (WASM memory); the index stays usable. */
  dispose(): void {
    for (const scanner of this.kept.values()) scanner.dispose();
    this.kept.clear();
  }

  private modelsChanged(): void {
    this.models = undefined;
    // Adopted files (no text) keep theirs: they cannot be scanned here.
    for (const entry of this.files.values()) if (entry.text !== undefined) entry.scan = undefined;
  }
}
