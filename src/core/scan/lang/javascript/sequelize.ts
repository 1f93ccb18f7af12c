/**
 * Sequelize: model statics (`Order.findAll({ where, include, lock, skipLocked })`, `create`, `update`, `destroy`, also
 * after `unscoped()`/`scope(…)`), instance methods on variables holding a model's rows (`order.save()`,
 * `order.reload({ lock })`), and `sequelize.query(sql)`.
 */
import type { Node } from 'web-tree-sitter';
import { pluralize } from '../../orm/naming.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import type { FileModels, TableRef } from './models.js';
import { fromImports, type Outcome, type Recognizer } from './recognizer.js';
import { capitalise, named, objectEntries, objectKeys, objectProp, singularize, stringValue, unwrap, type Chain } from './syntax.js';

const STATIC: Record<string, OrmQuery['action']> = {
  findAll: 'select',
  findOne: 'select',
  findByPk: 'select',
  findAndCountAll: 'select',
  count: 'select',
  max: 'select',
  min: 'select',
  sum: 'select',
  findOrCreate: 'select',
  findCreateFind: 'select',
  create: 'insert',
  bulkCreate: 'insert',
  upsert: 'insert',
  update: 'update',
  increment: 'update',
  decrement: 'update',
  destroy: 'delete',
};
// Methods on a model's row: they issue SQL by primary key.
const INSTANCE: Record<string, OrmQuery['action']> = {
  save: 'update',
  update: 'update',
  destroy: 'delete',
  reload: 'select',
  increment: 'update',
  decrement: 'update',
};
const LOCK_LEVELS: Record<string, SiteRowLock['strength']> = {
  UPDATE: 'update',
  SHARE: 'share',
  KEY_SHARE: 'key-share',
  NO_KEY_UPDATE: 'no-key-update',
};

const sequelizeFile = (m: FileModels): boolean => m.sequelizeModels.size > 0 || fromImports(m, /sequelize/);

function modelTable(name: string, models: FileModels): TableRef | undefined {
  const known = models.sequelizeModels.get(name);
  if (known !== undefined) return known;
  // An imported model: the default table is the pluralized model name.
  if (/^[A-Z]/.test(name) && sequelizeFile(models) && !models.typeormEntities.has(name) && !fromImports(models, /typeorm/))
    return { table: pluralize(name), confidence: 'guess' };
  return undefined;
}

