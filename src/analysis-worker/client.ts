/**
 * The extension host's side of the analysis worker: starts dist/analysis-worker.js, sends it the catalog once per
 * generation and the workspace's file changes, and answers lint requests with the worker's replies. Knows nothing of
 * VS Code (the analysis service maps documents to files).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Catalog } from '../core/catalog.js';
import type { SeverityConfig } from '../core/rules/index.js';
import { DeltaDecoder, type DocumentLint } from './delta.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';
import { epochNow, type LintTiming } from './timing.js';

/** The worker failed or exited: lints already asked are answered with this, and so is every later one. */
export class AnalysisWorkerError extends Error {
  override readonly name = 'AnalysisWorkerError';
}

export type LintOutcome =
  { kind: 'linted'; result: DocumentLint | undefined; workerMs: number; timing: LintTiming } | { kind: 'superseded' };

/** Path of the bundled worker next to this bundle, or undefined when not bundled (running from sources). */
export function analysisWorkerPath(): string | undefined {
  const file = typeof __dirname === 'string' ? join(__dirname, 'analysis-worker.js') : '';
  return file !== '' && existsSync(file) ? file : undefined;
}

interface Pending {
  file: string;
  /** When the request was posted (timing.ts). */
  sent: number;
  resolve: (outcome: LintOutcome) => void;
  reject: (error: AnalysisWorkerError) => void;
}

export class AnalysisWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: AnalysisWorkerError | undefined;
  /** Per document, the entries of its last lint (the worker sends what changed). */
  private readonly received = new Map<string, DeltaDecoder>();

  constructor(workerFile: string) {
    this.worker = new Worker(workerFile);
    this.worker.on('message', (reply: AnalysisReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(new AnalysisWorkerError(`the analysis worker failed: ${error.message}`)));
    this.worker.on('exit', (code) => this.fail(new AnalysisWorkerError(`the analysis worker exited (code ${code})`)));
  }

  /** Undefined while the worker runs; the reason once it failed or exited. */
  get failed(): AnalysisWorkerError | undefined {
    return this.failure;
  }

  setCatalog(catalog: Catalog | undefined): void {
    this.post({ type: 'catalog', catalog });
  }

  update(file: string, text: string): void {
    this.post({ type: 'update', file, text });
  }

  remove(file: string): void {
    this.post({ type: 'remove', file });
  }

  /**
   * Drops what is held of the document's last lint (closed): the worker's next lint of it comes whole. A lint still
   * on its way was encoded against what this side holds, so the copy is kept until none is.
   */
  forget(file: string): void {
    if (![...this.pending.values()].some((p) => p.file === file)) this.received.delete(file);
    this.post({ type: 'forget', file });
  }

  lint(file: string, text: string, severity: SeverityConfig): Promise<LintOutcome> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { file, sent: epochNow(), resolve, reject });
      this.post({ type: 'lint', id, file, text, severity });
    });
  }

  async dispose(): Promise<void> {
    this.fail(new AnalysisWorkerError('the analysis worker was stopped'));
    await this.worker.terminate();
  }

  private post(request: AnalysisRequest): void {
    if (this.failure === undefined) this.worker.postMessage(request);
  }

  private decoderOf(file: string): DeltaDecoder {
    let decoder = this.received.get(file);
    if (decoder === undefined) this.received.set(file, (decoder = new DeltaDecoder()));
    return decoder;
  }

  private settle(reply: AnalysisReply): void {
    const replied = epochNow();
    if (reply.type === 'part') setImmediate(() => this.post({ type: 'ack' })); // see below
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    if (reply.type === 'part') {
      // Each part is deserialised in its own message event: a large first lint does not stall the host in one go.
      // The worker posts the next when this side had a turn of its event loop (setImmediate runs after timers and I/O).
      this.decoderOf(pending.file).accept(reply.part);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.type === 'linted') {
      // Decoded as it arrives, in order, so this side stays in step with the worker's encoder.
      const decoder = this.decoderOf(pending.file);
      try {
        const result = reply.result === undefined ? undefined : decoder.decode(reply.result);
        const timing = { worker: reply.marks, host: { sent: pending.sent, replied, decoded: epochNow() } };
        pending.resolve({ kind: 'linted', result, workerMs: reply.ms, timing });
      } catch (error) {
        // Out of step (a bug): start this document afresh on both sides.
        this.received.delete(pending.file);
        this.post({ type: 'forget', file: pending.file });
        pending.reject(new AnalysisWorkerError(`the analysis worker's reply did not decode: ${String(error)}`));
      }
    } else if (reply.type === 'superseded') pending.resolve({ kind: 'superseded' });
    else pending.reject(new AnalysisWorkerError(`the analysis failed in the worker: ${reply.message}`));
  }

  private fail(error: AnalysisWorkerError): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}
