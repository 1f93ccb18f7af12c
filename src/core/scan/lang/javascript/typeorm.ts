/**
 * TypeORM: repository and EntityManager methods (`repo.findOne({ where, relations, lock })`, `manager.update(Order, …)`),
 * query builders up to their terminal (`.setLock('pessimistic_write').getOne()`), and `manager.query(sql)`.
 */
import type { Node } from 'web-tree-sitter';
import { snakeCase } from '../../orm/naming.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import type { FileModels, TableRef } from './models.js';
import { fromImports, type Outcome, type Recognizer } from './recognizer.js';
import {
  bareColumn,
  capitalise,
  named,
  objectEntries,
  objectKeys,
  objectProp,
  singularize,
  stringValue,
  unwrap,
  type Chain,
  type Link,
} from './syntax.js';

type Action = OrmQuery['action'] | 'save' | 'none';

const OPS: Record<string, Action> = {
  find: 'select',
  findBy: 'select',
  findOne: 'select',
  findOneBy: 'select',
  findOneOrFail: 'select',
  findOneByOrFail: 'select',
  findAndCount: 'select',
  findAndCountBy: 'select',
  count: 'select',
  countBy: 'select',
  exist: 'select',
  exists: 'select',
  existsBy: 'select',
  sum: 'select',
  average: 'select',
  minimum: 'select',
  maximum: 'select',
  findByIds: 'select',
  insert: 'insert',
  upsert: 'insert',
  save: 'save',
  update: 'update',
  increment: 'update',
  decrement: 'update',
  softDelete: 'update',
  restore: 'update',
  softRemove: 'update',
  delete: 'delete',
  remove: 'delete',
  create: 'none',
  merge: 'none',
  getId: 'none',
  hasId: 'none',
};
// The argument is the WHERE object itself.
const WHERE_ARG = new Set(['findBy', 'findOneBy', 'findOneByOrFail', 'findAndCountBy', 'countBy', 'existsBy']);
const TERMINALS = new Set([
  'getOne',
  'getMany',
  'getOneOrFail',
  'getRawOne',
  'getRawMany',
  'getCount',
  'getManyAndCount',
  'getRawAndEntities',
  'execute',
  'stream',
  'getExists',
]);
const JOINS = new Set([
  'leftJoinAndSelect',
  'innerJoinAndSelect',
  'leftJoin',
  'innerJoin',
  'leftJoinAndMapOne',
  'leftJoinAndMapMany',
  'innerJoinAndMapOne',
  'innerJoinAndMapMany',
]);
const LOCK_MODES: Record<string, SiteRowLock> = {
  pessimistic_read: { strength: 'share', waitPolicy: 'block' },
  pessimistic_write: { strength: 'update', waitPolicy: 'block' },
  pessimistic_partial_write: { strength: 'update', waitPolicy: 'skip-locked' },
  pessimistic_write_or_fail: { strength: 'update', waitPolicy: 'nowait' },
  for_no_key_update: { strength: 'no-key-update', waitPolicy: 'block' },
  for_key_share: { strength: 'key-share', waitPolicy: 'block' },
};
const MANAGER = /(^|[^a-z])(manager|entityManager|em)$|Manager$/;

const typeormFile = (m: FileModels): boolean => m.typeormEntities.size > 0 || fromImports(m, /typeorm/);

export function entityTable(entity: string, models: FileModels): TableRef {
  return models.typeormEntities.get(entity) ?? { table: snakeCase(entity), confidence: 'guess' };
}

function lockOf(mode: string | undefined, onLocked: string | undefined): SiteRowLock | undefined {
  const lock = mode === undefined ? undefined : LOCK_MODES[mode];
  if (lock === undefined) return undefined;
  const wait = onLocked === 'nowait' ? 'nowait' : onLocked === 'skip_locked' ? 'skip-locked' : lock.waitPolicy;
  return { ...lock, waitPolicy: wait };
}

/** `relations: ['items', 'items.product']` or `{ items: { product: true } }` → relation paths. */
function relationPaths(relations: Node | undefined): string[][] {
  if (relations === undefined) return [];
  const paths: string[][] = [];
  const r = unwrap(relations);
  if (r.type === 'array') for (const e of named(r)) paths.push((stringValue(e) ?? '').split('.').filter((s) => s !== ''));
  const walk = (node: Node | undefined, prefix: string[]): void => {
    for (const e of objectEntries(node)) {
      paths.push([...prefix, e.key]);
      if (e.value !== undefined && unwrap(e.value).type === 'object') walk(e.value, [...prefix, e.key]);
    }
  };
  if (r.type === 'object') walk(r, []);
  return paths;
}

