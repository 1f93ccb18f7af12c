/**
 * Postgres' hash partition routing (compute_partition_hash_value with the partition seed) for keys hashed as 32- or
 * 64-bit integers (lookup3 hash_uint32_extended): integers, booleans (hashcharextended), dates (days,
 * hashint4extended), timestamps (microseconds, hashint8extended), enums (the label's OID, hashenumextended); and as
 * byte strings (hash-datums.ts): text and varchar under a deterministic collation, uuid, numeric.
 */
import type { CatalogKeyType, CatalogRelation } from '../catalog.js';
import { hashUint32Extended } from './hash-bytes.js';
import { hashNumericExtended, hashTextExtended, hashUuidExtended } from './hash-datums.js';
import type { BoundValue } from './partition-bounds.js';
import { parsePartitionBound } from './partition-bounds.js';
import { keyFamily, typedValue } from './key-values.js';

const MASK32 = 0xffffffffn;
const MASK64 = 0xffffffffffffffffn;
/** HASH_PARTITION_SEED in partbounds.c. */
const HASH_PARTITION_SEED = 0x7a5b22367996dcfdn;

/** hashint8extended folds the high half into the low half before hashing. */
function hashInt8(value: bigint): bigint {
  const v = BigInt.asIntN(64, value);
  const lo = Number(BigInt.asUintN(64, v) & MASK32);
  const hi = Number((BigInt.asUintN(64, v) >> 32n) & MASK32);
  const folded = (lo ^ (v >= 0n ? hi : ~hi >>> 0)) >>> 0;
  return hashUint32Extended(folded, HASH_PARTITION_SEED);
}

/** hash_combine64 from common/hashfn.h, starting from 0 for the first key column. */
function hashCombine64(a: bigint, b: bigint): bigint {
  const mixed = (b + 0x49a0f4dd15e5a8e3n + ((a << 54n) & MASK64) + (a >> 7n)) & MASK64;
  return (a ^ mixed) & MASK64;
}

/** The row hash of a single-column integer key, as compute_partition_hash_value computes it. */
export function integerRowHash(value: bigint, typeName: string | undefined): bigint | undefined {
  const type = (typeName ?? 'integer').toLowerCase();
  let hash: bigint;
  if (type === 'bigint' || type === 'int8') hash = hashInt8(value);
  else if (['integer', 'int4', 'int', 'smallint', 'int2'].includes(type))
    hash = hashUint32Extended(Number(BigInt.asIntN(32, value) & MASK32) >>> 0, HASH_PARTITION_SEED);
  else return undefined;
  return hashCombine64(0n, hash);
}

/** PostgreSQL's epoch (2000-01-01) in Unix milliseconds and days. */
const PG_EPOCH_MS = 946684800000n;
const MS_PER_DAY = 86400000n;

/** NUMERIC_SCALE of key-values.ts: numeric key values are integers of 10^-30. */
const NUMERIC_SCALE = 30;

/** Keys hashed as byte strings or OIDs; undefined when the value or the key's collation is not modelled. */
function datumRowHash(typed: BoundValue, typeName: string, keyType: CatalogKeyType | undefined): bigint | undefined {
  const family = keyFamily(typeName);
  if (family === 'text' && typed.kind === 'string') {
    // A nondeterministic collation hashes a sort key (strxfrm / ICU), not the bytes.
    if (keyType?.deterministic === false) return undefined;
    const blankPadded = /^(character|char|bpchar)\b(?! varying)/i.test(typeName);
    return hashCombine64(0n, hashTextExtended(typed.value, HASH_PARTITION_SEED, blankPadded));
  }
  if (family === 'uuid' && typed.kind === 'string') return hashCombine64(0n, hashUuidExtended(typed.value, HASH_PARTITION_SEED));
  if (family === 'numeric' && typed.kind === 'number' && typeof typed.value === 'bigint')
    return hashCombine64(0n, hashNumericExtended(typed.value, NUMERIC_SCALE, HASH_PARTITION_SEED));
  if (family === 'other') {
    // An enum value read with the snapshot's labels is its position in sort order.
    const labels = keyType?.enumLabels ?? [];
    const label =
      typed.kind === 'number'
        ? labels[Number(typed.value)]
        : typed.kind === 'label'
          ? labels.find((l) => l.label === typed.value)
          : undefined;
    return label === undefined ? undefined : hashCombine64(0n, hashUint32Extended(label.oid >>> 0, HASH_PARTITION_SEED));
  }
  return undefined;
}

/**
 * The row hash of a single-column key, or undefined when not modelled. `keyType` (the snapshot's enum labels and
 * collation) is needed for enums and text.
 */
export function rowHashOf(value: BoundValue, typeName: string | undefined, keyType?: CatalogKeyType): bigint | undefined {
  const family = keyFamily(typeName);
  // Pruning passes values already read as the key's type (numbers); routing passes the constant as written.
  const typed = family === 'untyped' || value.kind === 'number' ? value : typedValue(value, family, keyType?.enumLabels);
  if (typed !== undefined && typeName !== undefined && ['text', 'uuid', 'numeric', 'other'].includes(family))
    return datumRowHash(typed, typeName, keyType);
  if (typed?.kind !== 'number' || (typeof typed.value !== 'bigint' && !Number.isInteger(typed.value))) return undefined;
  const v = BigInt(typed.value);
  const int4 = (n: bigint): bigint =>
    hashCombine64(0n, hashUint32Extended(Number(BigInt.asIntN(32, n) & MASK32) >>> 0, HASH_PARTITION_SEED));
  switch (family) {
    case 'integer':
    case 'untyped':
      return integerRowHash(v, typeName);
    case 'boolean':
      return int4(v);
    case 'date':
      // typedValue reads dates as UTC milliseconds; a date is int32 days since 2000-01-01.
      return (v - PG_EPOCH_MS) % MS_PER_DAY === 0n ? int4((v - PG_EPOCH_MS) / MS_PER_DAY) : undefined;
    case 'timestamp':
    case 'timestamptz':
      // int64 microseconds since 2000-01-01 (timestamptz in UTC; the snapshot's session prints bounds in UTC).
      return hashCombine64(0n, hashInt8((v - PG_EPOCH_MS) * 1000n));
    default:
      return undefined;
  }
}

/** The hash partition a constant key routes to, or undefined when the key type is not modelled. */
export function hashPartitionFor(
  partitions: readonly CatalogRelation[],
  value: BoundValue,
  typeName: string | undefined,
  keyType?: CatalogKeyType,
): CatalogRelation | undefined {
  const rowHash = rowHashOf(value, typeName, keyType);
  if (rowHash === undefined) return undefined;
  for (const partition of partitions) {
    const bound = parsePartitionBound(partition.partitionBound);
    if (bound.kind === 'hash' && rowHash % BigInt(bound.modulus) === BigInt(bound.remainder)) return partition;
  }
  return undefined;
}
