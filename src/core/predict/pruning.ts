/** Plan-time partition pruning for constant keys: which partitions of a partitioned table the planner opens. */
import type { Catalog, CatalogEnumLabel, CatalogKeyType, CatalogRelation } from '../catalog.js';
import type { Node } from '@pgsql/types';
import { hashPartitionFor } from './hash-partition.js';
import { keyConditions, type KeyColumn } from './key-restrictions.js';
import { keyFamily, typedValue, type KeyFamily } from './key-values.js';
import {
  boundAdmits,
  compareValues,
  parsePartitionBound,
  type BoundValue,
  type KeyRestriction,
  type PartitionBound,
} from './partition-bounds.js';

export interface PruneResult {
  /** Partitions kept, in partition-descriptor order. */
  live: CatalogRelation[];
  /** Set when the answer depends on a parameter value (custom plan): one partition is kept as a stand-in. */
  note: string | undefined;
}

/** A partition's bound with its values read as the key's type (unreadable values make it `unknown`: kept). */
export function typedBound(bound: PartitionBound, family: KeyFamily, enumLabels?: readonly CatalogEnumLabel[] | null): PartitionBound {
  const read = (values: BoundValue[]): BoundValue[] | undefined => {
    const typed = values.map((v) => typedValue(v, family, enumLabels));
    return typed.every((v): v is BoundValue => v !== undefined) ? typed : undefined;
  };
  if (bound.kind === 'list') {
    const values = read(bound.values);
    return values === undefined ? { kind: 'unknown' } : { kind: 'list', values };
  }
  if (bound.kind === 'range') {
    const from = read(bound.from);
    const to = read(bound.to);
    return from === undefined || to === undefined ? { kind: 'unknown' } : { kind: 'range', from, to };
  }
  return bound;
}

interface Bounded {
  partition: CatalogRelation;
  bound: PartitionBound;
}

/** Partitions kept for one AND-list of restrictions (PostgreSQL combines a key's clauses into one step). */
function keptFor(
  strategy: string | undefined,
  bounds: Bounded[],
  restrictions: KeyRestriction[],
  keyType: KeyTypeInfo,
): Set<number> | 'unmodelled' {
  // Range partitioning has no pruning step for <> and IS NOT NULL.
  const steps = strategy === 'range' ? restrictions.filter((r) => r.op !== 'ne' && r.op !== 'is-not-null') : restrictions;
  const all = new Set(bounds.map((b) => b.partition.oid));
  if (steps.length === 0) return all;
  if (strategy === 'hash') return hashKept(bounds, steps, keyType);
  const nonDefault = bounds.filter((b) => b.bound.kind !== 'default');
  const kept = new Set(nonDefault.filter((b) => boundAdmits(b.bound, steps)).map((b) => b.partition.oid));
  const defaultPart = bounds.find((b) => b.bound.kind === 'default')?.partition;
  if (defaultPart === undefined) return kept;
  if (strategy === 'range') {
    if (
      !rangeCovered(
        nonDefault.map((b) => b.bound),
        steps,
      )
    )
      kept.add(defaultPart.oid);
    return kept;
  }
  // List: IS NULL goes to the partition that accepts NULL (the default only when none does).
  if (steps.some((r) => r.op === 'is-null')) {
    const nullPartition = nonDefault.some((b) => b.bound.kind === 'list' && b.bound.values.some((v) => v.kind === 'null'));
    if (!nullPartition) kept.add(defaultPart.oid);
    return kept;
  }
  const equalities = steps.filter((r) => r.op === '=' || r.op === 'in');
  const everyValueCovered =
    equalities.length > 0 &&
    equalities.every((r) => {
      const values = r.op === '=' ? [r.value] : r.op === 'in' ? r.values : [];
      return values.every((v) => nonDefault.some((b) => boundAdmits(b.bound, [{ op: '=', value: v }])));
    });
  if (!everyValueCovered) kept.add(defaultPart.oid);
  return kept;
}

/** Hash partitioning prunes on equality (and IS NULL: all-null keys hash to 0) only. */
/** The key column's type name and its snapshot facts (enum labels, collation). */
interface KeyTypeInfo {
  name: string | undefined;
  facts: CatalogKeyType | undefined;
}

function hashKept(bounds: Bounded[], restrictions: KeyRestriction[], keyType: KeyTypeInfo): Set<number> | 'unmodelled' {
  const partitions = bounds.map((b) => b.partition);
  if (restrictions.some((r) => r.op === 'is-null')) {
    const zero = bounds.find((b) => b.bound.kind === 'hash' && b.bound.remainder === 0);
    return new Set(zero === undefined ? [] : [zero.partition.oid]);
  }
  const equal = restrictions.find((r) => r.op === '=' || r.op === 'in');
  if (equal === undefined) return new Set(partitions.map((p) => p.oid));
  const values = equal.op === '=' ? [equal.value] : equal.op === 'in' ? equal.values : [];
  const live = new Set<number>();
  for (const value of values) {
    const hit = hashPartitionFor(partitions, value, keyType.name, keyType.facts);
    if (hit === undefined) return 'unmodelled';
    live.add(hit.oid);
  }
  return live;
}

