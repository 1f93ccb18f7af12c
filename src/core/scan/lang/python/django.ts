/**
 * Django: `Model.objects…` querysets (lazy: they run where they are iterated or end in get/first/count/update/…),
 * `select_for_update(nowait, skip_locked, of, no_key)`, `select_related` (JOIN) versus `prefetch_related` (separate
 * queries), `create`/`bulk_create`/`update`/`delete`, and instance `save()`/`delete()`/`refresh_from_db()`.
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import { runTimeModel, type PythonEnvironment, type RecognizedQuery } from './recognized.js';
import { relatedManagerModel, throughModel } from './related-managers.js';
import { assignedValue, isTrue, keywordArgs, positionalArgs, stringValue, type Chain, type ChainLink } from './syntax.js';

const MANAGERS = /^(objects|_default_manager|_base_manager|all_objects)$/;
/** Queryset methods that run the query (the rest build it lazily). */
const EXECUTING = new Set([
  'get',
  'first',
  'last',
  'count',
  'exists',
  'update',
  'delete',
  'create',
  'get_or_create',
  'update_or_create',
  'bulk_create',
  'bulk_update',
  'aggregate',
  'in_bulk',
  'iterator',
  'earliest',
  'latest',
  'contains',
  'explain',
  'acount',
  'aget',
  'afirst',
  'alast',
  'aexists',
  'aupdate',
  'adelete',
  'acreate',
  'aget_or_create',
  'aupdate_or_create',
  'abulk_create',
  'aaggregate',
]);

/**
 * `Order.objects` → Order's declaration; when the chain locks rows, also a related manager (`checkout.gift_cards`) or
 * a many-to-many through model (`Attribute.reference_types.through.objects`). Undefined for any other root.
 */
export function managerModel(chain: Chain, env: PythonEnvironment): ModelDeclaration | undefined {
  const parts = chain.rootText.split('.');
  const locks = chain.links.some((l) => l.name === 'select_for_update');
  if (parts.length < 2 || !MANAGERS.test(parts[parts.length - 1] ?? '')) return locks ? relatedManagerModel(chain, env) : undefined;
  const owner = chain.root.type === 'attribute' ? chain.root.childForFieldName('object') : null;
  return (
    env.model(parts[parts.length - 2] ?? '') ??
    (owner?.type === 'identifier' ? env.parameterModel(owner) : undefined) ??
    (locks ? throughModel(parts, env) : undefined) ??
    (owner !== null && locks ? unnamedModel(owner) : undefined)
  );
}

/**
 * `instance.__class__.objects…`, `model.objects…` with `model = self.queryset.model`: a
 * generic view or signal handler locks rows of a model known only at run time. The lock is still a site (recall),
 * with a stand-in table and the expression as its name; it reaches no caller (no caller names the table either).
 */
function unnamedModel(owner: Node): ModelDeclaration | undefined {
  const value = owner.type === 'identifier' ? assignedValue(owner) : owner;
  const dynamic = value?.type === 'attribute' && /^(model|__class__)$/.test(value.childForFieldName('attribute')?.text ?? '');
  return dynamic ? runTimeModel(value.text) : undefined;
}

export function executesQueryset(chain: Chain): boolean {
  return chain.links.some((l) => EXECUTING.has(l.name));
}

/** `status='paid'`, `placed_at__gte=…`, `customer__email=…` → the model's own columns (a relation's id column). */
function lookupColumns(args: Node | undefined, model: ModelDeclaration): string[] {
  return [...keywordArgs(args).keys()].map((key) => {
    const head = key.split('__')[0] ?? key;
    if (head === 'pk') return 'id';
    return model.relations[head] !== undefined ? `${head}_id` : head;
  });
}

function relatedTables(args: Node | undefined, model: ModelDeclaration, env: PythonEnvironment): string[] {
  const tables: string[] = [];
  for (const arg of positionalArgs(args)) {
    // 'customer__address' joins customer, then its address.
    let owner: ModelDeclaration | undefined = model;
    for (const step of (stringValue(arg) ?? '').split('__')) {
      const target: ModelDeclaration | undefined = owner === undefined ? undefined : env.model(owner.relations[step] ?? '');
      if (target === undefined) break;
      tables.push(target.table);
      owner = target;
    }
  }
  return tables;
}

