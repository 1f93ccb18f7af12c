/** Messages between the embedded database's worker thread and the session object the caller holds. */
import type { EmbeddedOptions } from './embedded-session.js';
import type { DbErrorReason } from './errors.js';
import type { SchemaLoadReport } from './schema-loader.js';

export type WorkerRequest =
  | { id: number; type: 'open'; options: EmbeddedOptions }
  | { id: number; type: 'query'; sql: string; params: unknown[] | undefined }
  | { id: number; type: 'close' };

export type WorkerReply =
  | { id: number; ok: true; rows?: object[]; display?: string; schemaReport?: SchemaLoadReport }
  | { id: number; ok: false; reason: DbErrorReason; message: string; sqlState: string | undefined };
