/** The messages between `lockscope scan`'s pool (scan-pool.ts) and its worker threads (scan-worker.ts). */
import type { ModelDeclaration } from '../core/scan/models.js';
import type { DeclaredFile } from './scan-jobs.js';

/** What every worker is started with. */
export interface ScanWorkerData {
  /** The extraction version (scan-version.ts): part of every cache key. */
  version: string;
  /** The content-hash cache's folder, or undefined when the cache is off. */
  cacheDir: string | undefined;
}

export type PoolRequest =
  /** First pass over a batch of files: read each, key it, declare its models. */
  | { type: 'declare'; batch: number; files: string[] }
  /** Every model of the tree, sent once before the second pass. */
  | { type: 'models'; models: ModelDeclaration[]; fingerprint: string }
  /** Second pass over a batch: each file's scan, under the key its first pass gave it. */
  | { type: 'scan'; batch: number; files: Array<{ file: string; key: string }> };

export type PoolReply =
  | { type: 'declared'; batch: number; results: DeclaredFile[] }
  /** Each file's ScanEntry, encoded (scan-cache.ts decodeScanEntry). */
  | { type: 'scanned'; batch: number; results: Array<{ file: string; bytes: Uint8Array; cached: boolean }> }
  /** Something to tell the user (a damaged cache entry ignored). */
  | { type: 'note'; message: string }
  | { type: 'failed'; message: string };
