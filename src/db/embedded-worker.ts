/**
 * Worker-thread side of the embedded database: PGlite compiles its WASM, runs initdb and loads the schema here, so
 * the thread that asked (the VS Code extension host) never stalls. Messages: open, query, statement, close.
 */
import { parentPort } from 'node:worker_threads';
import { openEmbeddedSession, type EmbeddedOptions, type EmbeddedSession } from './embedded-session.js';
import { DbError } from './errors.js';
import type { WorkerReply, WorkerRequest } from './embedded-worker-protocol.js';

let session: EmbeddedSession | undefined;

function errorReply(id: number, error: unknown): WorkerReply {
  const reason = error instanceof DbError ? error.reason : 'query-failed';
  return {
    id,
    ok: false,
    reason,
    message: error instanceof Error ? error.message : String(error),
    sqlState: error instanceof DbError ? error.sqlState : undefined,
  };
}

async function handle(request: WorkerRequest): Promise<WorkerReply> {
  try {
    switch (request.type) {
      case 'open':
        session = await openEmbeddedSession(request.options as EmbeddedOptions);
        return { id: request.id, ok: true, display: session.display, schemaReport: session.schemaReport };
      case 'query':
        if (session === undefined) throw new DbError('connection-lost', 'The embedded database is not open.');
        return { id: request.id, ok: true, rows: await session.query(request.sql, request.params) };
      case 'statement': {
        if (session === undefined) throw new DbError('connection-lost', 'The embedded database is not open.');
        const sent = await session.sendStatement(request.sql, request.params);
        return { id: request.id, ok: true, rows: sent.rows, status: sent.status };
      }
      case 'close':
        await session?.close();
        session = undefined;
        return { id: request.id, ok: true };
    }
  } catch (error) {
    return errorReply(request.id, error);
  }
}

parentPort?.on('message', (request: WorkerRequest) => {
  void handle(request).then((reply) => parentPort?.postMessage(reply));
});
