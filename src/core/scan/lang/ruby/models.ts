/**
 * Model → table map from the file's own class declarations (first pass): `class Order < ApplicationRecord`,
 * `self.table_name = …`, associations. Constants the file does not declare fall back to Rails naming conventions,
 * except well-known non-model constants (File, JSON, Rails…).
 */
import type { Node } from 'web-tree-sitter';
import { pluralizeSnake, snakeCase } from '../../orm/naming.js';
import { argumentsOf, constantName, isCall, keywordArgument, methodName, receiverOf, symbolOrStringValue } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

export type AssociationKind = 'has_many' | 'has_one' | 'belongs_to' | 'has_and_belongs_to_many';

export interface Association {
  kind: AssociationKind;
  className: string | undefined;
}

export interface ModelInfo {
  className: string;
  table: string;
  /** 'likely' when `self.table_name` names the table, 'guess' when it comes from the class name. */
  confidence: 'likely' | 'guess';
  associations: Map<string, Association>;
  /** Declared in this file (its associations are known), rather than assumed from a constant's name. */
  declared: boolean;
}

export type ModelMap = Map<string, ModelInfo>;

const AR_BASES = new Set(['ApplicationRecord', 'ActiveRecord::Base', '::ActiveRecord::Base']);

/** Constants that are never models but do answer `find`, `create`, `delete`, `count`… */
const NOT_MODELS = new Set([
  'ActiveRecord',
  'ApplicationRecord',
  'ActiveSupport',
  'ActiveJob',
  'ActionMailer',
  'ActionController',
  'ActiveModel',
  'ActiveStorage',
  'Rails',
  'File',
  'Dir',
  'FileUtils',
  'Tempfile',
  'Pathname',
  'IO',
  'Hash',
  'Array',
  'Set',
  'String',
  'Integer',
  'Float',
  'BigDecimal',
  'Rational',
  'Symbol',
  'Struct',
  'OpenStruct',
  'Object',
  'Class',
  'Module',
  'Kernel',
  'Process',
  'Thread',
  'Mutex',
  'Queue',
  'Fiber',
  'Signal',
  'ObjectSpace',
  'GC',
  'Time',
  'Date',
  'DateTime',
  'JSON',
  'YAML',
  'Psych',
  'Marshal',
  'CSV',
  'ERB',
  'URI',
  'Net',
  'Socket',
  'Regexp',
  'Range',
  'Math',
  'Random',
  'SecureRandom',
  'Digest',
  'Base64',
  'OpenSSL',
  'Zlib',
  'Logger',
  'Benchmark',
  'Timeout',
  'ENV',
  'ARGV',
  'STDOUT',
  'STDERR',
  'Comparable',
  'Enumerable',
  'Concurrent',
  'Redis',
  'Sidekiq',
  'Faraday',
  'HTTParty',
  'PG',
  'Sequel',
  'Nokogiri',
  'Aws',
  'Stripe',
  'I18n',
  'Money',
  'Current',
  'Resque',
  'Kafka',
  'Mail',
  'Rack',
  'Rake',
  'RSpec',
  'Minitest',
  'SQLite3',
  'Mysql2',
]);

/** Class-name suffixes of service objects, jobs, controllers…: `OrderService.call` is not a query. */
const NON_MODEL_SUFFIX =
  /(Service|Job|Worker|Mailer|Controller|Helper|Serializer|Presenter|Decorator|Policy|Form|Query|Error|Exception|Command|Client|Builder|Validator|Importer|Exporter|Adapter|Config|Configuration|Spec|Test|Factory|Migration|Channel|Component|Record)$/;

export function conventionTable(className: string): string {
  return pluralizeSnake(snakeCase(className));
}

/** Table of an association by name: has_many names are plural already, belongs_to/has_one singular. */
export function associationTable(
  name: string,
  association: Association | undefined,
  models: ModelMap,
): { table: string; confidence: 'likely' | 'guess' } {
  if (association?.className !== undefined) {
    const target = models.get(association.className);
    if (target !== undefined) return { table: target.table, confidence: target.confidence };
    return { table: conventionTable(association.className), confidence: 'guess' };
  }
  const plural =
    association === undefined
      ? /[^s]s$|ies$|people$|children$/.test(name)
      : association.kind === 'has_many' || association.kind === 'has_and_belongs_to_many';
  const table = plural ? snakeCase(name) : pluralizeSnake(snakeCase(name));
  // A declared association to a model of this file takes that model's table (it may set table_name).
  const singular = plural ? singularize(name) : name;
  const target = [...models.values()].find((m) => snakeCase(m.className) === snakeCase(singular));
  if (target !== undefined) return { table: target.table, confidence: target.confidence };
  return { table, confidence: 'guess' };
}

