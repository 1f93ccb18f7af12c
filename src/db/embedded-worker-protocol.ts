/** Messages between the embedded database's worker thread and the session object the caller holds. */
import type { EmbeddedOptions } from './embedded-session.js';
import type { DbErrorReason } from './errors.js';
import type { SchemaLoadReport } from './schema-loader.js';
import type { TransactionStatus } from './session.js';

export type WorkerRequest =
  | { id: number; type: 'open'; options: EmbeddedOptions }
  | { id: number; type: 'query'; sql: string; params: unknown[] | undefined }
  /** A user's statement: sent alone, answered with the transaction status after it. */
  | { id: number; type: 'statement'; sql: string; params: unknown[] | undefined }
  | { id: number; type: 'close' };

export type WorkerReply =
  | { id: number; ok: true; rows?: object[]; status?: TransactionStatus; display?: string; schemaReport?: SchemaLoadReport }
  | { id: number; ok: false; reason: DbErrorReason; message: string; sqlState: string | undefined };
