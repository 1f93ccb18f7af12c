/**
 * First pass over a JS/TS file: what its own declarations say about tables (TypeORM entities, Sequelize models,
 * Drizzle tables, their relations), repositories, transaction variables, builders kept in variables, SQL constants
 * and local functions. Recognizers read this in the second pass.
 */
import type { Node } from 'web-tree-sitter';
import { pluralize, snakeCase } from '../../orm/naming.js';
import { chainOf, isChainTop, lastName, methodCall, named, objectProp, stringValue, unwrap, type Chain } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

export interface TableRef {
  table: string;
  /** likely: named explicitly in the code; guess: derived by the ORM's naming convention. */
  confidence: 'likely' | 'guess';
}

export interface FileModels {
  /** Module specifiers imported or required ("@prisma/client", "typeorm", "./db"). */
  imports: Set<string>;
  typeormEntities: Map<string, TableRef>;
  /** Entity class → relation property → target entity class. */
  typeormRelations: Map<string, Map<string, string>>;
  /** Variable or property name → entity class of the repository it holds. */
  repositories: Map<string, string>;
  sequelizeModels: Map<string, TableRef>;
  /** Sequelize model → association alias → target model. */
  sequelizeAssociations: Map<string, Map<string, string>>;
  /** Variable → Sequelize model of the instance(s) it holds. */
  instances: Map<string, string>;
  drizzleTables: Map<string, { table: string; columns: Map<string, string> }>;
  /** Drizzle table variable → relation name → table variable. */
  drizzleRelations: Map<string, Map<string, string>>;
  /** `const SQL = '…'` constants. */
  strings: Map<string, Node>;
  /** `const q = knex('orders').where(…)`: builders run later through the variable. */
  builders: Map<string, Chain>;
  /** Names bound to transaction objects: callback parameters of transaction APIs, `const t = await x.transaction()`. */
  transactionNames: Set<string>;
  /** Functions and methods defined in this file (for CallSites). */
  localFunctions: Set<string>;
  /** Prisma models from a scanned schema.prisma: model name → table and relation fields (set by the model index). */
  prismaModels?: Map<string, { table: string; relations: Map<string, string> }>;
}

const TYPEORM_RELATIONS = new Set(['OneToMany', 'ManyToOne', 'OneToOne', 'ManyToMany', 'HasMany', 'HasOne', 'BelongsTo', 'BelongsToMany']);
const DRIZZLE_TABLE_FACTORIES = new Set(['pgTable', 'mysqlTable', 'sqliteTable', 'table']);
const SEQUELIZE_ASSOCIATIONS = new Set(['hasMany', 'hasOne', 'belongsTo', 'belongsToMany']);
const FUNCTION_VALUES = new Set(['arrow_function', 'function_expression', 'function']);

function decoratorsOf(cls: Node): Node[] {
  const own = named(cls).filter((c) => c.type === 'decorator');
  const parent = cls.parent;
  return parent?.type === 'export_statement' ? [...named(parent).filter((c) => c.type === 'decorator'), ...own] : own;
}

