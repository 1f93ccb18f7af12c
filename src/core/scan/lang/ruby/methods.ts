/**
 * ActiveRecord's methods, one step at a time: what a relation builder, an executing call or a record method does to
 * the value, and the statement it sends (pushed to `out`).
 */
import type { Node } from 'web-tree-sitter';
import type { OrmQuery } from '../../orm/synthesize.js';
import type { ModelMap } from './models.js';
import { pairKeys, symbolOrStringValue } from './syntax.js';
import {
  associationModel,
  associationNames,
  filterColumns,
  hashConditionTables,
  parseLock,
  recordOf,
  relationOf,
  selectOf,
  type RecordValue,
  type Records,
  type Relation,
  type Value,
} from './values.js';
import { snakeCase } from '../../orm/naming.js';
import {
  AGGREGATES,
  BATCH_ITERATORS,
  BUILDERS,
  COUNTERS,
  FIND_OR,
  INSERTS,
  ITERATORS,
  LOADERS,
  NOT_ASSOCIATIONS,
  ONE,
  RECORD_DELETES,
  RECORD_UPDATES,
  RELATION_DELETES,
  STOPS,
} from './method-names.js';

export interface Step {
  name: string;
  args: Node[];
  block: Node | null;
  node: Node;
}

export interface StepResult {
  value: Value | undefined;
  /** What an iterator's block parameter is (`find_each do |order|` → an Order record). */
  element?: Value;
}

/** The model class with one unknown class method applied and no query method (what `Node.from_xml(x)` reads as). */
function calledClassMethod(relation: Relation): boolean {
  return !relation.known && relation.filteredUnknown && relation.filters.length === 0 && relation.lock === undefined;
}

function executed(relation: Relation): Relation {
  return { ...relation, tentative: false };
}

