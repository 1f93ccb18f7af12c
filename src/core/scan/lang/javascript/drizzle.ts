/**
 * Drizzle ORM: `db.select().from(orders).where(eq(orders.status, …)).for('update', { skipLocked: true })`, writes,
 * relational queries (`db.query.orders.findMany({ with })`, one statement with lateral joins) and `db.execute(sql`…`)`.
 * Table variables map to tables through the file's `pgTable('orders', …)` declarations.
 */
import type { Node } from 'web-tree-sitter';
import { snakeCase } from '../../orm/naming.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import type { FileModels, TableRef } from './models.js';
import { fromImports, LOCK_STRENGTHS, type Outcome, type Recognizer } from './recognizer.js';
import type { Substitute } from './raw-sql.js';
import { executes, named, objectEntries, objectProp, stringValue, unwrap, type Chain } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

const GENERIC = new Set(['db', 'tx', 'trx', 'database', 'orm']);
const JOINS = new Set(['innerJoin', 'leftJoin', 'rightJoin', 'fullJoin', 'crossJoin', 'innerJoinLateral', 'leftJoinLateral']);
const RUNS = new Set(['execute', 'then', 'all', 'get', 'run', 'values']);
const NOT_RUN = new Set(['prepare', 'toSQL', 'as', 'getSQL']);
const RELATIONAL: Record<string, number | undefined> = { findMany: undefined, findFirst: 1 };

const drizzleFile = (m: FileModels): boolean => m.drizzleTables.size > 0 || fromImports(m, /drizzle-orm/);

function isClient(name: string, models: FileModels): boolean {
  return drizzleFile(models) && (GENERIC.has(name) || /drizzle/i.test(name) || models.transactionNames.has(name));
}

function tableOf(node: Node | undefined, models: FileModels): { ref: TableRef; variable: string } | undefined {
  if (node === undefined) return undefined;
  const n = unwrap(node);
  if (n.type !== 'identifier' && n.type !== 'member_expression') return undefined;
  const variable = n.text.split('.').pop() ?? n.text;
  const known = models.drizzleTables.get(variable);
  return {
    ref: known !== undefined ? { table: known.table, confidence: 'likely' } : { table: snakeCase(variable), confidence: 'guess' },
    variable,
  };
}

/** Columns a condition compares: `eq(orders.status, …)` → the column behind `orders.status`. */
function conditionColumns(where: Node | undefined, models: FileModels, tableVariables: ReadonlySet<string> = new Set()): string[] {
  if (where === undefined) return [];
  const columns: string[] = [];
  const params = new Set<string>();
  const w = unwrap(where);
  if (w.type === 'arrow_function') {
    const first = named(w.childForFieldName('parameters') ?? w)[0];
    if (first !== undefined) params.add((first.childForFieldName('pattern') ?? first).text);
  }
  for (const m of descendantsOfType(w, 'member_expression')) {
    const object = m?.childForFieldName('object');
    const property = m?.childForFieldName('property')?.text;
    if (object === null || object === undefined || property === undefined || object.type !== 'identifier') continue;
    const table = models.drizzleTables.get(object.text);
    if (table !== undefined) columns.push(table.columns.get(property) ?? property);
    else if (params.has(object.text) || tableVariables.has(object.text)) columns.push(snakeCase(property));
  }
  return [...new Set(columns)];
}

function lockOf(args: Node[] | undefined): SiteRowLock | undefined {
  const strength = LOCK_STRENGTHS[stringValue(args?.[0]) ?? ''];
  if (strength === undefined) return undefined;
  const config = args?.[1];
  const waitPolicy =
    objectProp(config, 'skipLocked')?.text === 'true' ? 'skip-locked' : objectProp(config, 'noWait')?.text === 'true' ? 'nowait' : 'block';
  return { strength, waitPolicy };
}

/** Interpolated table variables name their table; `${orders.id}` names a column. */
export function drizzleSubstitute(models: FileModels): Substitute {
  return (expression) => {
    if (expression.type === 'identifier') return models.drizzleTables.get(expression.text)?.table;
    if (expression.type === 'member_expression') {
      const table = models.drizzleTables.get(expression.childForFieldName('object')?.text ?? '');
      const property = expression.childForFieldName('property')?.text ?? '';
      return table === undefined ? undefined : (table.columns.get(property) ?? property);
    }
    return undefined;
  };
}

