/**
 * The embedded database on a worker thread: the same EmbeddedSession, but PGlite's seconds of WASM compilation,
 * initdb and schema loading happen off the caller's thread (the extension host must stay responsive). Needs the
 * bundled worker (dist/embedded-worker.js); without it (running from sources) it opens in-thread.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openEmbeddedSession, type EmbeddedOptions, type EmbeddedSession } from './embedded-session.js';
import type { WorkerReply, WorkerRequest } from './embedded-worker-protocol.js';
import { DbError } from './errors.js';
import type { SchemaLoadReport } from './schema-loader.js';
import type { SentStatement } from './session.js';

type Pending = (reply: WorkerReply) => void;
/** A request before the session numbers it (distributes over the union). */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** Path of the bundled worker next to this bundle, or undefined when not bundled. */
export function embeddedWorkerPath(): string | undefined {
  const file = typeof __dirname === 'string' ? join(__dirname, 'embedded-worker.js') : '';
  return file !== '' && existsSync(file) ? file : undefined;
}

export async function openEmbeddedSessionThreaded(
  options: EmbeddedOptions = {},
  workerFile = embeddedWorkerPath(),
): Promise<EmbeddedSession> {
  if (workerFile === undefined) return openEmbeddedSession(options);
  const worker = new Worker(workerFile);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let dead: DbError | undefined;
  const failAll = (error: DbError): void => {
    dead = error;
    for (const resolve of pending.values())
      resolve({ id: 0, ok: false, reason: error.reason, message: error.message, sqlState: undefined });
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    pending.get(reply.id)?.(reply);
    pending.delete(reply.id);
  });
  worker.on('error', (error) => failAll(new DbError('connection-lost', `The embedded database's worker failed: ${error.message}`, error)));
  worker.on('exit', (code) => failAll(new DbError('connection-lost', `The embedded database's worker exited (code ${code}).`)));

  const call = (request: Unnumbered<WorkerRequest>): Promise<WorkerReply & { ok: true }> => {
    if (dead !== undefined) return Promise.reject(dead);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, (reply) => (reply.ok ? resolve(reply) : reject(new DbError(reply.reason, reply.message, undefined, reply.sqlState))));
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  };

  let opened: WorkerReply & { ok: true };
  try {
    opened = await call({
      type: 'open',
      // Every option crosses (the cache directory too: without it the worker loaded the schema afresh each time).
      options: {
        schemaFile: options.schemaFile,
        schemaSql: options.schemaSql,
        schemaSources: options.schemaSources,
        cacheDir: options.cacheDir,
      },
    });
  } catch (error) {
    await worker.terminate();
    throw error;
  }
  let closed = false;
  return {
    kind: 'embedded',
    display: opened.display ?? 'embedded PostgreSQL 18',
    schemaReport: opened.schemaReport ?? ({ applied: 0, skipped: [] } satisfies SchemaLoadReport),
    async query<Row extends object>(sql: string, params?: readonly unknown[]): Promise<Row[]> {
      const reply = await call({ type: 'query', sql, params: params === undefined ? undefined : [...params] });
      return (reply.rows ?? []) as Row[];
    },
    async sendStatement<Row extends object>(sql: string, params?: readonly unknown[]): Promise<SentStatement<Row>> {
      const reply = await call({ type: 'statement', sql, params: params === undefined ? undefined : [...params] });
      // A worker that does not say is not trusted to be inside the transaction.
      return { rows: (reply.rows ?? []) as Row[], status: reply.status ?? 'idle' };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await call({ type: 'close' }).catch(() => undefined);
      await worker.terminate();
    },
  };
}