/** One step on a relation (or a model class, which is the relation of all its rows). */
export function applyRelationStep(relation: Relation, step: Step, out: OrmQuery[], models: ModelMap): StepResult | undefined {
  const { name, args } = step;
  const model = relation.model;
  if (name === 'select' && step.block === null) return { value: { ...relation, known: true } };
  if (BUILDERS.has(name) && name !== 'select') return { value: build(relation, step, models) };
  if (ITERATORS.has(name) && (step.block !== null || name === 'each' || name === 'find_each')) {
    out.push(selectOf(relation, models));
    return { value: { kind: 'records', model }, element: recordOf(model) };
  }
  if (BATCH_ITERATORS.has(name)) {
    out.push(selectOf(relation, models, name === 'each_slice' ? {} : { limit: 1000 }));
    const batch: Value = name === 'in_batches' ? executed({ ...relation, known: true }) : { kind: 'records', model };
    return { value: undefined, element: batch };
  }
  if (LOADERS.has(name)) {
    out.push(selectOf(relation, models));
    return { value: { kind: 'records', model } };
  }
  if (ONE.has(name) && step.block === null) {
    const filters = name === 'find' && args.length > 0 ? ['id'] : /^find_(sole_)?by/.test(name) ? filterColumns(args) : [];
    const unknown = /^find_(sole_)?by/.test(name) && filters.length === 0 && args.length > 0;
    out.push(
      selectOf({ ...relation, filters: [...relation.filters, ...filters], filteredUnknown: relation.filteredUnknown || unknown }, models, {
        limit: 1,
      }),
    );
    return { value: recordOf(model) };
  }
  if (/^find_by_[a-z_]+!?$/.test(name)) {
    out.push(
      selectOf({ ...relation, filters: [...relation.filters, ...name.replace(/^find_by_|!$/g, '').split('_and_')] }, models, { limit: 1 }),
    );
    return { value: recordOf(model) };
  }
  if (AGGREGATES.has(name)) {
    const count =
      name === 'count' ||
      name === 'size' ||
      name === 'length' ||
      name === 'any?' ||
      name === 'many?' ||
      name === 'none?' ||
      name === 'empty?';
    const filters = name === 'exists?' && args.length > 0 ? (pairKeys(args).length > 0 ? pairKeys(args) : ['id']) : [];
    out.push(
      selectOf(
        { ...relation, filters: [...relation.filters, ...filters] },
        models,
        count ? { count: true } : name === 'exists?' ? { limit: 1 } : {},
      ),
    );
    return { value: undefined };
  }
  if (FIND_OR.has(name)) {
    out.push(selectOf({ ...relation, filters: [...relation.filters, ...filterColumns(args)] }, models, { limit: 1 }));
    if (name !== 'find_or_initialize_by') out.push({ action: 'insert', table: model.table });
    return { value: recordOf(model, name === 'find_or_initialize_by') };
  }
  if (INSERTS.has(name)) {
    out.push({ action: 'insert', table: model.table });
    return { value: name.includes('all') ? undefined : recordOf(model) };
  }
  if (name === 'new' || name === 'build') return { value: recordOf(model, true, relation.tentative) };
  if (name === 'update_all' || name === 'update' || name === 'update!' || name === 'touch_all') {
    // `Order.update(id, attrs)` updates one row by id; on a relation, every row it matches.
    const byId = !relation.known && args.length > 0 && args[0]?.type !== 'pair' && args[0]?.type !== 'hash';
    const set = name === 'touch_all' ? ['updated_at'] : pairKeys(args).length > 0 ? pairKeys(args) : assignedColumns(args);
    out.push({
      action: 'update',
      table: model.table,
      setColumns: set,
      filterColumns: byId ? ['id'] : relation.filters,
      filteredUnknown: !byId && relation.filteredUnknown && relation.filters.length === 0,
    });
    return { value: undefined };
  }
  if (RELATION_DELETES.has(name) || ((name === 'destroy' || name === 'delete') && args.length > 0)) {
    const filters = name.endsWith('_by') ? filterColumns(args) : name === 'destroy' || name === 'delete' ? ['id'] : [];
    out.push({
      action: 'delete',
      table: model.table,
      filterColumns: [...relation.filters, ...filters],
      filteredUnknown: relation.filteredUnknown && relation.filters.length === 0 && filters.length === 0,
    });
    return { value: undefined };
  }
  if (COUNTERS.has(name)) {
    const set = pairKeys(args).length > 0 ? pairKeys(args) : args.slice(0, 1).map((a) => symbolOrStringValue(a) ?? 'id');
    out.push({ action: 'update', table: model.table, setColumns: set.length > 0 ? set : ['id'], filterColumns: ['id'] });
    return { value: undefined };
  }
  if (STOPS.has(name)) return name === 'find_by_sql' ? { value: { kind: 'records', model } } : undefined;
  if (relation.tentative) return undefined;
  // A relation answers neither `lock!`, `with_lock` nor an association reader: the class method right before it
  // (`Node.from_xml(…)`, `Order.build_from(params)`) returned a record.
  if (calledClassMethod(relation) && (name === 'lock!' || name === 'with_lock' || model.associations.has(name)))
    return applyRecordStep(recordOf(model), step, out, models);
  // Any other name is taken for a scope or class method returning a relation (`Order.pending`): WHERE unknown.
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return { value: { ...relation, filteredUnknown: true } };
  return undefined;
}

