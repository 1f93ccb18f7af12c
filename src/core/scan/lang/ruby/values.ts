/** What an ActiveRecord expression evaluates to while a chain is read: a relation, a record, or loaded records. */
import type { Node } from 'web-tree-sitter';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { SiteRowLock } from '../../types.js';
import { associationTable, type ModelInfo, type ModelMap } from './models.js';
import { pairKeys, symbolOrStringValue } from './syntax.js';

export interface Relation {
  kind: 'relation';
  model: ModelInfo;
  filters: string[];
  filteredUnknown: boolean;
  joins: string[];
  /** `includes(:x)` names: JOINed when `references` (or a hash condition) names them, else preloaded. */
  includes: string[];
  references: string[];
  preloads: string[];
  lock: SiteRowLock | undefined;
  /** An ActiveRecord query method was applied (a bare `Order` or an unknown scope alone is not a query). */
  known: boolean;
  /** Reached through an association or a name Lockscope only guesses is one: needs an executing call after it. */
  tentative: boolean;
}

export interface RecordValue {
  kind: 'record';
  model: ModelInfo;
  /** From `Model.new` / `build`: `save` INSERTs. */
  fresh: boolean;
  tentative: boolean;
}

export interface Records {
  kind: 'records';
  model: ModelInfo;
}

export type Value = Relation | RecordValue | Records;

export function relationOf(model: ModelInfo, tentative = false): Relation {
  return {
    kind: 'relation',
    model,
    filters: [],
    filteredUnknown: false,
    joins: [],
    includes: [],
    references: [],
    preloads: [],
    lock: undefined,
    known: false,
    tentative,
  };
}

export function recordOf(model: ModelInfo, fresh = false, tentative = false): RecordValue {
  return { kind: 'record', model, fresh, tentative };
}

/** Row-lock clause from `lock`, `lock(true)`, `lock("FOR UPDATE NOWAIT")`, `lock!("FOR SHARE")`; undefined = no lock. */
export function parseLock(args: readonly Node[]): SiteRowLock | undefined {
  const first = args[0];
  if (first === undefined || first.type === 'true') return { strength: 'update', waitPolicy: 'block' };
  if (first.type === 'false' || first.type === 'nil') return undefined;
  const text = (symbolOrStringValue(first) ?? first.text).toUpperCase();
  const strength: SiteRowLock['strength'] = /NO\s+KEY\s+UPDATE/.test(text)
    ? 'no-key-update'
    : /KEY\s+SHARE/.test(text)
      ? 'key-share'
      : /SHARE/.test(text)
        ? 'share'
        : 'update';
  const waitPolicy: SiteRowLock['waitPolicy'] = /NOWAIT/.test(text) ? 'nowait' : /SKIP\s+LOCKED/.test(text) ? 'skip-locked' : 'block';
  return { strength, waitPolicy };
}

/** Association names in `includes(:a, b: :c, d: [:e])` / `joins(…)` (nested ones too, in order). */
export function associationNames(args: readonly Node[]): string[] {
  const names: string[] = [];
  const visit = (node: Node): void => {
    const name = symbolOrStringValue(node);
    if (name !== undefined && node.type !== 'string') names.push(name);
    else if (node.type === 'array' || node.type === 'hash') {
      for (const c of node.namedChildren) if (c !== null) visit(c);
    } else if (node.type === 'pair') {
      const key = node.childForFieldName('key');
      const value = node.childForFieldName('value');
      if (key !== null) visit(key);
      if (value !== null) visit(value);
    }
  };
  for (const arg of args) visit(arg);
  return names;
}

/** The model an association of `owner` leads to (a declared model of the file when there is one). */
export function associationModel(owner: ModelInfo, name: string, models: ModelMap): ModelInfo {
  const declared = owner.associations.get(name);
  const { table, confidence } = associationTable(name, declared, models);
  const target = [...models.values()].find((m) => m.table === table);
  if (target !== undefined) return target;
  return {
    className: name,
    table,
    confidence: owner.confidence === 'guess' ? 'guess' : confidence,
    associations: new Map(),
    declared: false,
  };
}

/** Hash conditions on an association (`where(line_items: { sku: x })`) make `includes` JOIN, like `references`. */
export function hashConditionTables(args: readonly Node[]): string[] {
  const names: string[] = [];
  for (const arg of args) {
    const pairs = arg.type === 'pair' ? [arg] : arg.type === 'hash' ? arg.namedChildren.filter((n): n is Node => n?.type === 'pair') : [];
    for (const pair of pairs) {
      const key = pair.childForFieldName('key');
      if (pair.childForFieldName('value')?.type === 'hash' && key !== null) names.push(symbolOrStringValue(key) ?? '');
    }
  }
  return names.filter((n) => n !== '');
}

/** Columns a where/find_by names, leaving out association hash conditions. */
export function filterColumns(args: readonly Node[]): string[] {
  const nested = new Set(hashConditionTables(args));
  return pairKeys(args).filter((k) => !nested.has(k));
}

/** The SELECT a relation sends when it runs. */
export function selectOf(relation: Relation, models: ModelMap, extra: Partial<OrmQuery> = {}): OrmQuery {
  const joined = relation.includes.filter((i) => relation.references.includes(i));
  const joins = [...relation.joins, ...joined.map((n) => associationModel(relation.model, n, models).table)];
  return {
    action: 'select',
    table: relation.model.table,
    joins: [...new Set(joins)],
    filterColumns: relation.filters,
    filteredUnknown: relation.filteredUnknown && relation.filters.length === 0,
    rowLock: relation.lock,
    ...extra,
  };
}

/** Relation names `includes`/`preload` load in separate queries (for the label). */
export function preloadedNames(relation: Relation): string[] {
  return [...relation.preloads, ...relation.includes.filter((i) => !relation.references.includes(i))];
}
