/**
 * Reads and indexes given files (models first, then query sites), as `scan` and `workload` need: in worker threads
 * when the tree is large enough to pay for them, each file answered from the content-hash cache when it is unchanged.
 */
import { availableParallelism } from 'node:os';
import type { SkippedPath } from '../db/file-walk.js';
import { loadGrammarFiles } from '../db/grammar-files.js';
import { WorkspaceIndex, type ExtractedFile } from '../core/lint/workspace-index.js';
import type { ModelDeclaration } from '../core/scan/models.js';
import type { FileScan } from '../core/scan/types.js';
import type { CommandContext } from './command.js';
import { decodeScanEntry, modelsFingerprint, ScanCache, scanCacheDir } from './scan-cache.js';
import { declareFile, FileScanner, type DeclaredFile } from './scan-jobs.js';
import { canStartScanWorkers, ScanPool, ScanPoolError } from './scan-pool.js';
import type { PoolRequest } from './scan-pool-protocol.js';
import { extractionVersion } from './scan-version.js';
import { NO_TIMINGS, type PhaseTimer } from './scan-timings.js';

export interface IndexOptions {
  /** Worker threads: 1 scans in the CLI's own thread; default min(cores, one per 100 files). */
  jobs?: number | undefined;
  /** Keep and reuse per-file results in the CLI's cache directory (default true; LOCKSCOPE_CACHE_DIR=off disables). */
  cache?: boolean | undefined;
  /** Marks the first pass (read, models) and the second (scan) as phases of their own (--timings). */
  timer?: PhaseTimer | undefined;
}

/** Below this many files per worker a thread costs more to start (grammars, parser) than it saves. */
const FILES_PER_WORKER = 100;
/** Files per batch sent to a worker: enough to amortise a message, few enough to balance large files. */
const BATCH = 16;

/** How many workers for `count` files (1: none, the CLI's own thread). */
export function workerCount(count: number, jobs: number | undefined): number {
  const wanted = jobs ?? Math.min(availableParallelism(), Math.ceil(count / FILES_PER_WORKER));
  return Math.max(1, Math.min(wanted, count));
}

/** Progress on stderr every 200 files, as the scan has always said it. */
function progress(ctx: CommandContext, total: number): () => void {
  let done = 0;
  return () => {
    done++;
    if (done % 200 === 0) ctx.stderr(`lockscope: scanned ${done}/${total} files…`);
  };
}

/** The files read by the first pass and every model they declare, in the order given (the first declared wins). */
function readOnes(
  declared: readonly DeclaredFile[],
  skipped: SkippedPath[],
): { read: Array<{ file: string; key: string; models: ModelDeclaration[] }>; models: ModelDeclaration[] } {
  const read: Array<{ file: string; key: string; models: ModelDeclaration[] }> = [];
  for (const d of declared) {
    if ('skipped' in d) skipped.push(d.skipped);
    else read.push(d);
  }
  return { read, models: read.flatMap((r) => r.models) };
}

/** The files extracted, and how many scans the cache answered. */
interface Extraction {
  files: ExtractedFile[];
  cached: number;
}

function inProcess(
  ctx: CommandContext,
  files: readonly string[],
  skipped: SkippedPath[],
  version: string,
  cache: ScanCache | undefined,
  timer: PhaseTimer = NO_TIMINGS,
): Extraction {
  const { read, models } = readOnes(
    files.map((f) => declareFile(f, version, cache)),
    skipped,
  );
  for (const s of skipped) ctx.stderr(`lockscope: skipped ${s.path}: ${s.message}`);
  timer.mark('scan files (second pass)');
  const scanner = new FileScanner(models, modelsFingerprint(models), version, cache);
  const tick = progress(ctx, read.length);
  let cached = 0;
  const extracted = read.map((r) => {
    const scanned = scanner.scan(r.file, r.key);
    if (scanned.cached) cached++;
    tick();
    return { file: r.file, models: r.models, scan: scanned.scan };
  });
  return { files: extracted, cached };
}