/** Tables the relation paths join: the related entity's table when declared here, else snake_case of the property. */
function relationTables(entity: string, paths: string[][], models: FileModels): string[] {
  const tables: string[] = [];
  for (const path of paths) {
    let owner = entity;
    let table = '';
    for (const prop of path) {
      const target = models.typeormRelations.get(owner)?.get(prop);
      owner = target ?? capitalise(singularize(prop));
      table = target !== undefined ? entityTable(target, models).table : snakeCase(prop);
    }
    if (table !== '' && !tables.includes(table)) tables.push(table);
  }
  return tables;
}

/** Columns compared in a query-builder condition: `'o.id = :id'` → ["id"]. */
function conditionColumns(arg: Node | undefined): string[] {
  const text = stringValue(arg);
  if (text === undefined) return objectKeys(arg);
  return [...text.matchAll(/([A-Za-z_][\w.]*)\s*(?:=|<>|!=|<=|>=|<|>|\bin\b|\bis\b|\blike\b)/gi)].map((m) => bareColumn(m[1] ?? ''));
}

function builderOutcome(chain: Chain, start: number, entity: string | undefined, models: FileModels): Outcome {
  const links = chain.links.slice(start);
  if (!links.some((l) => TERMINALS.has(l.name) && l.args !== undefined)) return { kind: 'none' };
  let action: OrmQuery['action'] = 'select';
  let target = entity;
  const joins: string[] = [];
  const filters: string[] = [];
  let setColumns: string[] = [];
  let lockMode: string | undefined;
  let onLocked: string | undefined;
  const classArg = (l: Link): string | undefined =>
    l.args?.[0] !== undefined && unwrap(l.args[0]).type === 'identifier' ? unwrap(l.args[0]).text : undefined;
  for (const l of links) {
    // createQueryBuilder('o') names an alias; createQueryBuilder(Order, 'o') and from('orders', 'o') name the table.
    if (l.name === 'createQueryBuilder') target = classArg(l) ?? target;
    if (l.name === 'from' || l.name === 'into') target = classArg(l) ?? stringValue(l.args?.[0]) ?? target;
    if (l.name === 'update' || l.name === 'delete' || l.name === 'insert') {
      action = l.name;
      target = classArg(l) ?? target;
    }
    if (l.name === 'set') setColumns = objectKeys(l.args?.[0]);
    if (l.name === 'where' || l.name === 'andWhere' || l.name === 'orWhere' || l.name === 'whereInIds')
      filters.push(...(l.name === 'whereInIds' ? ['id'] : conditionColumns(l.args?.[0])));
    if (l.name === 'setLock') lockMode = stringValue(l.args?.[0]);
    if (l.name === 'setOnLocked') onLocked = stringValue(l.args?.[0]);
    if (JOINS.has(l.name)) {
      const arg = l.args?.[0];
      const path = stringValue(arg);
      if (path !== undefined && path.includes('.')) joins.push(...relationTables(target ?? '', [path.split('.').slice(1)], models));
      else if (path !== undefined) joins.push(path);
      else if (arg !== undefined && unwrap(arg).type === 'identifier') joins.push(entityTable(unwrap(arg).text, models).table);
    }
  }
  if (target === undefined) return { kind: 'none' };
  const ref = /^[A-Z]/.test(target) ? entityTable(target, models) : { table: target, confidence: 'likely' as const };
  const lock = lockOf(lockMode, onLocked);
  const query: OrmQuery = {
    action,
    table: ref.table,
    joins,
    filterColumns: [...new Set(filters)],
    ...(action === 'update' ? { setColumns } : {}),
    ...(lock !== undefined ? { rowLock: lock } : {}),
  };
  return { kind: 'orm', origin: 'typeorm', query, confidence: ref.confidence };
}

