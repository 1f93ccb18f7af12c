/**
 * A worker thread of `lockscope scan`'s pool (scan-pool.ts; bundled as dist/scan-worker.js): loads the grammars and
 * the SQL parser once, then reads, parses and extracts the batches of files it is sent, replying with compact
 * results (models; encoded scans, their buffers transferred, not copied). Trees and texts die with each file.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadSqlParser } from '../core/sql/index.js';
import { loadGrammarFiles } from '../db/grammar-files.js';
import { ScanCache } from './scan-cache.js';
import { declareFile, FileScanner } from './scan-jobs.js';
import type { PoolReply, PoolRequest, ScanWorkerData } from './scan-pool-protocol.js';

const port = parentPort;
if (port === null) throw new Error('scan-worker.ts runs as a worker thread (scan-pool.ts starts it)');

const data = workerData as ScanWorkerData;
const reply = (message: PoolReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
const cache =
  data.cacheDir === undefined ? undefined : new ScanCache(data.cacheDir, data.version, (message) => reply({ type: 'note', message }));
const ready = Promise.all([loadSqlParser(), loadGrammarFiles()]);
let scanner: FileScanner | undefined;

function handle(request: PoolRequest): void {
  switch (request.type) {
    case 'declare':
      reply({ type: 'declared', batch: request.batch, results: request.files.map((f) => declareFile(f, data.version, cache)) });
      return;
    case 'models':
      scanner = new FileScanner(request.models, request.fingerprint, data.version, cache);
      return;
    case 'scan': {
      if (scanner === undefined) throw new Error('scan before models');
      const active = scanner;
      // Each result's own buffer moves to the main thread (a pooled Buffer's slab would be copied whole: sliced).
      const owned = request.files.map(({ file, key }) => {
        const { bytes, cached } = active.scanEncoded(file, key);
        return { file, bytes: ownBuffer(bytes), cached };
      });
      reply(
        { type: 'scanned', batch: request.batch, results: owned },
        owned.map((r) => r.bytes.buffer as ArrayBuffer),
      );
      return;
    }
  }
}

/** The bytes in an ArrayBuffer of their own (transferable without taking a shared pool's other contents along). */
function ownBuffer(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

port.on('message', (request: PoolRequest) => {
  ready.then(
    () => {
      try {
        handle(request);
      } catch (error) {
        reply({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    },
    (error: unknown) => reply({ type: 'failed', message: `the scan worker could not load its parsers: ${String(error)}` }),
  );
});