/** Prunes the direct partitions of `parent` with the WHERE conjuncts of the query level it is scanned in. */
export function prunePartitions(catalog: Catalog, parent: CatalogRelation, alias: string | undefined, quals: readonly Node[]): PruneResult {
  const all = parent.partitions.map((oid) => catalog.relations.get(oid)).filter((r): r is CatalogRelation => r !== undefined);
  const keyColumns = parent.partitioning?.keyColumns;
  if (keyColumns === undefined || keyColumns.length !== 1 || keyColumns[0] === undefined) return { live: all, note: undefined };
  const column = keyColumns[0];
  const keyType: KeyTypeInfo = { name: parent.columns.find((c) => c.name === column)?.typeName, facts: parent.partitioning?.keyTypes?.[0] };
  const key: KeyColumn = {
    column,
    names: new Set([alias ?? parent.name, parent.name]),
    family: keyFamily(keyType.name),
    enumLabels: keyType.facts?.enumLabels,
  };
  const conditions = keyConditions(quals, key);
  if (conditions.length === 0) return { live: all, note: undefined };
  const plain = conditions.flatMap((c) => ('restrictions' in c ? c.restrictions : []));
  if (plain.some((r) => r.op === 'param-eq')) {
    const first = all.find((p) => parsePartitionBound(p.partitionBound).kind !== 'default');
    return {
      live: first ? [first] : all,
      note: `${parent.qualifiedName}: the partition depends on a parameter value; a custom plan opens one partition (${first?.qualifiedName ?? 'unknown'} shown), a generic plan opens all ${all.length}.`,
    };
  }
  // PostgreSQL 17+ reads IS NULL on a NOT NULL column as false: the scan is dummy, no partition is opened.
  const keyNotNull = parent.columns.find((c) => c.name === column)?.notNull === true;
  if (keyNotNull && catalog.profile.versionNum >= 170000 && plain.some((r) => r.op === 'is-null')) return { live: [], note: undefined };
  const strategy = parent.partitioning?.strategy;
  const bounds = all.map((p) => ({ partition: p, bound: typedBound(parsePartitionBound(p.partitionBound), key.family, key.enumLabels) }));
  const unmodelled = { live: all, note: `${parent.qualifiedName}: hash pruning for this key type is not modelled; all partitions shown.` };
  let kept = keptFor(strategy, bounds, plain, keyType);
  if (kept === 'unmodelled') return unmodelled;
  // Each OR is a union of its arms' partitions, intersected with the rest (PostgreSQL's combine steps).
  for (const condition of conditions) {
    if (!('arms' in condition)) continue;
    const union = new Set<number>();
    for (const arm of condition.arms) {
      const armKept = keptFor(strategy, bounds, arm, keyType);
      if (armKept === 'unmodelled') return unmodelled;
      for (const oid of armKept) union.add(oid);
    }
    const before: Set<number> = kept;
    kept = new Set([...before].filter((oid) => union.has(oid)));
  }
  const live = kept;
  return { live: all.filter((p) => live.has(p.oid)), note: undefined };
}

type Range = { from: BoundValue[]; to: BoundValue[] };

/**
 * Is every key value the restrictions allow inside some non-default range partition? If not, the default
 * partition may hold matching rows and the planner keeps it.
 */
function rangeCovered(bounds: PartitionBound[], restrictions: KeyRestriction[]): boolean {
  const ranges = bounds.filter((b): b is PartitionBound & Range => b.kind === 'range');
  if (restrictions.every((r) => r.op === '=' || r.op === 'in')) {
    const values = restrictions.flatMap((r) => (r.op === '=' ? [r.value] : r.op === 'in' ? r.values : []));
    return values.every((v) => ranges.some((b) => boundAdmits(b, [{ op: '=', value: v }])));
  }
  let lower: { value: BoundValue; inclusive: boolean } = { value: { kind: 'minvalue' }, inclusive: true };
  let upper: { value: BoundValue; inclusive: boolean } = { value: { kind: 'maxvalue' }, inclusive: true };
  for (const r of restrictions) {
    if ((r.op === '>' || r.op === '>=') && (compareValues(r.value, lower.value) ?? 0) >= 0)
      lower = { value: r.value, inclusive: r.op === '>=' };
    if ((r.op === '<' || r.op === '<=') && (compareValues(r.value, upper.value) ?? 0) <= 0)
      upper = { value: r.value, inclusive: r.op === '<=' };
    if (r.op === 'is-null' || r.op === 'param-eq') return false;
  }
  // Walk partitions from the lower end; each must start at or before the current point.
  let point = lower.value;
  for (;;) {
    const covering = ranges.find((b) => {
      const from = b.from[0];
      const to = b.to[0];
      return from !== undefined && to !== undefined && (compareValues(from, point) ?? 1) <= 0 && (compareValues(point, to) ?? 1) < 0;
    });
    if (covering === undefined) return false;
    const to = covering.to[0] as BoundValue;
    if (to.kind === 'maxvalue') return true;
    const cmp = compareValues(to, upper.value) ?? -1;
    if (cmp > 0 || (cmp === 0 && !upper.inclusive)) return true;
    point = to;
  }
}