function lockOf(options: Node | undefined): SiteRowLock | undefined {
  const lock = objectProp(options, 'lock');
  if (lock === undefined || lock.text === 'false') return undefined;
  const level = objectProp(lock, 'level') ?? lock;
  const name = /([A-Z_]+)\W*$/.exec(level.text.replace(/['"`]/g, ''))?.[1];
  const strength = level.text === 'true' ? 'update' : (LOCK_LEVELS[name ?? ''] ?? 'update');
  return { strength, waitPolicy: objectProp(options, 'skipLocked')?.text === 'true' ? 'skip-locked' : 'block' };
}

/** `include: [Item, { model: Customer, include: [...] }, 'tags']` → joined tables. */
function includeTables(owner: string, include: Node | undefined, models: FileModels): string[] {
  if (include === undefined) return [];
  const n = unwrap(include);
  const items = n.type === 'array' ? named(n) : [n];
  const tables: string[] = [];
  const nested: string[] = [];
  for (const item of items) {
    const i = unwrap(item);
    let target: string | undefined;
    if (i.type === 'identifier' || i.type === 'member_expression') target = i.text.split('.').pop();
    else if (i.type === 'object') {
      const model = objectProp(i, 'model');
      const alias = stringValue(objectProp(i, 'as'));
      target =
        model !== undefined
          ? model.text.split('.').pop()
          : alias !== undefined
            ? (models.sequelizeAssociations.get(owner)?.get(alias) ?? capitalise(singularize(alias)))
            : undefined;
      if (target !== undefined) nested.push(...includeTables(target, objectProp(i, 'include'), models));
    } else {
      const alias = stringValue(i);
      if (alias !== undefined) target = models.sequelizeAssociations.get(owner)?.get(alias) ?? capitalise(singularize(alias));
    }
    const ref = target === undefined ? undefined : modelTable(target, models);
    if (ref !== undefined) tables.push(ref.table);
  }
  return [...new Set([...tables, ...nested])];
}

const whereKeys = (where: Node | undefined): string[] =>
  objectEntries(where)
    .map((e) => e.key)
    .filter((k) => !k.startsWith('['));

function staticOutcome(op: string, args: Node[], model: string, ref: TableRef, models: FileModels): Outcome {
  const action = STATIC[op] ?? 'select';
  const options = action === 'update' || op === 'findByPk' ? args[1] : args[0];
  const where = whereKeys(objectProp(options, 'where'));
  const rowLock = lockOf(options);
  const query: Omit<OrmQuery, 'table'> = {
    action,
    filterColumns: op === 'findByPk' ? ['id'] : where,
    filteredUnknown: where.length === 0 && objectProp(options, 'where') !== undefined,
    joins: action === 'select' ? includeTables(model, objectProp(options, 'include'), models) : [],
    ...(action === 'update'
      ? {
          setColumns:
            op === 'update' ? objectKeys(args[0]) : stringValue(args[0]) !== undefined ? [stringValue(args[0]) ?? ''] : objectKeys(args[0]),
        }
      : {}),
    ...(op === 'count' ? { count: true } : {}),
    ...(op === 'findOne' ? { limit: 1 } : {}),
    ...(rowLock !== undefined ? { rowLock } : {}),
  };
  return {
    kind: 'orm',
    origin: 'sequelize',
    query: { ...query, table: ref.table },
    confidence: ref.confidence,
    ...(op === 'findOrCreate' ? { note: 'then INSERT when missing' } : {}),
  };
}

/** Scope selectors that return the model with other default scopes: `Document.unscoped().findOne(…)`, `User.scope('x')`. */
const SCOPES = new Set(['unscoped', 'scope', 'schema']);

function recognize(chain: Chain, models: FileModels): Outcome | undefined {
  // `Model.unscoped().findOne(…)` is `Model.findOne(…)` without default scopes: read it as the model's static call.
  const scoped = chain.links.findIndex((l, i) => i > 0 && l.args !== undefined && SCOPES.has(l.name));
  const links =
    scoped > 0 && scoped === chain.links.length - 2 ? [...chain.links.slice(0, scoped), ...chain.links.slice(scoped + 1)] : chain.links;
  const last = links[links.length - 1];
  const receiver = links[links.length - 2];
  if (last === undefined || receiver === undefined || last.args === undefined || receiver.args !== undefined) return undefined;
  if (last.name === 'query' && /sequelize/i.test(receiver.name)) return { kind: 'raw', origin: 'sequelize', sql: last.args[0] };
  if (STATIC[last.name] !== undefined) {
    const ref = modelTable(receiver.name, models);
    if (ref !== undefined) return staticOutcome(last.name, last.args, receiver.name, ref, models);
  }
  const instanceAction = INSTANCE[last.name];
  const instanceOf = links.length === 2 ? models.instances.get(receiver.name) : undefined;
  if (instanceAction !== undefined && instanceOf !== undefined) {
    const ref = modelTable(instanceOf, models);
    if (ref === undefined) return undefined;
    const setColumns =
      last.name === 'update' ? objectKeys(last.args[0]) : stringValue(last.args[0]) !== undefined ? [stringValue(last.args[0]) ?? ''] : [];
    return {
      kind: 'orm',
      origin: 'sequelize',
      query: {
        action: instanceAction,
        table: ref.table,
        filterColumns: ['id'],
        ...(instanceAction === 'update' ? { setColumns } : {}),
        // `row.reload({ transaction, lock: transaction.LOCK.UPDATE })` re-reads the row with FOR UPDATE.
        ...(last.name === 'reload' && lockOf(last.args[0]) !== undefined ? { rowLock: lockOf(last.args[0]) } : {}),
      },
      confidence: ref.confidence,
    };
  }
  return undefined;
}

export const sequelizeRecognizer: Recognizer = { origin: 'sequelize', recognize };
