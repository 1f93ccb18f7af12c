/**
 * `lockscope scan`'s worker threads: min(cores, files) workers (scan-worker.ts) fed batches of files as they finish
 * the last, so a worker that drew large files does not hold up the others. The bundle's dist/scan-worker.js, or the
 * TypeScript entry through tsx when the CLI runs from sources (tests, benches).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PoolReply, PoolRequest, ScanWorkerData } from './scan-pool-protocol.js';

/** A worker failed (could not start, threw, exited): the scan is redone in the CLI's own thread. */
export class ScanPoolError extends Error {
  override readonly name = 'ScanPoolError';
}

/** Batches each worker holds at once: one being worked on, one waiting, so no worker idles between replies. */
const IN_FLIGHT = 2;

/** How to start a worker: the bundled script, or the sources through tsx; undefined when neither is there. */
function workerEntry(): { file: string; eval: boolean } | undefined {
  const bundled = join(__dirname, 'scan-worker.js');
  if (existsSync(bundled)) return { file: bundled, eval: false };
  const source = join(__dirname, 'scan-worker.ts');
  if (!existsSync(source)) return undefined;
  // A worker thread does not inherit the parent's --import tsx hooks: it loads tsx's require hook itself.
  const tsx = require.resolve('tsx/cjs');
  return { file: `require(${JSON.stringify(tsx)}); require(${JSON.stringify(source)});`, eval: true };
}

/** True when worker threads can be started here (a bundled CLI, or sources run by tsx). */
export const canStartScanWorkers = (): boolean => workerEntry() !== undefined;

type Reply<T extends PoolReply['type']> = Extract<PoolReply, { type: T }>;

export class ScanPool {
  private readonly workers: Worker[] = [];
  private failure: ScanPoolError | undefined;
  private readonly failed = new Set<(error: ScanPoolError) => void>();

  constructor(size: number, data: ScanWorkerData, note: (message: string) => void) {
    const entry = workerEntry();
    if (entry === undefined) throw new ScanPoolError('no scan worker entry (dist/scan-worker.js) next to the CLI');
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry.file, { eval: entry.eval, workerData: data });
      worker.on('message', (reply: PoolReply) => {
        if (reply.type === 'note') note(reply.message);
        else if (reply.type === 'failed') this.fail(new ScanPoolError(`a scan worker failed: ${reply.message}`));
      });
      worker.on('error', (error) => this.fail(new ScanPoolError(`a scan worker failed: ${error.message}`)));
      worker.on('exit', (code) => this.fail(new ScanPoolError(`a scan worker exited (code ${code})`)));
      this.workers.push(worker);
    }
  }

  /** Sends the same message to every worker (the tree's models before the second pass). */
  broadcast(request: PoolRequest): void {
    for (const worker of this.workers) worker.postMessage(request);
  }

  /**
   * Sends every batch (`requests[i]` carries batch number i) to the next free worker; `onReply` sees each reply
   * as it comes. Resolves when all are answered, rejects when a worker fails.
   */
  run<T extends 'declared' | 'scanned'>(kind: T, requests: readonly PoolRequest[], onReply: (reply: Reply<T>) => void): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      let next = 0;
      let answered = 0;
      const listeners = new Map<Worker, (reply: PoolReply) => void>();
      const done = (error?: ScanPoolError): void => {
        for (const [worker, listener] of listeners) worker.off('message', listener);
        this.failed.delete(done);
        if (error === undefined) resolve();
        else reject(error);
      };
      const feed = (worker: Worker): void => {
        const request = requests[next++];
        if (request !== undefined) worker.postMessage(request);
      };
      this.failed.add(done);
      for (const worker of this.workers) {
        const listener = (reply: PoolReply): void => {
          if (reply.type !== kind) return;
          onReply(reply as Reply<T>);
          answered++;
          if (answered === requests.length) done();
          else feed(worker);
        };
        listeners.set(worker, listener);
        worker.on('message', listener);
      }
      if (requests.length === 0) return done();
      for (let round = 0; round < IN_FLIGHT; round++) for (const worker of this.workers) feed(worker);
    });
  }

  /** Stops every worker (also after a failure); the exits that follow are not failures. */
  async close(): Promise<void> {
    this.failure ??= new ScanPoolError('the scan pool is closed');
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(error: ScanPoolError): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    for (const reject of [...this.failed]) reject(error);
  }
}
