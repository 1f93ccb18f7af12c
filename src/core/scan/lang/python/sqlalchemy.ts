/**
 * SQLAlchemy: legacy `session.query(Model)…` chains, 2.0-style `select(Model)…` executed by `session.execute`/
 * `scalars`/`scalar`, `update()`/`delete()`/`insert()`, `session.get(Model, pk, with_for_update=…)`, `session.add`,
 * Flask-SQLAlchemy's `Model.query`. Eager loading: `joinedload`/`join` JOIN in the statement; `selectinload`/
 * `subqueryload` run separate queries.
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import { runTimeModel, SESSION_NAME, type PythonEnvironment, type RecognizedQuery } from './recognized.js';
import { opaqueStatementModel } from './statement-source.js';
import {
  assignedValue,
  chainOf,
  isTrue,
  keywordArgs,
  positionalArgs,
  simpleName,
  stringValue,
  type Chain,
  type ChainLink,
} from './syntax.js';

/** Names SQLAlchemy's modules are imported under (`from sqlalchemy import sql`, `import sqlalchemy as sa`). */
const SQLALCHEMY_MODULE = /^(sa|sql|sqlalchemy|sqlalchemy\.sql|sqlalchemy\.future)$/;

interface Building {
  model: ModelDeclaration;
  query: OrmQuery;
  notes: string[];
}

const LEGACY_TERMINALS = new Set([
  'all',
  'first',
  'one',
  'one_or_none',
  'scalar',
  'count',
  'get',
  'update',
  'delete',
  'exists',
  'yield_per',
  'first_or_404',
  'get_or_404',
  'one_or_404',
  'paginate',
]);

/** `Order` or `Order.id` → the model Order. */
function modelOf(node: Node | undefined, env: PythonEnvironment): ModelDeclaration | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'identifier') return env.model(node.text) ?? env.parameterModel(node);
  if (node.type === 'attribute') return modelOf(node.childForFieldName('object') ?? undefined, env) ?? env.model(node.text);
  return undefined;
}

function tableOf(model: ModelDeclaration | undefined): string | undefined {
  return model?.table;
}

/** `Order.items` or "items" → the related model's table. */
function relationTable(node: Node | undefined, base: ModelDeclaration, env: PythonEnvironment): string | undefined {
  if (node === undefined) return undefined;
  const owner = node.type === 'attribute' ? (modelOf(node.childForFieldName('object') ?? undefined, env) ?? base) : base;
  const attribute = node.type === 'attribute' ? node.childForFieldName('attribute')?.text : stringValue(node);
  const target = attribute === undefined ? undefined : owner.relations[attribute];
  return target === undefined ? tableOf(modelOf(node, env)) : tableOf(env.model(target));
}

function rowLockFrom(args: Node | undefined): SiteRowLock & { of?: string[] } {
  const kw = keywordArgs(args);
  const read = isTrue(kw.get('read'));
  const keyShare = isTrue(kw.get('key_share'));
  const strength: SiteRowLock['strength'] = read ? (keyShare ? 'key-share' : 'share') : keyShare ? 'no-key-update' : 'update';
  const waitPolicy: SiteRowLock['waitPolicy'] = isTrue(kw.get('nowait'))
    ? 'nowait'
    : isTrue(kw.get('skip_locked'))
      ? 'skip-locked'
      : 'block';
  return { strength, waitPolicy };
}

/** Columns a filter()/where() compares: `Order.status == x`, `Order.id.in_(…)`; anything else is unknown. */
function filterColumns(args: Node | undefined, building: Building, env: PythonEnvironment): void {
  for (const condition of positionalArgs(args)) {
    const first =
      condition.type === 'comparison_operator'
        ? condition.namedChildren[0]
        : condition.type === 'call'
          ? condition.childForFieldName('function')?.childForFieldName('object')
          : undefined;
    const model = first?.type === 'attribute' ? modelOf(first.childForFieldName('object') ?? undefined, env) : undefined;
    const column = first?.type === 'attribute' ? first.childForFieldName('attribute')?.text : undefined;
    if (model?.table === building.model.table && column !== undefined) (building.query.filterColumns as string[]).push(column);
    else building.query.filteredUnknown = true;
  }
}

