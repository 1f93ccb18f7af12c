/**
 * Where a document's lint runs: on the analysis worker (dist/analysis-worker.js) when the extension is bundled,
 * else (running from sources) on this thread through the same engine. A worker that fails is restarted and handed
 * the catalog and the workspace's files again; after three failures the analysis stays on this thread.
 */
import { AnalysisEngine } from '../analysis-worker/engine.js';
import { AnalysisWorkerClient, AnalysisWorkerError, analysisWorkerPath, type LintOutcome } from '../analysis-worker/client.js';
import { DeltaDecoder, type DocumentLint } from '../analysis-worker/delta.js';
import type { AnalysisReply } from '../analysis-worker/protocol.js';
import { epochNow, type LintTiming } from '../analysis-worker/timing.js';
import type { Catalog } from '../core/catalog.js';
import type { SeverityConfig } from '../core/rules/index.js';
import type { Log } from './log.js';

const MAX_RESTARTS = 3;

type Files = () => Iterable<[file: string, text: string]>;

/** The same engine on this thread: each lint answered at once (nothing can queue behind it). */
class InThreadLinter {
  private readonly engine = new AnalysisEngine();
  private readonly received = new Map<string, DeltaDecoder>();

  setCatalog(catalog: Catalog | undefined): void {
    this.engine.accept({ type: 'catalog', catalog });
  }

  update(file: string, text: string): void {
    this.engine.accept({ type: 'update', file, text });
  }

  remove(file: string): void {
    this.engine.accept({ type: 'remove', file });
  }

  forget(file: string): void {
    this.received.delete(file);
    this.engine.accept({ type: 'forget', file });
  }

  lint(file: string, text: string, severity: SeverityConfig): Promise<LintOutcome> {
    this.engine.accept({ type: 'lint', id: 0, file, text, severity });
    let decoder = this.received.get(file);
    if (decoder === undefined) this.received.set(file, (decoder = new DeltaDecoder()));
    const parts = decoder;
    let reply: AnalysisReply | undefined;
    this.engine.drain((r) => {
      if (r.type === 'part') parts.accept(r.part);
      else reply = r;
    });
    if (reply?.type === 'linted') {
      const replied = epochNow();
      const result = reply.result === undefined ? undefined : decoder.decode(reply.result);
      const timing = { worker: reply.marks, host: { sent: reply.marks.received, replied, decoded: epochNow() } };
      return Promise.resolve({ kind: 'linted', result, workerMs: reply.ms, timing });
    }
    if (reply?.type === 'failed') return Promise.reject(new AnalysisWorkerError(`the analysis failed: ${reply.message}`));
    return Promise.resolve({ kind: 'superseded' });
  }

  async dispose(): Promise<void> {}
}

export class DocumentLinter {
  private backend: AnalysisWorkerClient | InThreadLinter;
  private catalog: Catalog | undefined;
  private restarts = 0;
  /** Bumped whenever another catalog is sent: an analysis made from the previous one is stale. */
  catalogGeneration = 0;

  constructor(
    private readonly log: Log,
    private readonly files: Files,
    private readonly workerFile = analysisWorkerPath(),
  ) {
    this.backend = this.start();
  }

  private start(): AnalysisWorkerClient | InThreadLinter {
    if (this.workerFile === undefined || this.restarts > MAX_RESTARTS) return new InThreadLinter();
    return new AnalysisWorkerClient(this.workerFile);
  }

  /** Sends `catalog` when it is another one than last sent (once per catalog and target, never per lint). */
  useCatalog(catalog: Catalog | undefined): void {
    if (catalog === this.catalog) return;
    this.catalog = catalog;
    this.catalogGeneration++;
    this.backend.setCatalog(catalog);
  }

  fileChanged(file: string, text: string | undefined): void {
    if (text === undefined) this.backend.remove(file);
    else this.backend.update(file, text);
  }

  /** The document is closed: its last lint is no longer held on either side. */
  forget(file: string): void {
    this.backend.forget(file);
  }

  /** The document's lint and its hops (timing.ts), 'superseded' when a newer lint of it was asked meanwhile. */
  async lint(
    file: string,
    text: string,
    severity: SeverityConfig,
  ): Promise<{ lint: DocumentLint | undefined; timing: LintTiming } | 'superseded' | undefined> {
    try {
      const outcome = await this.backend.lint(file, text, severity);
      return outcome.kind === 'superseded' ? 'superseded' : { lint: outcome.result, timing: outcome.timing };
    } catch (error) {
      const backend = this.backend;
      if (!(backend instanceof AnalysisWorkerClient) || backend.failed === undefined) {
        this.log.error(`Could not analyse ${file}`, error);
        return undefined;
      }
      this.restart(backend.failed);
      return this.lint(file, text, severity);
    }
  }

  /** A new worker (or, past the limit, this thread) with the catalog and every file the index holds. */
  private restart(reason: AnalysisWorkerError): void {
    this.restarts++;
    this.log.error(
      this.restarts > MAX_RESTARTS
        ? 'The analysis worker failed again; analysing on the extension host from now on'
        : 'The analysis worker failed; restarting it',
      reason,
    );
    void this.backend.dispose();
    this.backend = this.start();
    this.backend.setCatalog(this.catalog);
    for (const [file, text] of this.files()) this.backend.update(file, text);
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}
