/**
 * One file's share of `lockscope scan`, the same in a worker thread and in the CLI's own thread: read it, declare its
 * models (first pass), scan it against the tree's models (second pass), each answered from the content-hash cache
 * when it holds the file's key. Nothing of the file's text or tree outlives the call.
 */
import { readSourceFile, type SkippedPath } from '../db/file-walk.js';
import { ModelIndex, type ModelDeclaration } from '../core/scan/models.js';
import { declareModels, scanFile } from '../core/scan/registry.js';
import type { FileScan } from '../core/scan/types.js';
import { decodeScanEntry, encodeScanEntry, scanKey, textKey, type ScanCache } from './scan-cache.js';

/** Files above this are not even read (the scanner refuses anything above 2 MB, with a problem of its own). */
export const MAX_READ_BYTES = 64 * 1024 * 1024;

/** A file's first pass: its key (path and text under the extraction version) and models, or why it was not read. */
export type DeclaredFile =
  { file: string; key: string; models: ModelDeclaration[]; cached: boolean } | { file: string; skipped: SkippedPath };

export function declareFile(file: string, version: string, cache: ScanCache | undefined): DeclaredFile {
  const read = readSourceFile(file, MAX_READ_BYTES);
  if (!('text' in read)) return { file, skipped: read.skipped };
  const key = textKey(version, file, read.text);
  const kept = cache?.readModels(key);
  if (kept !== undefined) return { file, key, models: kept.models, cached: true };
  const models = declareModels(file, read.text);
  cache?.writeModels(key, { models });
  return { file, key, models, cached: false };
}

/** The second pass over files whose models are declared: every scan made against the same models. */
export class FileScanner {
  private readonly models: ModelIndex;

  constructor(
    declarations: readonly ModelDeclaration[],
    private readonly fingerprint: string,
    private readonly version: string,
    private readonly cache: ScanCache | undefined,
  ) {
    this.models = new ModelIndex(declarations);
  }

  /**
   * The file's scan as an encoded ScanEntry (what crosses to the main thread and what the cache keeps). `key` is the
   * first pass's: when the file changed since, it is scanned as it is now, under its new key.
   */
  scanEncoded(file: string, key: string): { bytes: Uint8Array; cached: boolean } {
    const kept = this.cache?.readScanBytes(scanKey(key, this.fingerprint));
    if (kept !== undefined) return { bytes: kept, cached: true };
    return { bytes: this.scanAndKeep(file, true).bytes ?? encodeScanEntry({ scan: undefined }), cached: false };
  }

  /** The file's scan as an object (the CLI's own thread), kept in the cache when there is one. */
  scan(file: string, key: string): { scan: FileScan | undefined; cached: boolean } {
    const kept = this.cache?.readScanBytes(scanKey(key, this.fingerprint));
    const entry = kept === undefined ? undefined : decodeScanEntry(kept);
    if (entry !== undefined) return { scan: entry.scan, cached: true };
    return { scan: this.scanAndKeep(file, this.cache !== undefined).scan, cached: false };
  }

  private scanAndKeep(file: string, encode: boolean): { scan: FileScan | undefined; bytes?: Uint8Array } {
    const read = readSourceFile(file, MAX_READ_BYTES);
    // Vanished or unreadable since the first pass: nothing to scan (the first pass's models stay, as a read then).
    if (!('text' in read)) return { scan: undefined };
    const now = textKey(this.version, file, read.text);
    const scan = scanFile(file, read.text, undefined, this.models);
    if (!encode) return { scan };
    const bytes = encodeScanEntry({ scan });
    // Under the text scanned: a file changed since the first pass is kept under its new key, not the old one.
    this.cache?.writeScanBytes(scanKey(now, this.fingerprint), bytes);
    return { scan, bytes };
  }
}
