/** Plan-time partition pruning for constant keys: which partitions of a partitioned table the planner opens. */
import type { Catalog, CatalogRelation } from '../catalog.js';
import type { Node } from '@pgsql/types';
import { columnRefOf, constantOf, itemsOf, nodeAs, stringOf } from '../sql/ast.js';
import {
  boundAdmits,
  compareValues,
  parsePartitionBound,
  type BoundValue,
  type KeyRestriction,
  type PartitionBound,
} from './partition-bounds.js';
import { hashPartitionFor } from './hash-partition.js';

export interface PruneResult {
  /** Partitions kept, in partition-descriptor order. */
  live: CatalogRelation[];
  /** Set when the answer depends on a parameter value (custom plan): one partition is kept as a stand-in. */
  note: string | undefined;
}

function restrictionOf(conjunct: Node, key: string, names: Set<string>): KeyRestriction | undefined {
  const expr = nodeAs(conjunct, 'A_Expr');
  const nullTest = nodeAs(conjunct, 'NullTest');
  if (nullTest !== undefined) {
    const col = columnRefOf(nullTest.arg);
    if (col?.column === key && (col.qualifier === undefined || names.has(col.qualifier)) && nullTest.nulltesttype === 'IS_NULL')
      return { op: 'is-null' };
    return undefined;
  }
  if (expr === undefined) return undefined;
  const kind = expr.kind;
  const op = stringOf(expr.name?.[0]) ?? '';
  let col = columnRefOf(expr.lexpr);
  let other = expr.rexpr;
  let flipped = false;
  if (col === undefined) {
    col = columnRefOf(expr.rexpr);
    other = expr.lexpr;
    flipped = true;
  }
  if (col === undefined || col.column !== key || (col.qualifier !== undefined && !names.has(col.qualifier))) return undefined;
  if (kind === 'AEXPR_IN' && op === '=') {
    const values = itemsOf(other).map(constantOf);
    return values.every((v) => v !== undefined) ? { op: 'in', values: values as BoundValue[] } : undefined;
  }
  if (kind === 'AEXPR_BETWEEN') return undefined; // handled by the caller as two restrictions
  if (kind !== 'AEXPR_OP' || !['=', '<', '<=', '>', '>='].includes(op)) return undefined;
  if (nodeAs(other, 'ParamRef') !== undefined) return op === '=' ? { op: 'param-eq' } : undefined;
  const value = constantOf(other);
  if (value === undefined) return undefined;
  const mirrored: Record<string, KeyRestriction['op']> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };
  return { op: (flipped ? mirrored[op] : op) as '=' | '<' | '<=' | '>' | '>=', value };
}

function betweenRestrictions(conjunct: Node, key: string, names: Set<string>): KeyRestriction[] {
  const expr = nodeAs(conjunct, 'A_Expr');
  if (expr?.kind !== 'AEXPR_BETWEEN') return [];
  const col = columnRefOf(expr.lexpr);
  if (col?.column !== key || (col.qualifier !== undefined && !names.has(col.qualifier))) return [];
  const [lo, hi] = itemsOf(expr.rexpr).map(constantOf);
  return lo !== undefined && hi !== undefined
    ? [
        { op: '>=', value: lo },
        { op: '<=', value: hi },
      ]
    : [];
}

/** Prunes the direct partitions of `parent` with the WHERE conjuncts of the query level it is scanned in. */
export function prunePartitions(catalog: Catalog, parent: CatalogRelation, alias: string | undefined, quals: readonly Node[]): PruneResult {
  const all = parent.partitions.map((oid) => catalog.relations.get(oid)).filter((r): r is CatalogRelation => r !== undefined);
  const key = parent.partitioning?.keyColumns;
  if (key === undefined || key.length !== 1 || key[0] === undefined) return { live: all, note: undefined };
  const keyColumn = key[0];
  const names = new Set([alias ?? parent.name, parent.name]);
  const restrictions = quals.flatMap((q) => {
    const r = restrictionOf(q, keyColumn, names);
    return r !== undefined ? [r] : betweenRestrictions(q, keyColumn, names);
  });
  if (restrictions.length === 0) return { live: all, note: undefined };
  if (restrictions.some((r) => r.op === 'param-eq')) {
    const first = all.find((p) => parsePartitionBound(p.partitionBound).kind !== 'default');
    return {
      live: first ? [first] : all,
      note: `${parent.qualifiedName}: the partition depends on a parameter value; a custom plan opens one partition (${first?.qualifiedName ?? 'unknown'} shown), a generic plan opens all ${all.length}.`,
    };
  }
  const strategy = parent.partitioning?.strategy;
  if (strategy === 'hash') {
    const equal = restrictions.find((r) => r.op === '=' || r.op === 'in');
    if (equal === undefined) return { live: all, note: undefined };
    const values = equal.op === '=' ? [equal.value] : equal.op === 'in' ? equal.values : [];
    const keyType = parent.columns.find((c) => c.name === keyColumn)?.typeName;
    const live = new Set<number>();
    for (const value of values) {
      const hit = hashPartitionFor(all, value, keyType);
      if (hit === undefined)
        return { live: all, note: `${parent.qualifiedName}: hash pruning for this key type is not modelled; all partitions shown.` };
      live.add(hit.oid);
    }
    return { live: all.filter((p) => live.has(p.oid)), note: undefined };
  }
  const bounds = all.map((p) => ({ partition: p, bound: parsePartitionBound(p.partitionBound) }));
  const nonDefault = bounds.filter((b) => b.bound.kind !== 'default');
  const kept = nonDefault.filter((b) => boundAdmits(b.bound, restrictions)).map((b) => b.partition);
  const defaultPart = bounds.find((b) => b.bound.kind === 'default')?.partition;
  if (defaultPart !== undefined && strategy === 'range') {
    if (
      !rangeCovered(
        nonDefault.map((b) => b.bound),
        restrictions,
      )
    )
      kept.push(defaultPart);
  } else if (defaultPart !== undefined) {
    const onlyEquality = restrictions.every((r) => r.op === '=' || r.op === 'in');
    const everyValueCovered =
      onlyEquality &&
      restrictions.every((r) => {
        const values = r.op === '=' ? [r.value] : r.op === 'in' ? r.values : [];
        return values.every((v) => nonDefault.some((b) => boundAdmits(b.bound, [{ op: '=', value: v }])));
      });
    if (!everyValueCovered) kept.push(defaultPart);
  }
  // Keep descriptor order (the default partition is last there too).
  const order = new Map(all.map((p, i) => [p.oid, i]));
  kept.sort((a, b) => (order.get(a.oid) ?? 0) - (order.get(b.oid) ?? 0));
  return { live: kept, note: undefined };
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
