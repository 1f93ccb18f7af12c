/**
 * Prisma Client: `prisma.order.findMany({ where, include })`, writes, `$queryRaw` and friends. The table comes from a
 * scanned schema.prisma (@@map) through the model index, else it is the model name Prisma derives from the accessor
 * ("orderItem" → "OrderItem").
 */
import type { Node } from 'web-tree-sitter';
import type { FileModels } from './models.js';
import { fromImports, type Outcome, type Recognizer } from './recognizer.js';
import { capitalise, objectEntries, objectProp, singularize, stringValue, unwrap, type Chain } from './syntax.js';

const ACTIONS: Record<string, 'select' | 'insert' | 'update' | 'delete'> = {
  findMany: 'select',
  findUnique: 'select',
  findFirst: 'select',
  findUniqueOrThrow: 'select',
  findFirstOrThrow: 'select',
  count: 'select',
  aggregate: 'select',
  groupBy: 'select',
  create: 'insert',
  createMany: 'insert',
  createManyAndReturn: 'insert',
  upsert: 'insert',
  update: 'update',
  updateMany: 'update',
  updateManyAndReturn: 'update',
  delete: 'delete',
  deleteMany: 'delete',
};

const RAW = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe']);
const LOGICAL = new Set(['AND', 'OR', 'NOT']);
const NESTED_WRITES = new Set(['create', 'connect', 'connectOrCreate', 'upsert', 'disconnect', 'createMany', 'updateMany', 'deleteMany']);
const GENERIC_CLIENTS = new Set(['db', 'client', 'tx', 'trx', 'prismaTx', 'this']);

function isClient(name: string, models: FileModels): boolean {
  if (/prisma/i.test(name)) return true;
  const prismaFile = fromImports(models, /prisma/i);
  return prismaFile && (GENERIC_CLIENTS.has(name) || models.transactionNames.has(name));
}

/** `where: { status, id: { in: ids } }` → ["status", "id"]; relation filters and AND/OR are not columns. */
export function whereColumns(where: Node | undefined): { columns: string[]; unknown: boolean } {
  if (where === undefined) return { columns: [], unknown: false };
  const columns: string[] = [];
  let unknown = unwrap(where).type !== 'object';
  for (const e of objectEntries(where)) {
    const value = e.value === undefined ? undefined : unwrap(e.value);
    const relationFilter =
      value?.type === 'object' && objectEntries(value).some((v) => ['some', 'every', 'none', 'is', 'isNot'].includes(v.key));
    if (LOGICAL.has(e.key) || relationFilter) unknown = true;
    else columns.push(e.key);
  }
  return { columns, unknown: unknown && columns.length === 0 };
}

function dataColumns(data: Node | undefined): string[] {
  return objectEntries(data)
    .filter(
      (e) => !(e.value !== undefined && unwrap(e.value).type === 'object' && objectEntries(e.value).some((v) => NESTED_WRITES.has(v.key))),
    )
    .map((e) => e.key);
}

/** Relations named in `include`/`select` with a nested selection: loaded by extra queries unless joined. */
function includedRelations(options: Node | undefined): string[] {
  const include = objectEntries(objectProp(options, 'include')).map((e) => e.key);
  const select = objectEntries(objectProp(options, 'select'))
    .filter((e) => e.value !== undefined && unwrap(e.value).type === 'object')
    .map((e) => e.key);
  return [...include, ...select];
}

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  const links = chain.links;
  const last = links[links.length - 1];
  if (last === undefined || last.args === undefined) return undefined;
  const receiver = links[links.length - 2];
  if (RAW.has(last.name) && receiver !== undefined && isClient(receiver.name, models))
    return { kind: 'raw', origin: 'prisma', sql: last.args[0] };
  const action = ACTIONS[last.name];
  const model = links[links.length - 2];
  const client = links[links.length - 3];
  if (action === undefined || model === undefined || client === undefined || model.args !== undefined || model.name.startsWith('$'))
    return undefined;
  if (!isClient(client.name, models)) return undefined;
  const options = last.args[0];
  const where = whereColumns(objectProp(options, 'where'));
  const relations = includedRelations(options);
  const joined = stringValue(objectProp(options, 'relationLoadStrategy')) === 'join';
  // schema.prisma, when scanned, names the table (@@map); otherwise Prisma's default: the model name.
  const declared = models.prismaModels?.get(capitalise(model.name));
  const table = declared?.table ?? capitalise(model.name);
  const relatedTable = (r: string): string => {
    const target = declared?.relations.get(r);
    return (target === undefined ? undefined : models.prismaModels?.get(target)?.table) ?? capitalise(singularize(r));
  };
  const query = {
    action,
    table,
    filterColumns: where.columns,
    filteredUnknown: where.unknown,
    ...(action === 'update' ? { setColumns: dataColumns(objectProp(options, 'data')) } : {}),
    ...(last.name === 'count' ? { count: true } : {}),
    ...(last.name.startsWith('findFirst') ? { limit: 1 } : {}),
    ...(joined && relations.length > 0 ? { joins: relations.map(relatedTable) } : {}),
  };
  const note = relations.length > 0 && !joined ? `include ${relations.join(', ')}: separate queries` : undefined;
  return {
    kind: 'orm',
    origin: 'prisma',
    query,
    confidence: declared !== undefined ? 'likely' : 'guess',
    ...(note !== undefined ? { note } : {}),
  };
}

export const prismaRecognizer: Recognizer = { origin: 'prisma', recognize };

/** Does a function around `node` take a parameter of this name (`async (tx) => …`, `f(prisma: TransactionClient)`)? */
function isParameter(node: Node, name: string): boolean {
  for (let a = node.parent; a !== null; a = a.parent) {
    const params = a.childForFieldName('parameters') ?? (a.type === 'arrow_function' ? a.childForFieldName('parameter') : null);
    if (params === null) continue;
    if (params.type === 'identifier' ? params.text === name : params.descendantsOfType('identifier').some((i) => i?.text === name))
      return true;
  }
  return false;
}

/**
 * Is the call on Prisma's root client (`this.prisma.user.delete(…)`, a module's `prisma`), not a transaction client
 * (`tx.user.delete(…)`, a parameter)? The root client runs each query on a pooled connection, in no transaction.
 */
export function onRootClient(chain: Chain, models: FileModels): boolean {
  const links = chain.links;
  const last = links[links.length - 1];
  const at = last !== undefined && RAW.has(last.name) ? links.length - 2 : links.length - 3;
  const client = links[at];
  if (client === undefined || !/prisma/i.test(client.name) || /tx|trx|transaction/i.test(client.name)) return false;
  if (models.transactionNames.has(client.name)) return false;
  if (at === 1) return links[0]?.name === 'this';
  return at === 0 && !isParameter(chain.top, client.name);
}
