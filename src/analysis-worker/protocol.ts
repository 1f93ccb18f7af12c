/** Messages between the extension host and the analysis worker (one request, one reply per id; catalog and files unanswered). */
import type { Catalog } from '../core/catalog.js';
import type { SeverityConfig } from '../core/rules/index.js';
import type { DeltaPart, DocumentDelta } from './delta.js';
import type { WorkerMarks } from './timing.js';

export type AnalysisRequest =
  /** The catalog predictions are made from, sent once per catalog (or target) change, never per lint. */
  | { type: 'catalog'; catalog: Catalog | undefined }
  /** A workspace file's text on disk (read, saved, created); `remove`: deleted or no longer code. */
  | { type: 'update'; file: string; text: string }
  | { type: 'remove'; file: string }
  /** The host dropped its copy of this document's lint: the next one is sent whole. */
  | { type: 'forget'; file: string }
  /** The host took a reply part in (it had a turn of its event loop since): the worker may post the next. */
  | { type: 'ack' }
  /** Lint one document's current text within the workspace. A later lint of the same file supersedes it. */
  | { type: 'lint'; id: number; file: string; text: string; severity: SeverityConfig };

export type AnalysisReply =
  /**
   * `result`: the lint as a delta against the previous one sent for this file (delta.ts); undefined when no scanner
   * reads the file (a Prisma schema, a text file). `ms`: the worker's time; `marks`: its hops (timing.ts).
   */
  | { id: number; type: 'linted'; result: DocumentDelta | undefined; ms: number; marks: WorkerMarks }
  /** Entries of the lint's delta sent ahead of it when it is large (delta.ts, splitDelta); its 'linted' reply follows. */
  | { id: number; type: 'part'; part: DeltaPart }
  /** A newer lint of the same file was queued behind it: it was skipped. */
  | { id: number; type: 'superseded' }
  | { id: number; type: 'failed'; message: string };
