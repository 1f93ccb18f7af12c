/**
 * `lockscope scan`'s content-hash cache: per file, what extraction found (its models; its scan against the tree's
 * models), kept on disk under the CLI's cache directory (never in the scanned repository), one entry per key, so an
 * unchanged tree is rescanned from it in seconds and worker threads read and write entries without coordinating.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { ModelDeclaration } from '../core/scan/models.js';
import type { FileScan } from '../core/scan/types.js';
import { defaultCacheDir } from '../db/embedded-cache.js';

/** Bumped when an entry's layout changes (the extraction code's own changes are in the version fingerprint). */
const ENTRY_FORMAT = 1;

/** Where scan results are kept: LOCKSCOPE_CACHE_DIR/scan (`off`: nowhere), else the user cache directory's scan/. */
export function scanCacheDir(env: Record<string, string | undefined>): string | undefined {
  const configured = env['LOCKSCOPE_CACHE_DIR'];
  if (configured === 'off') return undefined;
  return join(configured !== undefined && configured !== '' ? configured : defaultCacheDir(env), 'scan');
}

/** A file's key: its path (scans name it) and text, under one extraction version. */
export function textKey(version: string, file: string, text: string): string {
  return createHash('sha256').update(`${ENTRY_FORMAT}\0${version}\0${file}\0`).update(text).digest('hex');
}

/** A scan's key: the file's key and the fingerprint of every model of the tree (a model's table may be another now). */
export const scanKey = (fileKey: string, modelsFingerprint: string): string =>
  createHash('sha256').update(`${fileKey}\0${modelsFingerprint}`).digest('hex');

/** The fingerprint of a tree's model declarations, in order (the first declared wins where names clash). */
export function modelsFingerprint(models: readonly ModelDeclaration[]): string {
  return createHash('sha256').update(JSON.stringify(models)).digest('hex');
}

/** A file's models entry: what its first pass declared. */
export interface ModelsEntry {
  models: ModelDeclaration[];
}

/** A file's scan entry: undefined when the file has no scanner (a Prisma schema: models only). */
export interface ScanEntry {
  scan: FileScan | undefined;
}

const CHECKSUM_BYTES = 32;
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;
const folderOf = (version: string): string => `${ENTRY_FORMAT}-${version.slice(0, 32)}`;

/** When a version's folder last got an entry: its kinds' shard folders change with every new entry. */
function newestWrite(folder: string): number {
  let newest = statSync(folder).mtimeMs;
  for (const kind of readdirSync(folder)) {
    const kindDir = join(folder, kind);
    for (const shard of readdirSync(kindDir)) newest = Math.max(newest, statSync(join(kindDir, shard)).mtimeMs);
  }
  return newest;
}
const checksum = (payload: Uint8Array): Buffer => createHash('sha256').update(payload).digest();

/** Entries of one extraction version: `<dir>/<version>/<kind>/<key[0..2]>/<key>`. */
export class ScanCache {
  private readonly root: string;
  /** Said once per cache: an entry that could not be read or written (the scan goes on without it). */
  private readonly noted = new Set<string>();

  constructor(
    dir: string,
    readonly version: string,
    private readonly note: (message: string) => void,
  ) {
    this.root = join(dir, folderOf(version));
  }

  readModels(key: string): ModelsEntry | undefined {
    const payload = this.read('models', key);
    if (payload === undefined) return undefined;
    try {
      const value: unknown = deserialize(payload);
      if (typeof value === 'object' && value !== null && 'models' in value && Array.isArray(value.models)) return value as ModelsEntry;
      this.warn(`models/${key}`, 'not a models entry');
    } catch (error) {
      this.warn(`models/${key}`, error instanceof Error ? error.message : String(error));
    }
    return undefined;
  }

  writeModels(key: string, entry: ModelsEntry): void {
    this.write('models', key, serialize(entry));
  }

  /**
   * A scan entry's bytes as kept (v8 serialization of a ScanEntry), checked against their checksum: handed to the
   * main thread undecoded, which decodes them once (decodeScanEntry).
   */
  readScanBytes(key: string): Uint8Array | undefined {
    return this.read('scans', key);
  }

  writeScanBytes(key: string, bytes: Uint8Array): void {
    this.write('scans', key, bytes);
  }

  /**
   * Removes (best effort) the entries of other extraction versions not written for a day: an upgraded CLI's old
   * entries are never read again, while another checkout's CLI scanning at the same time keeps its own.
   */
  pruneOtherVersions(now = Date.now()): void {
    const parent = join(this.root, '..');
    let names: string[];
    try {
      names = readdirSync(parent);
    } catch {
      return;
    }
    for (const name of names) {
      if (name === folderOf(this.version)) continue;
      try {
        if (now - newestWrite(join(parent, name)) > PRUNE_AFTER_MS) rmSync(join(parent, name), { recursive: true, force: true });
      } catch {
        // Removed by another scan meanwhile, or not ours to remove: left alone.
      }
    }
  }

  private path(kind: string, key: string): string {
    return join(this.root, kind, key.slice(0, 2), key);
  }

  /** The entry's payload, or undefined when there is none or it is damaged (its checksum does not match). */
  private read(kind: string, key: string): Uint8Array | undefined {
    let bytes: Buffer;
    try {
      bytes = readFileSync(this.path(kind, key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') this.warn(`${kind}/${key}`, String(error));
      return undefined;
    }
    const payload = bytes.subarray(CHECKSUM_BYTES);
    if (bytes.length < CHECKSUM_BYTES || !checksum(payload).equals(bytes.subarray(0, CHECKSUM_BYTES))) {
      this.warn(`${kind}/${key}`, 'damaged: its checksum does not match');
      return undefined;
    }
    return payload;
  }

  private write(kind: string, key: string, bytes: Uint8Array): void {
    const path = this.path(kind, key);
    // Written aside and renamed: a reader (another worker, another scan) sees the whole entry or none.
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
    try {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(temporary, Buffer.concat([checksum(bytes), bytes]));
      renameSync(temporary, path);
    } catch (error) {
      rmSync(temporary, { force: true });
      this.warn('write', `${kind}/${key}: ${String(error)}`);
    }
  }

  private warn(what: string, message: string): void {
    const kind = what.split('/')[0] ?? what;
    if (this.noted.has(kind)) return;
    this.noted.add(kind);
    this.note(`lockscope: scan cache entry ${what} ignored (${message}); the file is scanned again`);
  }
}

/** A scan entry's bytes decoded, or undefined (with why) when they are not one. */
export function decodeScanEntry(bytes: Uint8Array, problem: (message: string) => void = () => undefined): ScanEntry | undefined {
  try {
    const value: unknown = deserialize(bytes);
    if (typeof value === 'object' && value !== null && 'scan' in value) {
      const scan = (value as { scan: unknown }).scan;
      if (scan === undefined || (typeof scan === 'object' && scan !== null && 'sites' in scan && 'file' in scan)) return value as ScanEntry;
    }
    problem('not a scan entry');
  } catch (error) {
    problem(error instanceof Error ? error.message : String(error));
  }
  return undefined;
}

export const encodeScanEntry = (entry: ScanEntry): Uint8Array => serialize(entry);
