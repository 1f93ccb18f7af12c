/**
 * Entry of the analysis worker thread (bundled as dist/analysis-worker.js): parsing, scanning, prediction and rules
 * run here, so the extension host's thread only maps results to hovers, lenses and diagnostics.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { parentPort, receiveMessageOnPort } from 'node:worker_threads';
import { loadSqlParser } from '../core/sql/index.js';
import { loadGrammarFiles } from '../db/grammar-files.js';
import { AnalysisEngine } from './engine.js';
import type { AnalysisReply, AnalysisRequest } from './protocol.js';
import { epochNow } from './timing.js';

/**
 * This thread's garbage collections (epoch start, ms), handed out with the next lint's marks: the observer hears of a
 * collection only after the synchronous lint it fell in, so the bench places each in its lint's window itself.
 */
let collections: Array<[number, number]> = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) collections.push([performance.timeOrigin + entry.startTime, entry.duration]);
  if (collections.length > 1000) collections = collections.slice(-1000);
}).observe({ entryTypes: ['gc'] });

const engine = new AnalysisEngine(() => {
  const taken = collections;
  collections = [];
  return taken;
});
const ready = Promise.all([loadSqlParser(), loadGrammarFiles()]);
let scheduled = false;

/**
 * Replies in order, one part of a large lint at a time: the next is posted when the host acknowledges the last. Node
 * hands a thread every message already queued in one turn of its event loop, so parts posted back to back would be
 * deserialised in one stall again; acknowledged one by one, the host's loop runs between them.
 */
const outbox: AnalysisReply[] = [];
let awaitingAck = false;

function pump(): void {
  while (!awaitingAck && outbox.length > 0) {
    const reply = outbox.shift() as AnalysisReply;
    if (reply.type === 'linted') reply.marks.posted = epochNow();
    parentPort?.postMessage(reply);
    awaitingAck = reply.type === 'part';
  }
}

const send = (reply: AnalysisReply): void => {
  outbox.push(reply);
  pump();
};

function acknowledged(): void {
  awaitingAck = false;
  pump();
}

/** A request already in the port, read without waiting for its event (so a superseded lint is skipped, not run). */
function arrived(): AnalysisRequest | undefined {
  if (parentPort === null) return undefined;
  for (;;) {
    const message = receiveMessageOnPort(parentPort);
    if (message === undefined) return undefined;
    const request = message.message as AnalysisRequest;
    if (request.type !== 'ack') return request;
    acknowledged();
  }
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
  if (request.type === 'ack') {
    acknowledged();
    return;
  }
  engine.accept(request);
  void ready.then(schedule, (error: unknown) => {
    // Without the parser or the grammars nothing can be answered: every lint fails with the reason.
    if (request.type === 'lint')
      send({ id: request.id, type: 'failed', message: `the analysis worker could not load its parsers: ${String(error)}` });
  });
});