function decoratorCall(decorator: Node): { name: string; args: Node[] } | undefined {
  const call = named(decorator)[0];
  if (call === undefined) return undefined;
  if (call.type === 'identifier') return { name: call.text, args: [] };
  if (call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  return { name: fn?.text ?? '', args: named(call.childForFieldName('arguments') ?? call) };
}

/** `() => Item` → "Item". */
function arrowTarget(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const n = unwrap(node);
  if (n.type === 'identifier') return n.text;
  if (n.type !== 'arrow_function') return undefined;
  const body = n.childForFieldName('body');
  return body !== null && unwrap(body).type === 'identifier' ? unwrap(body).text : undefined;
}

function readClass(cls: Node, m: FileModels): void {
  const name = cls.childForFieldName('name')?.text;
  if (name === undefined) return;
  for (const d of decoratorsOf(cls)) {
    const call = decoratorCall(d);
    if (call?.name === 'Entity') {
      const explicit =
        stringValue(call.args[0]) ?? stringValue(objectProp(call.args[0], 'name')) ?? stringValue(objectProp(call.args[1], 'name'));
      const schema = stringValue(objectProp(call.args[0], 'schema')) ?? stringValue(objectProp(call.args[1], 'schema'));
      const table = explicit ?? snakeCase(name);
      m.typeormEntities.set(name, {
        table: schema !== undefined ? `${schema}.${table}` : table,
        confidence: explicit !== undefined ? 'likely' : 'guess',
      });
    }
    if (call?.name === 'Table') {
      const explicit = stringValue(objectProp(call.args[0], 'tableName'));
      m.sequelizeModels.set(
        name,
        explicit !== undefined ? { table: explicit, confidence: 'likely' } : { table: pluralize(name), confidence: 'guess' },
      );
    }
  }
  const heritage = named(cls).find((c) => c.type === 'class_heritage')?.text ?? '';
  if (/\bModel\b/.test(heritage) && !m.sequelizeModels.has(name))
    m.sequelizeModels.set(name, { table: pluralize(name), confidence: 'guess' });
  const relations = new Map<string, string>();
  for (const field of named(cls.childForFieldName('body') ?? cls)) {
    const fieldName = (field.childForFieldName('name') ?? field.childForFieldName('property'))?.text;
    if (fieldName === undefined) continue;
    for (const d of named(field).filter((c) => c.type === 'decorator')) {
      const call = decoratorCall(d);
      const target = call !== undefined && TYPEORM_RELATIONS.has(call.name) ? arrowTarget(call.args[0]) : undefined;
      if (target !== undefined) relations.set(fieldName, target);
    }
  }
  if (relations.size > 0) m.typeormRelations.set(name, relations);
}

function repositoryEntity(value: Node): string | undefined {
  const mc = methodCall(value);
  const call = unwrap(value);
  const fn = call.type === 'call_expression' ? call.childForFieldName('function') : null;
  const method = mc?.method ?? (fn?.type === 'identifier' ? fn.text : undefined);
  if (method !== 'getRepository' && method !== 'getTreeRepository' && method !== 'withRepository') return undefined;
  const arg = named(call.childForFieldName('arguments') ?? call)[0];
  return arg !== undefined && unwrap(arg).type === 'identifier' ? unwrap(arg).text : undefined;
}

/** `Repository<Order>` in a type annotation → "Order". */
function repositoryType(node: Node): string | undefined {
  const type = node.childForFieldName('type')?.text;
  const match = type === undefined ? null : /Repository<\s*([A-Za-z_$][\w$]*)\s*>/.exec(type);
  return match?.[1];
}

function readDeclarator(d: Node, m: FileModels): void {
  const nameNode = d.childForFieldName('name');
  const value = d.childForFieldName('value');
  if (nameNode === null || value === null) return;
  const name = nameNode.text;
  const v = unwrap(value);
  if (nameNode.type === 'identifier') {
    if (FUNCTION_VALUES.has(v.type)) m.localFunctions.add(name);
    if (v.type === 'string' || v.type === 'template_string' || v.type === 'binary_expression') m.strings.set(name, v);
    const entity = repositoryEntity(v);
    if (entity !== undefined) m.repositories.set(name, entity);
    if (v.type === 'call_expression' && value.type !== 'await_expression' && isChainTop(v)) m.builders.set(name, chainOf(v));
    readModelDefinition(name, v, m);
    readInstance(name, v, m);
  }
  // `const t = await sequelize.transaction()`, `const trx = await db.startTransaction().execute()`.
  const links = v.type === 'call_expression' ? chainOf(v).links : [];
  const last = links[links.length - 1];
  if (
    last !== undefined &&
    (last.name === 'transaction' ||
      last.name === 'startTransaction' ||
      (last.name === 'execute' && links.some((l) => l.name === 'startTransaction')))
  ) {
    if (!(last.args ?? []).some((a) => FUNCTION_VALUES.has(unwrap(a).type)) && nameNode.type === 'identifier') m.transactionNames.add(name);
  }
}

function readModelDefinition(name: string, v: Node, m: FileModels): void {
  if (v.type !== 'call_expression') return;
  const mc = methodCall(v);
  const fn = v.childForFieldName('function');
  const callee = mc?.method ?? (fn !== null && fn.type === 'identifier' ? fn.text : '');
  const args = named(v.childForFieldName('arguments') ?? v);
  if (callee === 'define' && mc !== undefined) {
    const modelName = stringValue(args[0]);
    if (modelName === undefined) return;
    const tableName = stringValue(objectProp(args[2], 'tableName'));
    const frozen = objectProp(args[2], 'freezeTableName')?.text === 'true';
    m.sequelizeModels.set(
      name,
      tableName !== undefined
        ? { table: tableName, confidence: 'likely' }
        : { table: frozen ? modelName : pluralize(modelName), confidence: 'guess' },
    );
    return;
  }
  if (DRIZZLE_TABLE_FACTORIES.has(callee)) {
    const table = stringValue(args[0]);
    if (table === undefined) return;
    const columns = new Map<string, string>();
    const shape = args[1] !== undefined ? unwrap(args[1]) : undefined;
    for (const c of shape !== undefined && shape.type === 'object' ? named(shape) : []) {
      const key = c.childForFieldName('key')?.text;
      const valueNode = c.childForFieldName('value');
      if (key === undefined) continue;
      const inner = valueNode === null ? undefined : chainOf(valueNode).links[0];
      columns.set(key, stringValue(inner?.args?.[0]) ?? key);
    }
    const schema =
      mc !== undefined && mc.method === 'table'
        ? stringValue(named(unwrap(mc.receiver).childForFieldName('arguments') ?? mc.receiver)[0])
        : undefined;
    m.drizzleTables.set(name, { table: schema !== undefined ? `${schema}.${table}` : table, columns });
    return;
  }
  if (callee === 'relations') {
    const table = args[0] !== undefined ? unwrap(args[0]).text : undefined;
    const body = args[1] !== undefined ? unwrap(args[1]).childForFieldName('body') : null;
    if (table === undefined || body === null) return;
    const rel = new Map<string, string>();
    for (const c of named(unwrap(body))) {
      const key = c.childForFieldName('key')?.text;
      const target = c.childForFieldName('value');
      const targetTable = target === null ? undefined : named(unwrap(target).childForFieldName('arguments') ?? target)[0]?.text;
      if (key !== undefined && targetTable !== undefined) rel.set(key, targetTable);
    }
    m.drizzleRelations.set(table, rel);
  }
}

const INSTANCE_FINDERS = new Set(['findByPk', 'findOne', 'create', 'findOrCreate', 'findAll', 'bulkCreate']);

function readInstance(name: string, v: Node, m: FileModels): void {
  const mc = methodCall(v);
  if (mc === undefined || !INSTANCE_FINDERS.has(mc.method)) return;
  const model = lastName(mc.receiver);
  if (model !== undefined && /^[A-Z]/.test(model)) m.instances.set(name, model);
}

/** Callback parameters of transaction APIs: `prisma.$transaction(async (tx) => …)`, `knex.transaction((trx) => …)`. */
function readTransactionCallback(call: Node, m: FileModels): void {
  const mc = methodCall(call);
  if (mc === undefined) return;
  const isTransaction =
    mc.method === 'transaction' ||
    mc.method === '$transaction' ||
    mc.method === 'savepoint' ||
    (mc.method === 'execute' && chainOf(call).links.some((l) => l.name === 'transaction' && l.args !== undefined));
  if (!isTransaction) return;
  for (const arg of named(call.childForFieldName('arguments') ?? call)) {
    const fn = unwrap(arg);
    if (!FUNCTION_VALUES.has(fn.type)) continue;
    const params = fn.childForFieldName('parameters') ?? fn.childForFieldName('parameter');
    const first = params === null ? undefined : params.type === 'identifier' ? params : named(params)[0];
    const id = first === undefined ? undefined : (first.childForFieldName('pattern') ?? first);
    if (id !== undefined && id.type === 'identifier') m.transactionNames.add(id.text);
  }
}

function readAssociation(call: Node, m: FileModels): void {
  const mc = methodCall(call);
  if (mc === undefined || !SEQUELIZE_ASSOCIATIONS.has(mc.method)) return;
  const source = lastName(mc.receiver);
  const args = named(call.childForFieldName('arguments') ?? call);
  const target = args[0] !== undefined ? lastName(args[0]) : undefined;
  if (source === undefined || target === undefined) return;
  const alias =
    stringValue(objectProp(args[1], 'as')) ?? (mc.method === 'hasMany' || mc.method === 'belongsToMany' ? pluralize(target) : target);
  const map = m.sequelizeAssociations.get(source) ?? new Map<string, string>();
  map.set(alias, target);
  m.sequelizeAssociations.set(source, map);
}

export function readModels(root: Node): FileModels {
  const m: FileModels = {
    imports: new Set(),
    typeormEntities: new Map(),
    typeormRelations: new Map(),
    repositories: new Map(),
    sequelizeModels: new Map(),
    sequelizeAssociations: new Map(),
    instances: new Map(),
    drizzleTables: new Map(),
    drizzleRelations: new Map(),
    strings: new Map(),
    builders: new Map(),
    transactionNames: new Set(),
    localFunctions: new Set(),
  };
  const types = [
    'import_statement',
    'class_declaration',
    'class',
    'variable_declarator',
    'call_expression',
    'function_declaration',
    'generator_function_declaration',
    'method_definition',
    'required_parameter',
    'public_field_definition',
    'assignment_expression',
    'for_in_statement',
  ];
  for (const node of descendantsOfType(root, types)) {
    if (node === null) continue;
    switch (node.type) {
      case 'import_statement': {
        const source = stringValue(node.childForFieldName('source') ?? undefined);
        if (source !== undefined) m.imports.add(source);
        break;
      }
      case 'class_declaration':
      case 'class':
        readClass(node, m);
        break;
      case 'variable_declarator':
        readDeclarator(node, m);
        break;
      case 'call_expression': {
        const fn = node.childForFieldName('function');
        if (fn?.type === 'identifier' && fn.text === 'require') {
          const source = stringValue(named(node.childForFieldName('arguments') ?? node)[0]);
          if (source !== undefined) m.imports.add(source);
        }
        const mc = methodCall(node);
        if (mc?.method === 'init' && lastName(mc.receiver) !== undefined) {
          const model = lastName(mc.receiver) ?? '';
          const options = named(node.childForFieldName('arguments') ?? node)[1];
          const tableName = stringValue(objectProp(options, 'tableName'));
          const modelName = stringValue(objectProp(options, 'modelName')) ?? model;
          if (objectProp(options, 'sequelize') !== undefined || m.sequelizeModels.has(model)) {
            m.sequelizeModels.set(
              model,
              tableName !== undefined ? { table: tableName, confidence: 'likely' } : { table: pluralize(modelName), confidence: 'guess' },
            );
          }
        }
        readTransactionCallback(node, m);
        readAssociation(node, m);
        break;
      }
      case 'function_declaration':
      case 'generator_function_declaration':
      case 'method_definition': {
        const name = node.childForFieldName('name')?.text;
        if (name !== undefined && name !== 'constructor') m.localFunctions.add(name);
        break;
      }
      case 'required_parameter':
      case 'public_field_definition': {
        const entity = repositoryType(node);
        const name = (node.childForFieldName('pattern') ?? node.childForFieldName('name'))?.text;
        if (entity !== undefined && name !== undefined) m.repositories.set(name, entity);
        const value = node.childForFieldName('value');
        if (name !== undefined && value !== null && repositoryEntity(unwrap(value)) !== undefined)
          m.repositories.set(name, repositoryEntity(unwrap(value)) ?? '');
        break;
      }
      case 'assignment_expression': {
        const name = lastName(node.childForFieldName('left'));
        const right = node.childForFieldName('right');
        const entity = right === null ? undefined : repositoryEntity(unwrap(right));
        if (name !== undefined && entity !== undefined) m.repositories.set(name, entity);
        break;
      }
      case 'for_in_statement': {
        // `for (const item of items)` over Sequelize instances, or over an association (`order.items`).
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left === null || right === null) break;
        const r = unwrap(right);
        let model = r.type === 'identifier' ? m.instances.get(r.text) : undefined;
        if (r.type === 'member_expression') {
          const owner = m.instances.get(r.childForFieldName('object')?.text ?? '');
          model = owner === undefined ? undefined : m.sequelizeAssociations.get(owner)?.get(r.childForFieldName('property')?.text ?? '');
        }
        if (model !== undefined) m.instances.set(left.text, model);
        break;
      }
    }
  }
  return m;
}
