/** A relation's pg_inherits children as the catalog lists them: partitions in descriptor order, others by OID. */
import type { CatalogColumn, CatalogEnumLabel, CatalogPartitioning } from '../core/catalog.js';
import { keyFamily, typedValue, type KeyFamily } from '../core/predict/key-values.js';
import { compareValues, parsePartitionBound, type BoundValue } from '../core/predict/partition-bounds.js';

/** A pg_inherits child as the catalog query sends it: [oid, partition bound, is a partition]. */
export type RawChild = [number, string | null, boolean];

/** The first key column's type, as bounds are compared: '100' in a smallint bound is 100, an enum by sort order. */
export interface DescriptorKey {
  family: KeyFamily;
  enumLabels?: CatalogEnumLabel[] | null;
}

/**
 * The partition descriptor's order, which decides planner lock order: range partitions by lower bound, list
 * partitions by their smallest value (compared as the key's type, never as spelled), a list partition accepting only
 * NULL after them, hash partitions by (modulus, remainder); the default partition last. Bounds that cannot be
 * compared keep OID order.
 */
export function partitionDescriptorOrder(
  children: Array<{ oid: number; bound: string | null }>,
  descriptorKey: DescriptorKey = { family: 'untyped' },
): number[] {
  const typed = (v: BoundValue | undefined): BoundValue | undefined =>
    v === undefined ? undefined : (typedValue(v, descriptorKey.family, descriptorKey.enumLabels) ?? v);
  const keyed = children.map((child) => {
    const bound = parsePartitionBound(child.bound ?? undefined);
    let key: BoundValue | undefined;
    let hash: [number, number] | undefined;
    if (bound.kind === 'range') key = typed(bound.from[0]);
    else if (bound.kind === 'list')
      key = bound.values
        .filter((v) => v.kind !== 'null')
        .map(typed)
        .sort((a, b) => (a !== undefined && b !== undefined ? (compareValues(a, b) ?? 0) : 0))[0];
    else if (bound.kind === 'hash') hash = [bound.modulus, bound.remainder];
    const nullOnly = bound.kind === 'list' && key === undefined;
    return { oid: Number(child.oid), isDefault: bound.kind === 'default', nullOnly, key, hash };
  });
  keyed.sort((a, b) => {
    if (a.isDefault !== b.isDefault) return a.isDefault ? 1 : -1;
    if (a.nullOnly !== b.nullOnly) return a.nullOnly ? 1 : -1;
    if (a.hash !== undefined && b.hash !== undefined) return a.hash[0] - b.hash[0] || a.hash[1] - b.hash[1];
    if (a.key !== undefined && b.key !== undefined) return compareValues(a.key, b.key) ?? a.oid - b.oid;
    return a.oid - b.oid;
  });
  return keyed.map((k) => k.oid);
}

/** The partition key's first column's type (partitionDescriptorOrder compares bounds as that type). */
export function descriptorKeyOf(partitioning: CatalogPartitioning, columns: CatalogColumn[]): DescriptorKey {
  const keyColumn = partitioning.keyColumns[0];
  return {
    family: keyFamily(columns.find((c) => c.name === keyColumn)?.typeName),
    enumLabels: partitioning.keyTypes?.[0]?.enumLabels,
  };
}

/**
 * Partitions in descriptor order (`partitions` is the key to compare bounds by, undefined for untyped) or, with
 * `false`, legacy inheritance children by OID; most relations have neither.
 */
export function childOids(children: RawChild[] | null, partitions: DescriptorKey | undefined | false): number[] {
  if (children === null || children.length === 0) return [];
  const picked: Array<{ oid: number; bound: string | null }> = [];
  for (const [oid, bound, isPartition] of children) {
    if (isPartition === (partitions !== false)) picked.push({ oid: Number(oid), bound });
  }
  if (partitions === false) return picked.map((c) => c.oid).sort((a, b) => a - b);
  return partitionDescriptorOrder(picked, partitions);
}