function applyLink(link: ChainLink, building: Building, env: PythonEnvironment): void {
  const args = positionalArgs(link.args);
  const kw = keywordArgs(link.args);
  switch (link.name) {
    case 'filter':
    case 'where':
      filterColumns(link.args, building, env);
      return;
    case 'filter_by':
      (building.query.filterColumns as string[]).push(...kw.keys());
      return;
    case 'get':
    case 'get_or_404':
      (building.query.filterColumns as string[]).push('id');
      return;
    case 'join':
    case 'outerjoin': {
      const table = relationTable(args[0], building.model, env);
      if (table !== undefined) (building.query.joins as string[]).push(table);
      return;
    }
    case 'options':
      for (const option of args) {
        const loader = option.type === 'call' ? simpleName(option.childForFieldName('function') ?? undefined) : undefined;
        const target = positionalArgs(option.childForFieldName('arguments') ?? undefined)[0];
        if (loader === 'joinedload' || loader === 'contains_eager') {
          const table = relationTable(target, building.model, env);
          if (table !== undefined) (building.query.joins as string[]).push(table);
        } else if (loader === 'selectinload' || loader === 'subqueryload') {
          building.notes.push(`${loader}(${target?.text ?? ''}) runs a second query`);
        }
      }
      return;
    case 'with_for_update':
      building.query.rowLock = rowLockFrom(link.args);
      return;
    case 'update':
    case 'values': {
      if (link.name === 'update') building.query.action = 'update';
      const dict = args[0];
      const keys =
        dict?.type === 'dictionary'
          ? dict.namedChildren
              .map((p) => p?.childForFieldName('key'))
              .filter((k): k is Node => k !== null && k !== undefined)
              .map((k) => (k.type === 'attribute' ? k.childForFieldName('attribute')?.text : stringValue(k)))
          : [...kw.keys()];
      building.query.setColumns = keys.filter((k): k is string => k !== undefined);
      return;
    }
    case 'delete':
      building.query.action = 'delete';
      return;
    case 'count':
      building.query.count = true;
      return;
    case 'select_from': {
      const model = modelOf(args[0], env);
      if (model !== undefined) {
        building.model = model;
        building.query.table = model.table;
      }
      return;
    }
  }
}

function start(model: ModelDeclaration, action: OrmQuery['action']): Building {
  return { model, query: { action, table: model.table, joins: [], filterColumns: [], filteredUnknown: false }, notes: [] };
}

function finish(building: Building): RecognizedQuery {
  return {
    origin: 'sqlalchemy',
    query: building.query,
    confidence: building.model.confidence,
    notes: building.notes,
    model: building.model,
  };
}

/**
 * How many steps (a name read, a reassignment) a statement is followed back through. Each step moves strictly
 * earlier in the function, so this only bounds the work: real helpers reassign `stmt` 3–6 times (mcp-context-forge's
 * get_for_update: built in branches, then options, then the lock) and a limit of 4 steps lost their lock.
 */
export const STATEMENT_STEPS = 32;

/** A 2.0-style statement: `select(Order).where(…)`, `update(Order).values(…)`, through a variable too. */
export function coreStatement(node: Node | undefined, env: PythonEnvironment, depth = 0): RecognizedQuery | undefined {
  if (node === undefined || depth > STATEMENT_STEPS) return undefined;
  if (node.type === 'identifier') return coreStatement(assignedValue(node), env, depth + 1);
  if (node.type === 'parenthesized_expression') return coreStatement(node.namedChildren[0] ?? undefined, env, depth + 1);
  if (node.type !== 'call') return undefined;
  const chain = chainOf(node);
  const head = chain.links[0];
  if (head === undefined) return undefined;
  const action = ({ select: 'select', update: 'update', delete: 'delete', insert: 'insert' } as const)[head.name as 'select'];
  // `sql.select(Order)`, `sa.update(Order)`: the module's functions, not a variable's methods.
  const qualified = action !== undefined && SQLALCHEMY_MODULE.test(chain.rootText);
  if (chain.rootText !== '' && !qualified) {
    // `stmt = stmt.with_for_update(…)`: continue the statement the name held before this assignment.
    const earlier = chain.root.type === 'identifier' ? coreStatement(chain.root, env, depth + 1) : undefined;
    if (earlier !== undefined) return coreWith(resumed(earlier), chain, env, 0);
    // `self.get_base_statement().where(Order.id == id)`: a source not followed, typed by the model the chain names.
    const model = opaqueStatementModel(chain, env, modelOf);
    return model === undefined ? undefined : coreWith(start(model, 'select'), chain, env, 0);
  }
  if (action === undefined) return undefined;
  const firstArg = positionalArgs(head.args)[0];
  const model = modelOf(firstArg, env);
  const building = model === undefined ? undefined : start(model, action);
  if (building === undefined) {
    // select(func.count()).select_from(Order)
    const from = chain.links.find((l) => l.name === 'select_from');
    const fromModel = from === undefined ? undefined : modelOf(positionalArgs(from.args)[0], env);
    if (fromModel === undefined) return undefined;
    return coreWith(start(fromModel, action), chain, env);
  }
  return coreWith(building, chain, env);
}

function coreWith(building: Building, chain: Chain, env: PythonEnvironment, from = 1): RecognizedQuery {
  for (const link of chain.links.slice(from)) applyLink(link, building, env);
  return finish(building);
}

/** A recognized query to continue with more links (a copy: the earlier statement is not changed). */
function resumed(continued: RecognizedQuery): Building {
  const model = continued.model ?? {
    language: 'python',
    name: '',
    table: continued.query.table,
    confidence: continued.confidence,
    relations: {},
    file: '',
  };
  return {
    model,
    query: { ...continued.query, joins: [...(continued.query.joins ?? [])], filterColumns: [...(continued.query.filterColumns ?? [])] },
    notes: [...continued.notes],
  };
}