/** Rough inverse of `pluralize` for association names ("line_items" → "line_item"), to find a declared model. */
function singularize(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  if (name === 'people') return 'person';
  if (/(x|ch|ss|sh)es$/.test(name)) return name.slice(0, -2);
  return name.endsWith('s') ? name.slice(0, -1) : name;
}

function superclassText(cls: Node): string | undefined {
  const superclass = cls.childForFieldName('superclass');
  return superclass?.namedChildren[0]?.text ?? undefined;
}

function classBodyCalls(cls: Node): Node[] {
  const body = cls.childForFieldName('body');
  if (body === null) return [];
  return body.namedChildren.filter((n): n is Node => n !== null);
}

/** First pass: every ActiveRecord model class in the file, with table and associations. */
export function buildModelMap(root: Node): ModelMap {
  const classes = descendantsOfType(root, 'class');
  const parents = new Map<string, { superclass: string | undefined; node: Node }>();
  for (const cls of classes) {
    const nameNode = cls.childForFieldName('name');
    const name = nameNode === null ? undefined : constantName(nameNode);
    if (name !== undefined) parents.set(name, { superclass: superclassText(cls), node: cls });
  }
  const isModel = (name: string, seen: Set<string>): boolean => {
    const entry = parents.get(name);
    if (entry === undefined || entry.superclass === undefined || seen.has(name)) return false;
    seen.add(name);
    const parent = entry.superclass.split('::').pop() ?? entry.superclass;
    return AR_BASES.has(entry.superclass) || /Record$/.test(parent) || isModel(parent, seen);
  };
  const models: ModelMap = new Map();
  for (const [name, entry] of parents) {
    if (!isModel(name, new Set())) continue;
    let table: string | undefined;
    let abstract = false;
    const associations = new Map<string, Association>();
    for (const statement of classBodyCalls(entry.node)) {
      if (statement.type === 'assignment') {
        const left = statement.childForFieldName('left');
        const right = statement.childForFieldName('right');
        if (left === null || right === null || !isCall(left) || receiverOf(left)?.type !== 'self') continue;
        if (methodName(left) === 'table_name') table = symbolOrStringValue(right) ?? table;
        if (methodName(left) === 'abstract_class' && right.type === 'true') abstract = true;
      } else if (isCall(statement) && receiverOf(statement) === null) {
        const kind = methodName(statement);
        if (kind !== 'has_many' && kind !== 'has_one' && kind !== 'belongs_to' && kind !== 'has_and_belongs_to_many') continue;
        const args = argumentsOf(statement);
        const assocName = args[0] === undefined ? undefined : symbolOrStringValue(args[0]);
        const classNode = keywordArgument(args, 'class_name');
        if (assocName !== undefined)
          associations.set(assocName, {
            kind,
            className: classNode === undefined ? undefined : symbolOrStringValue(classNode)?.split('::').pop(),
          });
      }
    }
    if (abstract || name === 'ApplicationRecord') continue;
    models.set(name, {
      className: name,
      table: table ?? conventionTable(name),
      confidence: table !== undefined ? 'likely' : 'guess',
      associations,
      declared: true,
    });
  }
  // Single-table inheritance: a subclass without its own table_name uses its parent's table.
  for (const [name, model] of models) {
    const parentName = parents.get(name)?.superclass?.split('::').pop();
    const parent = parentName === undefined ? undefined : models.get(parentName);
    if (parent !== undefined && model.confidence === 'guess')
      models.set(name, { ...model, table: parent.table, confidence: parent.confidence });
  }
  return models;
}

/**
 * The model a constant receiver names: declared in the file, or (by convention) any other CamelCase constant that is
 * not a known library constant, a non-model class of this file, or a service-object-like name.
 */
/**
 * A namespace named after another database engine (`::Clickhouse::EventsEnriched`, `Sqlite::Cache`): its models are
 * that engine's tables (lago-api's ClickHouse event store), not PostgreSQL's.
 */
const OTHER_ENGINE_NAMESPACE = /(^|::)(Click_?[Hh]ouse|My_?[Ss][Qq][Ll]|S[Qq][Ll]ite3?)::/;

export function modelForConstant(node: Node, models: ModelMap, fileClasses: ReadonlySet<string>): ModelInfo | undefined {
  const name = constantName(node);
  if (name === undefined || OTHER_ENGINE_NAMESPACE.test(node.text)) return undefined;
  const declared = models.get(name);
  if (declared !== undefined) return declared;
  const head = node.type === 'scope_resolution' ? (node.text.split('::')[0] ?? '') : name;
  if (NOT_MODELS.has(name) || NOT_MODELS.has(head) || fileClasses.has(name) || NON_MODEL_SUFFIX.test(name) || /^[A-Z0-9_]+$/.test(name))
    return undefined;
  return { className: name, table: conventionTable(name), confidence: 'guess', associations: new Map(), declared: false };
}
