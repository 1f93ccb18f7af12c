/**
 * The analysis worker's state and queue: the workspace index, the catalog of the current generation, and the lint
 * requests waiting their turn. Pure of threads (worker.ts wires it to the port), so tests drive it directly.
 */
import { portableAnalysis } from '../core/analyze/portable.js';
import type { Catalog } from '../core/catalog.js';
import { lint } from '../core/lint/lint.js';
import { WorkspaceIndex } from '../core/lint/workspace-index.js';
import { DeltaEncoder, splitDelta, type DocumentDelta } from './delta.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';

type LintRequest = Extract<AnalysisRequest, { type: 'lint' }>;

export class AnalysisEngine {
  private readonly index = new WorkspaceIndex();
  private catalog: Catalog | undefined;
  private readonly queue: AnalysisRequest[] = [];
  /** Per document, what the host holds of its last lint. */
  private readonly sent = new Map<string, DeltaEncoder>();

  /** Queues a request; `drain` answers them. Catalog and file changes apply in order with the lints around them. */
  accept(request: AnalysisRequest): void {
    this.queue.push(request);
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Answers every queued request in order. A lint with a newer lint of the same file behind it is skipped: typing
   * faster than the analysis runs costs one analysis, of the newest text. `arrived` returns a request that came in
   * meanwhile (the worker reads its port synchronously), asked before each lint so a superseded one is not run.
   */
  drain(reply: (r: AnalysisReply) => void, arrived: () => AnalysisRequest | undefined = () => undefined): void {
    const takeArrived = (): void => {
      for (let r = arrived(); r !== undefined; r = arrived()) this.queue.push(r);
    };
    while (this.queue.length > 0) {
      takeArrived();
      const request = this.queue.shift();
      if (request === undefined) break;
      switch (request.type) {
        case 'catalog':
          this.catalog = request.catalog;
          break;
        case 'update':
          this.index.update(request.file, request.text);
          break;
        case 'remove':
          this.index.remove(request.file);
          break;
        case 'forget':
          this.sent.delete(request.file);
          break;
        case 'ack': // the thread's pacing of parts (worker.ts), nothing to answer
          break;
        case 'lint':
          if (this.queue.some((r) => r.type === 'lint' && r.file === request.file)) reply({ id: request.id, type: 'superseded' });
          else this.lint(request, reply);
          break;
      }
    }
  }

  /** Replies to one lint: a large delta's entries in parts first, then the lint itself (the host decodes them in order). */
  private lint(request: LintRequest, reply: (r: AnalysisReply) => void): void {
    const start = performance.now();
    let delta: DocumentDelta | undefined;
    try {
      delta = this.lintDocument(request);
    } catch (error) {
      reply({ id: request.id, type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return;
    }
    if (delta === undefined) {
      reply({ id: request.id, type: 'linted', result: undefined, ms: performance.now() - start });
      return;
    }
    const { parts, last } = splitDelta(delta);
    for (const part of parts) reply({ id: request.id, type: 'part', part });
    reply({ id: request.id, type: 'linted', result: last, ms: performance.now() - start });
  }

  private lintDocument(request: LintRequest): DocumentDelta | undefined {
    const file = { file: request.file, text: request.text };
    const linted = lint([file], { catalog: this.catalog, index: this.index, severity: request.severity });
    if (!linted.analysis.scans.some((s) => s.file === file.file)) return undefined;
    let encoder = this.sent.get(request.file);
    if (encoder === undefined) this.sent.set(request.file, (encoder = new DeltaEncoder()));
    return encoder.encode({ analysis: portableAnalysis(linted.analysis), findings: linted.findings, problems: linted.problems });
  }
}