function relational(chain: Chain, q: number, models: FileModels): Outcome | undefined {
  const accessor = chain.links[q + 1];
  const method = chain.links[q + 2];
  if (accessor === undefined || method === undefined || !(method.name in RELATIONAL) || method.args === undefined) return undefined;
  if (!executes(chain.top) && !chain.links.some((l) => RUNS.has(l.name))) return { kind: 'none' };
  const known = models.drizzleTables.get(accessor.name);
  const ref: TableRef =
    known !== undefined ? { table: known.table, confidence: 'likely' } : { table: snakeCase(accessor.name), confidence: 'guess' };
  const options = method.args[0];
  const relations = models.drizzleRelations.get(accessor.name);
  const joins = objectEntries(objectProp(options, 'with')).map((e) => {
    const target = relations?.get(e.key);
    return (target === undefined ? undefined : models.drizzleTables.get(target)?.table) ?? snakeCase(target ?? e.key);
  });
  const limit = RELATIONAL[method.name];
  const query: OrmQuery = {
    action: 'select',
    table: ref.table,
    joins,
    filterColumns: conditionColumns(objectProp(options, 'where'), models),
    ...(limit !== undefined ? { limit } : {}),
  };
  return { kind: 'orm', origin: 'drizzle', query, confidence: ref.confidence };
}

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  const links = chain.links;
  const c = links.findIndex((l) => l.name !== 'this' && isClient(l.name, models));
  if (c < 0 || (c > 0 && links[0]?.name !== 'this') || links[c]?.args !== undefined) return undefined;
  const rest = links.slice(c + 1);
  const first = rest[0];
  if (first === undefined) return undefined;
  if (first.name === 'query' && first.args === undefined) return relational(chain, c + 1, models);
  if (first.name === 'transaction') return { kind: 'none' };
  if (first.name === 'execute') return { kind: 'raw', origin: 'drizzle', sql: first.args?.[0], substitute: drizzleSubstitute(models) };
  let action: OrmQuery['action'] | undefined;
  let target: ReturnType<typeof tableOf>;
  const joins: string[] = [];
  let filters: string[] = [];
  let setColumns: string[] = [];
  let rowLock: SiteRowLock | undefined;
  let limit: number | undefined;
  let count = false;
  // Tables the chain names (imported from a schema file): `orders.status` in a condition is their column.
  const tableVariables = new Set<string>();
  for (const l of rest) {
    if (l.args === undefined) return undefined;
    if (NOT_RUN.has(l.name)) return { kind: 'none' };
    const arg = l.args[0];
    if (arg !== undefined && unwrap(arg).type === 'identifier') tableVariables.add(unwrap(arg).text);
    if (l.name === 'select' || l.name === 'selectDistinct' || l.name === 'selectDistinctOn') action = 'select';
    else if (l.name === '$count') {
      action = 'select';
      count = true;
      target = tableOf(arg, models);
    } else if (l.name === 'insert' || l.name === 'update' || l.name === 'delete') {
      action = l.name;
      target = tableOf(arg, models);
    } else if (l.name === 'from') target = tableOf(arg, models);
    else if (JOINS.has(l.name)) {
      const joined = tableOf(arg, models);
      if (joined !== undefined) joins.push(joined.ref.table);
    } else if (l.name === 'where') filters = conditionColumns(arg, models, tableVariables);
    else if (l.name === 'set')
      setColumns = objectEntries(arg).map((e) => models.drizzleTables.get(target?.variable ?? '')?.columns.get(e.key) ?? snakeCase(e.key));
    else if (l.name === 'for') rowLock = lockOf(l.args);
    else if (l.name === 'limit') limit = Number(arg?.text);
  }
  if (action === undefined || target === undefined) return undefined;
  if (!executes(chain.top) && !rest.some((l) => RUNS.has(l.name))) return { kind: 'none' };
  const query: OrmQuery = {
    action,
    table: target.ref.table,
    joins,
    filterColumns: filters,
    setColumns,
    ...(count ? { count } : {}),
    ...(limit !== undefined && Number.isInteger(limit) ? { limit } : {}),
    ...(rowLock !== undefined ? { rowLock } : {}),
  };
  return { kind: 'orm', origin: 'drizzle', query, confidence: target.ref.confidence };
}

export const drizzleRecognizer: Recognizer = { origin: 'drizzle', recognize };
