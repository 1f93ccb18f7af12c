/**
 * The analysis worker's state and queue: the workspace index, the catalog of the current generation, and the lint
 * requests waiting their turn. Pure of threads (worker.ts wires it to the port), so tests drive it directly.
 */
import { portableAnalysis } from '../core/analyze/portable.js';
import type { Catalog } from '../core/catalog.js';
import { lint, type LintPhase } from '../core/lint/lint.js';
import { WorkspaceIndex } from '../core/lint/workspace-index.js';
import { DeltaEncoder, splitDelta, type DocumentDelta } from './delta.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';
import { epochNow, type WorkerMarks } from './timing.js';

type LintRequest = Extract<AnalysisRequest, { type: 'lint' }>;

/** Thrown between a lint's phases when a newer lint of the same file has arrived: the rest is not run. */
class Superseded extends Error {
  override readonly name = 'Superseded';
}

export class AnalysisEngine {
  private readonly index = new WorkspaceIndex();
  private catalog: Catalog | undefined;
  private readonly queue: AnalysisRequest[] = [];
  /** Per document, what the host holds of its last lint. */
  private readonly sent = new Map<string, DeltaEncoder>();
  /** When each queued lint arrived (epoch ms), and the thread's garbage collection so far then. */
  private readonly arrivals = new Map<number, number>();

  /** Reads the requests that arrived meanwhile into the queue (set by drain). */
  private takeArrived = (): void => undefined;

  private newerLintOf(file: string): boolean {
    this.takeArrived();
    return this.queue.some((r) => r.type === 'lint' && r.file === file);
  }

  /** `collected`: the thread's garbage collections observed since last asked (worker.ts), for the timing marks. */
  constructor(private readonly collected: () => Array<[start: number, ms: number]> = () => []) {}

  /** Queues a request; `drain` answers them. Catalog and file changes apply in order with the lints around them. */
  accept(request: AnalysisRequest, at = epochNow()): void {
    if (request.type === 'lint') this.arrivals.set(request.id, at);
    this.queue.push(request);
  }

  get pending(): number {
    return this.queue.length;
  }

  /**
   * Answers every queued request in order. A lint with a newer lint of the same file behind it is skipped: typing
   * faster than the analysis runs costs one analysis, of the newest text. `arrived` returns a request that came in
   * meanwhile (the worker reads its port synchronously), asked before each lint so a superseded one is not run, and
   * between a lint's phases (scan, analysis, rules, delta) so one superseded while it runs stops there.
   */
  drain(reply: (r: AnalysisReply) => void, arrived: () => AnalysisRequest | undefined = () => undefined): void {
    const takeArrived = (): void => {
      for (let r = arrived(); r !== undefined; r = arrived()) this.accept(r);
    };
    this.takeArrived = takeArrived;
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
          if (this.newerLintOf(request.file)) reply({ id: request.id, type: 'superseded' });
          else this.lint(request, reply);
          break;
      }
    }
  }

  /** Replies to one lint: a large delta's entries in parts first, then the lint itself (the host decodes them in order). */
  private lint(request: LintRequest, reply: (r: AnalysisReply) => void): void {
    const start = epochNow();
    const received = this.arrivals.get(request.id) ?? start;
    this.arrivals.delete(request.id);
    const marks: WorkerMarks = {
      received,
      start,
      update: start,
      scan: start,
      analyze: start,
      rules: start,
      portable: start,
      encoded: start,
      posted: start, // set when posted (worker.ts)
      parts: 0,
      entries: 0,
      gc: [],
    };
    let delta: DocumentDelta | undefined;
    try {
      delta = this.lintDocument(request, marks);
    } catch (error) {
      if (error instanceof Superseded) {
        reply({ id: request.id, type: 'superseded' });
        return;
      }
      reply({ id: request.id, type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return;
    }
    marks.gc = this.collected();
    if (delta === undefined) {
      reply({ id: request.id, type: 'linted', result: undefined, ms: epochNow() - start, marks });
      return;
    }
    const { parts, last } = splitDelta(delta);
    const added = delta.added;
    marks.parts = parts.length;
    marks.entries = added.sites.length + added.transactions.length + added.findings.length + added.problems.length;
    for (const part of parts) reply({ id: request.id, type: 'part', part });
    reply({ id: request.id, type: 'linted', result: last, ms: epochNow() - start, marks });
  }

  private lintDocument(request: LintRequest, marks: WorkerMarks): DocumentDelta | undefined {
    const file = { file: request.file, text: request.text };
    const phaseEnded = (phase: LintPhase): void => {
      marks[phase] = epochNow();
      // A newer version of the document arrived while this one runs: its answer would be thrown away.
      if (this.newerLintOf(request.file)) throw new Superseded();
    };
    const linted = lint([file], { catalog: this.catalog, index: this.index, severity: request.severity, phaseEnded });
    if (!linted.analysis.scans.some((s) => s.file === file.file)) return undefined;
    let encoder = this.sent.get(request.file);
    if (encoder === undefined) this.sent.set(request.file, (encoder = new DeltaEncoder()));
    const portable = portableAnalysis(linted.analysis);
    marks.portable = epochNow();
    const delta = encoder.encode({ analysis: portable, findings: linted.findings, problems: linted.problems });
    marks.encoded = epochNow();
    return delta;
  }
}
