/**
 * Django's generated database names, reproduced exactly (django/db/backends/utils.py, base/schema.py, models/indexes.py):
 * an md5 digest of the name parts cut to a few hex digits, so the index and constraint names discovery creates are the
 * ones `manage.py migrate` creates (they appear in lock sets, since a query locks every index of its table).
 */
import { createHash } from 'node:crypto';

/** PostgreSQL's identifier limit (connection.ops.max_name_length()). */
export const MAX_NAME_LENGTH = 63;

/** names_digest(*args, length): md5 over the parts concatenated, first `length` hex digits. */
export function namesDigest(parts: readonly string[], length: number): string {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part, 'utf8');
  return hash.digest('hex').slice(0, length);
}

/** truncate_name(identifier, 63): a name over the limit keeps its first 59 characters and a 4-digit digest. */
export function truncateName(identifier: string, length = MAX_NAME_LENGTH, hashLength = 4): string {
  if (identifier.length <= length) return identifier;
  return identifier.slice(0, length - hashLength) + namesDigest([identifier], hashLength);
}

/**
 * BaseDatabaseSchemaEditor._create_index_name: `<table>_<columns>_<digest8><suffix>`, shortened when over 63 characters
 * (the digest part cut to a third, table and columns to what is left), and prefixed with D when it would start with
 * an underscore or a digit.
 */
export function createIndexName(table: string, columns: readonly string[], suffix = ''): string {
  const tableName = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  let hashSuffixPart = `${namesDigest([tableName, ...columns], 8)}${suffix}`;
  const joined = columns.join('_');
  const full = `${tableName}_${joined}_${hashSuffixPart}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  if (hashSuffixPart.length > MAX_NAME_LENGTH / 3) hashSuffixPart = hashSuffixPart.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const otherLength = Math.floor((MAX_NAME_LENGTH - hashSuffixPart.length) / 2) - 1;
  const name = `${tableName.slice(0, otherLength)}_${joined.slice(0, otherLength)}_${hashSuffixPart}`;
  return /^[_0-9]/.test(name) ? `D${name.slice(0, -1)}` : name;
}

/** The name of a foreign key constraint: _create_index_name with the suffix `_fk_<to_table>_<to_column>`. */
export function foreignKeyName(table: string, column: string, toTable: string, toColumn: string): string {
  const target = toTable.includes('.') ? toTable.slice(toTable.lastIndexOf('.') + 1) : toTable;
  return createIndexName(table, [column], `_fk_${target}_${toColumn}`);
}

/**
 * Index.set_name_with_model for a `models.Index(fields=…)` without a name: `<table[:11]>_<first column[:7]>_<digest6>_idx`,
 * the digest over the table, each column with a `-` for descending order, and the suffix.
 */
export function modelIndexName(table: string, columns: ReadonlyArray<{ column: string; descending: boolean }>, suffix = 'idx'): string {
  const tableName = table.includes('.') ? table.slice(table.lastIndexOf('.') + 1) : table;
  const hashData = [tableName, ...columns.map((c) => `${c.descending ? '-' : ''}${c.column}`), suffix];
  const name = `${tableName.slice(0, 11)}_${(columns[0]?.column ?? '').slice(0, 7)}_${namesDigest(hashData, 6)}_${suffix}`;
  return /^[_0-9]/.test(name) ? `D${name.slice(1)}` : name;
}