/** `update_all("stock = stock + 1, updated_at = now()")` → ["stock", "updated_at"]. */
function assignedColumns(args: readonly Node[]): string[] {
  const first = args[0];
  if (first === undefined || (first.type !== 'string' && first.type !== 'array')) return [];
  const text = first.type === 'array' ? (first.namedChildren[0]?.text ?? '') : first.text;
  return [...text.matchAll(/(?:^["']?|,)\s*"?([a-z_][a-z0-9_]*)"?\s*=(?!=)/gi)].map((m) => m[1] ?? '').filter((c) => c !== '');
}

function build(relation: Relation, step: Step, models: ModelMap): Relation {
  const { name, args } = step;
  const next: Relation = { ...relation, known: true };
  switch (name) {
    case 'where':
    case 'rewhere':
    case 'not':
    case 'or':
    case 'and': {
      const columns = filterColumns(args);
      const nested = hashConditionTables(args);
      return {
        ...next,
        filters: [...new Set([...relation.filters, ...columns])],
        filteredUnknown: relation.filteredUnknown || (columns.length === 0 && nested.length === 0 && args.length > 0),
        references: [...relation.references, ...nested],
      };
    }
    case 'joins':
    case 'left_joins':
    case 'left_outer_joins':
    case 'eager_load':
      return {
        ...next,
        joins: [...relation.joins, ...associationNames(args).map((n) => associationModel(relation.model, n, models).table)],
      };
    case 'includes':
      return { ...next, includes: [...relation.includes, ...associationNames(args)] };
    case 'preload':
      return { ...next, preloads: [...relation.preloads, ...associationNames(args)] };
    case 'references':
      return { ...next, references: [...relation.references, ...associationNames(args)] };
    case 'lock':
      return { ...next, lock: parseLock(args) };
    default:
      return next;
  }
}

function byId(record: RecordValue, extra: Partial<OrmQuery> = {}): OrmQuery {
  return { action: 'select', table: record.model.table, filterColumns: ['id'], ...extra };
}

/** One step on a loaded record: writes by primary key, `lock!`, `reload`, associations. */
export function applyRecordStep(record: RecordValue, step: Step, out: OrmQuery[], models: ModelMap): StepResult | undefined {
  const { name, args } = step;
  const table = record.model.table;
  if (RECORD_UPDATES.has(name)) {
    if ((name === 'save' || name === 'save!') && record.fresh) out.push({ action: 'insert', table });
    else {
      const keys = pairKeys(args);
      const symbols = args
        .map((a) => (a.type === 'simple_symbol' ? symbolOrStringValue(a) : undefined))
        .filter((s): s is string => s !== undefined);
      const set =
        name === 'touch'
          ? symbols.length > 0
            ? symbols
            : ['updated_at']
          : keys.length > 0
            ? keys
            : name === 'update_column' || name === 'update_attribute' || name.endsWith('crement!') || name === 'toggle!'
              ? symbols.slice(0, 1)
              : [];
      out.push({ action: 'update', table, setColumns: set.length > 0 ? set : ['updated_at'], filterColumns: ['id'] });
    }
    return { value: { ...record, fresh: false, tentative: false } };
  }
  if (RECORD_DELETES.has(name)) {
    out.push({ action: 'delete', table, filterColumns: ['id'] });
    return { value: undefined };
  }
  if (name === 'lock!' || name === 'with_lock') {
    out.push(byId(record, { rowLock: parseLock(args) ?? { strength: 'update', waitPolicy: 'block' } }));
    return { value: { ...record, tentative: false } };
  }
  if (name === 'reload') {
    out.push(byId(record));
    return { value: { ...record, tentative: false } };
  }
  if (record.tentative || args.length > 0 || step.block !== null || !/^[a-z][a-z0-9_]*$/.test(name) || NOT_ASSOCIATIONS.test(name))
    return undefined;
  const declared = record.model.associations.get(name);
  // A declared model's undeclared name is an attribute or a method, not an association.
  if (declared === undefined && record.model.declared) return undefined;
  const target = associationModel(record.model, name, models);
  const plural =
    declared !== undefined
      ? declared.kind === 'has_many' || declared.kind === 'has_and_belongs_to_many'
      : /[^s]s$|ies$|people$|children$/.test(name);
  if (!plural) return { value: recordOf(target, false, true) };
  const owner = `${snakeCase(record.model.className)}_id`;
  return { value: { ...relationOf(target, true), filters: declared?.kind === 'has_and_belongs_to_many' ? [] : [owner] } };
}

/** Loaded records (an Array): iterating hands out records, no query. */
export function applyRecordsStep(records: Records, step: Step): StepResult | undefined {
  if (ITERATORS.has(step.name) || step.name === 'each_slice') {
    return { value: records, element: step.name === 'each_slice' ? records : recordOf(records.model) };
  }
  if (['to_a', 'reverse', 'sort', 'compact', 'uniq', 'shuffle'].includes(step.name)) return { value: records };
  if (['first', 'last', 'sample'].includes(step.name) && step.args.length === 0) return { value: recordOf(records.model) };
  return undefined;
}
