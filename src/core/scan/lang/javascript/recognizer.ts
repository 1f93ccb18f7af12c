/** What an ORM recognizer reports for one call chain, and the file facts it reads to decide. */
import type { Node } from 'web-tree-sitter';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteOrigin, SiteRowLock } from '../../types.js';
import type { FileModels, TableRef } from './models.js';
import type { Substitute } from './raw-sql.js';
import type { Chain } from './syntax.js';

export type Outcome =
  /** An ORM call whose SQL Lockscope writes. */
  | { kind: 'orm'; origin: SiteOrigin; query: OrmQuery; confidence: 'likely' | 'guess'; note?: string }
  /** Raw SQL handed to the ORM or driver. */
  | { kind: 'raw'; origin: SiteOrigin; sql: Node | undefined; substitute?: Substitute }
  /** An explicit savepoint API (`trx.savepoint('sp')`). */
  | { kind: 'savepoint'; label: string }
  /** Recognized as this ORM, but issues no query here (a builder, `repo.create()`). */
  | { kind: 'none' };

export interface Recognizer {
  origin: SiteOrigin;
  /** The ORM this recognizer reads; each checks imports/declarations itself before trusting generic receiver names. */
  recognize(chain: Chain, models: FileModels): Outcome | undefined;
}

export const fromImports = (models: FileModels, pattern: RegExp): boolean => [...models.imports].some((i) => pattern.test(i));

export function tableOutcome(origin: SiteOrigin, ref: TableRef, query: Omit<OrmQuery, 'table'>, note?: string): Outcome {
  return {
    kind: 'orm',
    origin,
    query: { ...query, table: ref.table },
    confidence: ref.confidence,
    ...(note !== undefined ? { note } : {}),
  };
}

export const LOCK_STRENGTHS: Record<string, SiteRowLock['strength']> = {
  update: 'update',
  forupdate: 'update',
  'no key update': 'no-key-update',
  nokeyupdate: 'no-key-update',
  fornokeyupdate: 'no-key-update',
  share: 'share',
  forshare: 'share',
  'key share': 'key-share',
  keyshare: 'key-share',
  forkeyshare: 'key-share',
};
