/**
 * Knex: `knex('orders').where(…).forUpdate().skipLocked()`, inserts/updates/deletes, joins, `knex.raw(sql)`. Knex
 * builders are lazy: a site is where the builder is awaited or returned (or run by `.then()`).
 */
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import type { FileModels } from './models.js';
import { fromImports, type Outcome, type Recognizer } from './recognizer.js';
import { bareColumn, bareTable, executes, objectKeys, stringValue, type Chain } from './syntax.js';

const GENERIC = new Set(['db', 'trx', 'tx', 'conn', 'database', 'k']);
const FILTERS = new Set([
  'where',
  'andWhere',
  'orWhere',
  'whereIn',
  'whereNot',
  'whereNotIn',
  'whereNull',
  'whereNotNull',
  'whereBetween',
  'andWhereIn',
  'orWhereIn',
]);
const JOINS = new Set(['join', 'innerJoin', 'leftJoin', 'leftOuterJoin', 'rightJoin', 'rightOuterJoin', 'fullOuterJoin', 'crossJoin']);
const STRENGTH: Record<string, SiteRowLock['strength']> = {
  forUpdate: 'update',
  forShare: 'share',
  forNoKeyUpdate: 'no-key-update',
  forKeyShare: 'key-share',
};
const NOT_QUERIES = new Set([
  'schema',
  'transaction',
  'transactionProvider',
  'fn',
  'ref',
  'destroy',
  'migrate',
  'seed',
  'client',
  'on',
  'with',
]);

export function isKnexClient(name: string, models: FileModels): boolean {
  if (/knex/i.test(name)) return true;
  const def = models.builders.get(name)?.links[0]?.name;
  if (def !== undefined && /^knex$/i.test(def)) return true;
  const knexFile = fromImports(models, /^knex$/) || [...models.builders.values()].some((c) => /^knex$/i.test(c.links[0]?.name ?? ''));
  return knexFile && (GENERIC.has(name) || models.transactionNames.has(name));
}

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  const links = chain.links;
  const c = links.findIndex((l) => l.name !== 'this' && isKnexClient(l.name, models));
  if (c < 0 || (c > 0 && links[0]?.name !== 'this')) return undefined;
  const client = links[c];
  if (client === undefined) return undefined;
  const rest = links.slice(c + 1);
  const next = rest[0];
  if (next !== undefined && NOT_QUERIES.has(next.name)) return { kind: 'none' };
  if (next?.name === 'raw' && client.args === undefined)
    return executes(chain.top) ? { kind: 'raw', origin: 'knex', sql: next.args?.[0] } : { kind: 'none' };
  if (client.args === undefined && next === undefined) return undefined;
  let table = stringValue(client.args?.[0]);
  if (client.args !== undefined && table === undefined) return undefined; // knex(config) creates a client
  let action: OrmQuery['action'] = 'select';
  const joins: string[] = [];
  const filters: string[] = [];
  let setColumns: string[] = [];
  let strength: SiteRowLock['strength'] | undefined;
  let waitPolicy: SiteRowLock['waitPolicy'] = 'block';
  let count = false;
  let limit: number | undefined;
  let then = false;
  for (const l of rest) {
    if (l.args === undefined) return undefined; // a property access (`.client`): not a builder chain
    const arg = l.args[0];
    if (l.name === 'from' || l.name === 'table' || l.name === 'into' || l.name === 'queryBuilder') table = stringValue(arg) ?? table;
    else if (l.name === 'insert' || l.name === 'upsert') action = 'insert';
    else if (l.name === 'update' || l.name === 'increment' || l.name === 'decrement') {
      action = 'update';
      setColumns = stringValue(arg) !== undefined ? [stringValue(arg) ?? ''] : objectKeys(arg);
    } else if (l.name === 'del' || l.name === 'delete') action = 'delete';
    else if (FILTERS.has(l.name)) {
      const column = stringValue(arg);
      filters.push(...(column !== undefined ? [bareColumn(column)] : objectKeys(arg)));
    } else if (JOINS.has(l.name)) {
      const joined = stringValue(arg);
      if (joined !== undefined) joins.push(bareTable(joined));
    } else if (STRENGTH[l.name] !== undefined) strength = STRENGTH[l.name];
    else if (l.name === 'skipLocked') waitPolicy = 'skip-locked';
    else if (l.name === 'noWait') waitPolicy = 'nowait';
    else if (l.name === 'count') count = true;
    else if (l.name === 'first') limit = 1;
    else if (l.name === 'then' || l.name === 'catch' || l.name === 'asCallback') then = true;
  }
  if (table === undefined) return undefined;
  if (!then && !executes(chain.top)) return { kind: 'none' };
  const filterUnknown = filters.length === 0 && rest.some((l) => FILTERS.has(l.name));
  const query: Omit<OrmQuery, 'table'> = {
    action,
    joins,
    filterColumns: [...new Set(filters)],
    filteredUnknown: filterUnknown,
    setColumns,
    ...(count ? { count } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(strength !== undefined ? { rowLock: { strength, waitPolicy } } : {}),
  };
  return { kind: 'orm', origin: 'knex', query: { ...query, table: bareTable(table) }, confidence: 'likely' };
}

export const knexRecognizer: Recognizer = { origin: 'knex', recognize };
