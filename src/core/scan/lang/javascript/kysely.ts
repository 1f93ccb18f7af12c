/**
 * Kysely: `db.selectFrom('orders').where(…).forUpdate().skipLocked().execute()`, `insertInto`, `updateTable`,
 * `deleteFrom`; `sql`…`.execute(db)`; `trx.savepoint('sp')` on controlled transactions. A query runs at its
 * `execute*()` terminal, so a builder without one is no site.
 */
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import type { FileModels } from './models.js';
import type { Outcome, Recognizer } from './recognizer.js';
import { bareColumn, bareTable, named, objectKeys, stringValue, unwrap, type Chain } from './syntax.js';

const ROOTS: Record<string, OrmQuery['action']> = {
  selectFrom: 'select',
  insertInto: 'insert',
  replaceInto: 'insert',
  updateTable: 'update',
  deleteFrom: 'delete',
  mergeInto: 'update',
};
const TERMINALS = new Set(['execute', 'executeTakeFirst', 'executeTakeFirstOrThrow', 'stream']);
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'innerJoinLateral', 'leftJoinLateral', 'crossJoin']);
const FILTERS = new Set(['where', 'whereRef', 'orWhere']);
const STRENGTH: Record<string, SiteRowLock['strength']> = {
  forUpdate: 'update',
  forShare: 'share',
  forNoKeyUpdate: 'no-key-update',
  forKeyShare: 'key-share',
};

function recognize(chain: Chain, _models: FileModels): Outcome | undefined {
  const links = chain.links;
  const runs = links.some((l) => TERMINALS.has(l.name) && l.args !== undefined);
  const root = links[0];
  // sql`…`.execute(db)
  if (root?.name === 'sql' && root.args?.[0]?.type === 'template_string' && links[1]?.name === 'execute')
    return { kind: 'raw', origin: 'kysely', sql: root.args[0] };
  const savepoint = links.find((l) => l.name === 'savepoint' && stringValue(l.args?.[0]) !== undefined);
  if (savepoint !== undefined && runs) return { kind: 'savepoint', label: `savepoint('${stringValue(savepoint.args?.[0]) ?? ''}')` };
  const start = links.findIndex((l) => ROOTS[l.name] !== undefined && l.args !== undefined);
  if (start < 1) return undefined;
  if (!runs) return { kind: 'none' };
  const startLink = links[start];
  const action = ROOTS[startLink?.name ?? ''] ?? 'select';
  const from = startLink?.args?.[0] === undefined ? undefined : unwrap(startLink.args[0]);
  const tableText =
    from === undefined ? undefined : (stringValue(from) ?? (from.type === 'array' ? stringValue(named(from)[0]) : undefined));
  if (tableText === undefined) return undefined;
  const joins: string[] = [];
  const filters: string[] = [];
  let setColumns: string[] = [];
  let strength: SiteRowLock['strength'] | undefined;
  let waitPolicy: SiteRowLock['waitPolicy'] = 'block';
  for (const l of links.slice(start + 1)) {
    const arg = l.args?.[0];
    if (JOINS.has(l.name)) {
      const joined = stringValue(arg);
      if (joined !== undefined) joins.push(bareTable(joined));
    } else if (FILTERS.has(l.name)) {
      const column = stringValue(arg);
      if (column !== undefined) filters.push(bareColumn(column));
    } else if (l.name === 'set') setColumns = objectKeys(arg);
    else if (STRENGTH[l.name] !== undefined) strength = STRENGTH[l.name];
    else if (l.name === 'skipLocked') waitPolicy = 'skip-locked';
    else if (l.name === 'noWait') waitPolicy = 'nowait';
  }
  const filteredUnknown = filters.length === 0 && links.some((l) => FILTERS.has(l.name));
  const query: OrmQuery = {
    action,
    table: bareTable(tableText),
    joins,
    filterColumns: [...new Set(filters)],
    filteredUnknown,
    setColumns,
    ...(strength !== undefined ? { rowLock: { strength, waitPolicy } } : {}),
  };
  return { kind: 'orm', origin: 'kysely', query, confidence: 'likely' };
}

export const kyselyRecognizer: Recognizer = { origin: 'kysely', recognize };