function applyLink(link: ChainLink, query: OrmQuery, model: ModelDeclaration, notes: string[], env: PythonEnvironment): void {
  const columns = query.filterColumns as string[];
  switch (link.name) {
    case 'filter':
    case 'exclude':
    case 'get':
    case 'aget':
    case 'get_or_create':
    case 'update_or_create':
    case 'aget_or_create':
    case 'aupdate_or_create': {
      const found = lookupColumns(link.args, model);
      columns.push(...found);
      if (positionalArgs(link.args).length > 0) query.filteredUnknown = true; // Q objects
      if (link.name.includes('create')) notes.push('SELECT, then INSERT when missing');
      return;
    }
    case 'select_for_update': {
      const kw = keywordArgs(link.args);
      query.rowLock = {
        strength: isTrue(kw.get('no_key')) ? 'no-key-update' : 'update',
        waitPolicy: isTrue(kw.get('nowait')) ? 'nowait' : isTrue(kw.get('skip_locked')) ? 'skip-locked' : 'block',
      };
      return;
    }
    case 'select_related':
      (query.joins as string[]).push(...relatedTables(link.args, model, env));
      return;
    case 'prefetch_related':
      notes.push(
        `prefetch_related(${positionalArgs(link.args)
          .map((a) => a.text)
          .join(', ')}) runs separate queries`,
      );
      return;
    case 'count':
    case 'acount':
    case 'exists':
    case 'aexists':
      query.count = true;
      return;
    case 'update':
    case 'aupdate':
    case 'bulk_update':
      query.action = 'update';
      query.setColumns = [...keywordArgs(link.args).keys()];
      return;
    case 'delete':
    case 'adelete':
      query.action = 'delete';
      return;
    case 'create':
    case 'acreate':
    case 'bulk_create':
    case 'abulk_create':
      query.action = 'insert';
      return;
  }
}

/** A queryset chain on a model's manager, or continuing a queryset held in a variable. */
export function djangoQuery(chain: Chain, env: PythonEnvironment, continued?: RecognizedQuery): RecognizedQuery | undefined {
  const model = continued === undefined ? managerModel(chain, env) : (continued.model ?? tableOnly(continued));
  if (model === undefined) return undefined;
  const query: OrmQuery =
    continued === undefined
      ? { action: 'select', table: model.table, joins: [], filterColumns: [], filteredUnknown: false }
      : { ...continued.query, joins: [...(continued.query.joins ?? [])], filterColumns: [...(continued.query.filterColumns ?? [])] };
  const notes = continued === undefined ? [] : [...continued.notes];
  for (const link of chain.links) applyLink(link, query, model, notes, env);
  return { origin: 'django', query, confidence: continued?.confidence ?? model.confidence, notes, model };
}

function tableOnly(continued: RecognizedQuery): ModelDeclaration {
  return { language: 'python', name: '', table: continued.query.table, confidence: continued.confidence, relations: {}, file: '' };
}

/** `order.save()`, `order.delete()`, `order.refresh_from_db()` on a variable holding a model instance. */
export function instanceCall(chain: Chain, env: PythonEnvironment, receiver: Node): RecognizedQuery | undefined {
  const method = chain.links[0]?.name;
  if (
    chain.links.length !== 1 ||
    (method !== 'save' && method !== 'delete' && method !== 'refresh_from_db' && method !== 'asave' && method !== 'adelete')
  )
    return undefined;
  const model = env.instanceModel(receiver);
  if (model?.orm !== 'django') return undefined;
  // `perm = ObjectPermission(…)` then `perm.save()`: a new instance's save is an INSERT, no existing row is locked.
  const created = method.endsWith('save') && constructedHere(receiver, model);
  const action: OrmQuery['action'] =
    method === 'refresh_from_db' ? 'select' : method.endsWith('delete') ? 'delete' : created ? 'insert' : 'update';
  const setColumns = method.endsWith('save') ? (stringListArg(keywordArgs(chain.links[0]?.args).get('update_fields')) ?? []) : [];
  return {
    origin: 'django',
    query: { action, table: model.table, filterColumns: ['id'], setColumns },
    confidence: model.confidence,
    notes: created
      ? ['INSERT of a new instance']
      : method.endsWith('save')
        ? ['UPDATE by primary key (INSERT when the instance is new)']
        : [],
    model,
  };
}

/** Is the variable's last assignment before this use the model's constructor (`x = Model(…)`)? */
function constructedHere(receiver: Node, model: ModelDeclaration): boolean {
  const value = assignedValue(receiver);
  const fn = value?.type === 'call' ? value.childForFieldName('function') : null;
  return fn?.type === 'identifier' && fn.text === model.name;
}

function stringListArg(node: Node | undefined): string[] | undefined {
  if (node === undefined || (node.type !== 'list' && node.type !== 'tuple')) return undefined;
  return node.namedChildren.map((c) => (c === null ? undefined : stringValue(c))).filter((c): c is string => c !== undefined);
}