/** Legacy Query: `session.query(Order)…` or Flask-SQLAlchemy `Order.query…`, possibly continuing a variable. */
export function legacyQuery(chain: Chain, env: PythonEnvironment, continued?: RecognizedQuery): RecognizedQuery | undefined {
  let links = chain.links;
  let building: Building | undefined;
  if (continued !== undefined) {
    building = resumed(continued);
  } else if (links[0]?.name === 'query' && SESSION_NAME.test(chain.rootText)) {
    const model = modelOf(positionalArgs(links[0].args)[0], env);
    if (model === undefined) return undefined;
    building = start(model, 'select');
    links = links.slice(1);
  } else if (chain.rootText.endsWith('.query')) {
    const model = env.model(chain.rootText.slice(0, -'.query'.length));
    if (model === undefined) return undefined;
    building = start(model, 'select');
  }
  if (building === undefined) return undefined;
  for (const link of links) applyLink(link, building, env);
  return finish(building);
}

export function executesLegacyQuery(chain: Chain): boolean {
  return chain.links.some((l) => LEGACY_TERMINALS.has(l.name));
}

/** Session methods that issue SQL themselves: execute/scalars/scalar(stmt), get(Model, pk), add(Model(…)), delete(obj), refresh. */
export function sessionCall(chain: Chain, env: PythonEnvironment): RecognizedQuery | undefined {
  const first = chain.links[0];
  if (first === undefined || !SESSION_NAME.test(chain.rootText)) return undefined;
  const args = positionalArgs(first.args);
  switch (first.name) {
    case 'execute':
    case 'scalars':
    case 'scalar':
      return coreStatement(args[0], env);
    case 'get': {
      const model = modelOf(args[0], env);
      if (model === undefined) return undefined;
      const building = start(model, 'select');
      (building.query.filterColumns as string[]).push('id');
      const lock = keywordArgs(first.args).get('with_for_update');
      if (lock !== undefined && lock.type !== 'false' && lock.type !== 'none')
        building.query.rowLock = lock.type === 'dictionary' ? rowLockFromDict(lock) : { strength: 'update', waitPolicy: 'block' };
      return finish(building);
    }
    case 'refresh': {
      const lock = keywordArgs(first.args).get('with_for_update');
      const locks = lock !== undefined && lock.type !== 'false' && lock.type !== 'none';
      // A locked refresh of an instance Lockscope cannot type (`container: Subscription | Order`) still locks a row:
      // a site of a model known only at run time.
      const model =
        args[0] === undefined
          ? undefined
          : (env.instanceModel(args[0]) ?? modelNamedAfter(args[0], env) ?? (locks ? runTimeModel(args[0].text) : undefined));
      if (model === undefined) return undefined;
      const building = start(model, 'select');
      (building.query.filterColumns as string[]).push('id');
      if (lock !== undefined && locks)
        building.query.rowLock = lock.type === 'dictionary' ? rowLockFromDict(lock) : { strength: 'update', waitPolicy: 'block' };
      return finish(building);
    }
    case 'add': {
      const arg = args[0];
      const model =
        arg?.type === 'call'
          ? modelOf(arg.childForFieldName('function') ?? undefined, env)
          : arg === undefined
            ? undefined
            : env.instanceModel(arg);
      return model === undefined ? undefined : { ...finish(start(model, 'insert')), notes: ['INSERT at the next flush'] };
    }
    case 'delete': {
      const model = args[0] === undefined ? undefined : env.instanceModel(args[0]);
      if (model === undefined) return undefined;
      const building = start(model, 'delete');
      (building.query.filterColumns as string[]).push('id');
      return { ...finish(building), notes: ['DELETE at the next flush'] };
    }
  }
  return undefined;
}

/**
 * `session.refresh(organization, with_for_update=True)` on an instance Lockscope cannot type (loaded by a helper it
 * does not follow): the model the variable is named after, when the project declares it (`organization` →
 * Organization, `merchant_subscription` → MerchantSubscription).
 */
function modelNamedAfter(node: Node, env: PythonEnvironment): ModelDeclaration | undefined {
  if (node.type !== 'identifier') return undefined;
  return env.model(node.text.replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase()));
}

function rowLockFromDict(dict: Node): SiteRowLock {
  const get = (key: string): boolean =>
    dict.namedChildren.some(
      (p) => p !== null && stringValue(p.childForFieldName('key') as Node) === key && p.childForFieldName('value')?.type === 'true',
    );
  const read = get('read');
  return {
    strength: read ? (get('key_share') ? 'key-share' : 'share') : get('key_share') ? 'no-key-update' : 'update',
    waitPolicy: get('nowait') ? 'nowait' : get('skip_locked') ? 'skip-locked' : 'block',
  };
}