async function inWorkers(
  ctx: CommandContext,
  files: readonly string[],
  skipped: SkippedPath[],
  pool: ScanPool,
  timer: PhaseTimer,
): Promise<Extraction> {
  const batches = <T>(items: readonly T[]): T[][] =>
    Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));
  const declaredBatches: DeclaredFile[][] = [];
  const declareRequests: PoolRequest[] = batches(files).map((batch, i) => ({ type: 'declare', batch: i, files: batch }));
  await pool.run('declared', declareRequests, (reply) => (declaredBatches[reply.batch] = reply.results));
  const { read, models } = readOnes(declaredBatches.flat(), skipped);
  for (const s of skipped) ctx.stderr(`lockscope: skipped ${s.path}: ${s.message}`);
  timer.mark('scan files in workers (second pass, decode)');
  pool.broadcast({ type: 'models', models, fingerprint: modelsFingerprint(models) });
  const readBatches = batches(read);
  const scanned: ExtractedFile[][] = [];
  const tick = progress(ctx, read.length);
  let cached = 0;
  await pool.run(
    'scanned',
    readBatches.map((batch, i) => ({ type: 'scan', batch: i, files: batch.map((r) => ({ file: r.file, key: r.key })) })),
    (reply) => {
      // Decoded here, one batch at a time, as they come: the encoded bytes are dropped at once.
      scanned[reply.batch] = reply.results.map((result, j) => {
        const entry = decodeScanEntry(result.bytes);
        if (entry === undefined) throw new ScanPoolError(`the scan of ${result.file} came back unreadable`);
        if (result.cached) cached++;
        tick();
        return { file: result.file, models: readBatches[reply.batch]?.[j]?.models ?? [], scan: entry.scan };
      });
    },
  );
  return { files: scanned.flat(), cached };
}

function said(ctx: CommandContext, extraction: Extraction, threads: string, cache: ScanCache | undefined): ExtractedFile[] {
  const from = cache === undefined ? 'cache off' : `${extraction.cached} from the cache`;
  ctx.stderr(`lockscope: extracted ${extraction.files.length} files in ${threads} (${from})`);
  return extraction.files;
}

/**
 * The workspace index of `files` (from collectFilesToScan), every file scanned. Paths skipped by the walk
 * (`skipped`, appended to here) and files that cannot be read are reported on stderr, one line each, and the scan
 * goes on. Models declared anywhere (models.py, app/models/*.rb, schema.prisma) are known where queries name them.
 */
export async function indexSourceFiles(
  ctx: CommandContext,
  files: readonly string[],
  skipped: SkippedPath[] = [],
  options: IndexOptions = {},
): Promise<WorkspaceIndex> {
  const version = extractionVersion();
  const cacheDir = options.cache === false ? undefined : scanCacheDir(ctx.env);
  const cache = cacheDir === undefined ? undefined : new ScanCache(cacheDir, version, ctx.stderr);
  cache?.pruneOtherVersions();
  const jobs = workerCount(files.length, options.jobs);
  const index = new WorkspaceIndex();
  const timer = options.timer ?? NO_TIMINGS;
  if (jobs > 1 && canStartScanWorkers()) {
    const walked = skipped.length;
    timer.mark('read files and declare models in workers (first pass)');
    const pool = new ScanPool(jobs, { version, cacheDir }, ctx.stderr);
    try {
      index.adopt(said(ctx, await inWorkers(ctx, files, skipped, pool, timer), `${jobs} worker threads`, cache));
      return index;
    } catch (error) {
      if (!(error instanceof ScanPoolError)) throw error;
      ctx.stderr(`lockscope: ${error.message}; scanning in one thread`);
      skipped.length = walked;
    } finally {
      await pool.close();
    }
  }
  timer.mark('load grammars');
  await loadGrammarFiles();
  timer.mark('read files and declare models (first pass)');
  index.adopt(said(ctx, inProcess(ctx, files, skipped, version, cache, timer), 'one thread', cache));
  return index;
}

/** The scans of `files`, in the order given, in the CLI's own thread without the cache (`workload`'s few files). */
export function scanSourceFiles(ctx: CommandContext, files: readonly string[], skipped: SkippedPath[] = []): FileScan[] {
  const index = new WorkspaceIndex();
  index.adopt(inProcess(ctx, files, skipped, extractionVersion(), undefined).files);
  return index.scans();
}