function opOutcome(op: string, args: Node[], entity: string, models: FileModels): Outcome {
  const action = OPS[op] ?? 'none';
  if (action === 'none') return { kind: 'none' };
  const ref = entityTable(entity, models);
  const options = args[0];
  if (action === 'select') {
    const where = WHERE_ARG.has(op) ? options : objectProp(options, 'where');
    const lock = objectProp(options, 'lock');
    const rowLock = lockOf(stringValue(objectProp(lock, 'mode')), stringValue(objectProp(lock, 'onLocked')));
    const joins = relationTables(entity, relationPaths(objectProp(options, 'relations')), models);
    const query = {
      action,
      filterColumns: objectKeys(where),
      joins,
      ...(op.startsWith('count') ? { count: true } : {}),
      ...(rowLock !== undefined ? { rowLock } : {}),
    };
    return { kind: 'orm', origin: 'typeorm', query: { ...query, table: ref.table }, confidence: ref.confidence };
  }
  const criteria = options === undefined ? [] : unwrap(options).type === 'object' ? objectKeys(options) : ['id'];
  if (action === 'save') {
    const v = options === undefined ? undefined : unwrap(options);
    const fresh =
      v !== undefined &&
      (v.type === 'object' ||
        v.type === 'array' ||
        (v.type === 'call_expression' && /\.create$/.test(v.childForFieldName('function')?.text ?? '')));
    const query: OrmQuery = fresh ? { action: 'insert', table: ref.table } : { action: 'update', table: ref.table, filterColumns: ['id'] };
    return { kind: 'orm', origin: 'typeorm', query, confidence: ref.confidence };
  }
  if (action === 'update') {
    const setColumns =
      op === 'update'
        ? objectKeys(args[1])
        : op === 'softDelete' || op === 'softRemove' || op === 'restore'
          ? ['deletedAt']
          : stringValue(args[1]) !== undefined
            ? [stringValue(args[1]) ?? '']
            : [];
    return {
      kind: 'orm',
      origin: 'typeorm',
      query: { action, table: ref.table, filterColumns: op === 'softRemove' ? ['id'] : criteria, setColumns },
      confidence: ref.confidence,
    };
  }
  return {
    kind: 'orm',
    origin: 'typeorm',
    query: { action, table: ref.table, filterColumns: op === 'remove' ? ['id'] : criteria },
    confidence: ref.confidence,
  };
}

/** The entity a repository-like receiver stands for. */
function repositoryEntity(chain: Chain, index: number, models: FileModels): string | undefined {
  const receiver = chain.links[index];
  if (receiver === undefined) return undefined;
  if (receiver.name === 'getRepository' || receiver.name === 'getTreeRepository') {
    const arg = receiver.args?.[0];
    return arg !== undefined && unwrap(arg).type === 'identifier' ? unwrap(arg).text : undefined;
  }
  if (receiver.args !== undefined) return undefined;
  const known = models.repositories.get(receiver.name);
  if (known !== undefined) return known;
  if (models.typeormEntities.has(receiver.name)) return receiver.name; // BaseEntity: Order.findOneBy(…)
  const match = /^(.+?)(Repo|Repository)$/.exec(receiver.name);
  return match?.[1] !== undefined && typeormFile(models) ? capitalise(singularize(match[1])) : undefined;
}

function isManager(name: string, models: FileModels): boolean {
  return typeormFile(models) && (MANAGER.test(name) || models.transactionNames.has(name));
}

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  const links = chain.links;
  const qb = links.findIndex((l) => l.name === 'createQueryBuilder' && l.args !== undefined);
  if (qb > 0) {
    const receiverEntity = repositoryEntity(chain, qb - 1, models);
    if (
      receiverEntity !== undefined ||
      isManager(links[qb - 1]?.name ?? '', models) ||
      /dataSource|connection/i.test(links[qb - 1]?.name ?? '')
    )
      return builderOutcome(chain, qb, receiverEntity, models);
    return undefined;
  }
  const last = links[links.length - 1];
  const receiverIndex = links.length - 2;
  const receiver = links[receiverIndex];
  if (last === undefined || last.args === undefined || receiver === undefined) return undefined;
  if (
    last.name === 'query' &&
    (isManager(receiver.name, models) ||
      /queryRunner|dataSource|connection/.test(receiver.name) ||
      repositoryEntity(chain, receiverIndex, models) !== undefined)
  ) {
    return typeormFile(models) ? { kind: 'raw', origin: 'typeorm', sql: last.args[0] } : undefined;
  }
  if (OPS[last.name] === undefined) return undefined;
  const entity = repositoryEntity(chain, receiverIndex, models);
  if (entity !== undefined) return opOutcome(last.name, last.args, entity, models);
  if (isManager(receiver.name, models) && receiver.args === undefined) {
    const first = last.args[0];
    const name = first === undefined ? undefined : unwrap(first);
    if (name === undefined || name.type !== 'identifier') return undefined;
    // `manager.findOne(Order, …)` names the entity; `manager.save(order)` names an instance.
    if (/^[A-Z]/.test(name.text)) return opOutcome(last.name, last.args.slice(1), name.text, models);
    return opOutcome(last.name, last.args, capitalise(singularize(name.text)), models);
  }
  return undefined;
}

export const typeormRecognizer: Recognizer = { origin: 'typeorm', recognize };
