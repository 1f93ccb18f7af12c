/**
 * Entry of the analysis worker thread (bundled as dist/analysis-worker.js): parsing, scanning, prediction and rules
 * run here, so the extension host's thread only maps results to hovers, lenses and diagnostics.
 */
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { loadSqlParser } from '../core/sql/index.js';
import { loadGrammarFiles } from '../db/grammar-files.js';
import { AnalysisEngine } from './engine.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';

const engine = new AnalysisEngine();
const ready = Promise.all([loadSqlParser(), loadGrammarFiles()]);
let scheduled = false;

const send = (reply: AnalysisReply): void => parentPort?.postMessage(reply);

/** A request already in the port, read without waiting for its event (so a superseded lint is skipped, not run). */
function arrived(): AnalysisRequest | undefined {
  if (parentPort === null) return undefined;
  const message = receiveMessageOnPort(parentPort);
  return message === undefined ? undefined : (message.message as AnalysisRequest);
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    engine.drain(send, arrived);
  });
}

parentPort?.on('message', (request: AnalysisRequest) => {
  engine.accept(request);
  void ready.then(schedule, (error: unknown) => {
    // Without the parser or the grammars nothing can be answered: every lint fails with the reason.
    if (request.type === 'lint')
      send({ id: request.id, type: 'failed', message: `the analysis worker could not load its parsers: ${String(error)}` });
  });
});
