/**
 * The SQL an ORM call sends, written from what an extractor read off the call: the table, tables joined in by eager
 * loading, filter and SET columns where the call names them, the row-lock clause. Locks depend on relations, not on
 * column lists, so `SELECT *` and placeholder values are faithful for lock prediction.
 */
import { strengthLabel, waitPolicySql } from '../../sql/row-locks.js';
import type { SiteRowLock } from '../types.js';

export interface OrmQuery {
  action: 'select' | 'insert' | 'update' | 'delete';
  /** The mapped table, optionally schema-qualified ("billing.invoices"). */
  table: string;
  /** Tables joined into the same statement (eager loading by JOIN), in join order. */
  joins?: readonly string[];
  /** Columns compared in WHERE, when the call names them (`filter_by(id=…)`, `where: { id }`). */
  filterColumns?: readonly string[];
  /** True when there is a WHERE whose columns could not be read off the call. */
  filteredUnknown?: boolean;
  /** Columns an UPDATE sets, when known. */
  setColumns?: readonly string[];
  rowLock?: SiteRowLock & { of?: readonly string[] };
  /** SELECT count(*) instead of rows. */
  count?: boolean;
  limit?: number;
}

/** Quotes an identifier only when it must be (mixed case, keywords-ish characters), per part of a qualified name. */
export function quoteName(name: string): string {
  return name
    .split('.')
    .map((part) => (/^[a-z_][a-z0-9_$]*$/.test(part) && !RESERVED.has(part) ? part : `"${part.replace(/"/g, '""')}"`))
    .join('.');
}

// Table and column names ORMs derive that are reserved words in PostgreSQL and must be quoted.
const RESERVED = new Set([
  'user',
  'order',
  'group',
  'table',
  'select',
  'where',
  'from',
  'limit',
  'offset',
  'check',
  'default',
  'references',
  'primary',
  'all',
  'end',
  'both',
  'case',
  'column',
  'constraint',
  'desc',
  'asc',
  'do',
  'else',
  'for',
  'grant',
  'in',
  'into',
  'is',
  'not',
  'null',
  'on',
  'only',
  'or',
  'and',
  'to',
  'union',
  'unique',
  'when',
  'with',
  'window',
  'analyse',
  'analyze',
  'as',
  'array',
  'current_user',
  'session_user',
  'placing',
  'returning',
  'some',
  'symmetric',
  'trailing',
  'leading',
  'variadic',
  'collate',
  'fetch',
  'having',
  'intersect',
  'except',
  'lateral',
  'distinct',
  'create',
  'initially',
  'deferrable',
  'foreign',
  'true',
  'false',
]);

function whereClause(query: OrmQuery, firstParameter: number): string {
  const columns = query.filterColumns ?? [];
  // With joins, columns are the base table's: qualify them so the statement also runs (measure, EXPLAIN).
  const prefix = (query.joins ?? []).length > 0 ? `${quoteName(baseName(query.table))}.` : '';
  if (columns.length > 0) return ` WHERE ${columns.map((c, i) => `${prefix}${quoteName(c)} = $${firstParameter + i}`).join(' AND ')}`;
  // A condition Lockscope cannot read: a parameter stands in, so the planner can prune nothing at plan time.
  return query.filteredUnknown === true ? ` WHERE $${firstParameter}::boolean` : '';
}

/** The table's own name without its schema (how the statement refers to it after FROM schema.table). */
function baseName(table: string): string {
  return table.split('.').pop() ?? table;
}

export function rowLockClause(lock: OrmQuery['rowLock']): string {
  if (lock === undefined) return '';
  const of = lock.of !== undefined && lock.of.length > 0 ? ` OF ${lock.of.map(quoteName).join(', ')}` : '';
  const wait = waitPolicySql(lock.waitPolicy);
  return ` ${strengthLabel(lock.strength)}${of}${wait === '' ? '' : ` ${wait}`}`;
}

export function synthesizeSql(query: OrmQuery): string {
  const table = quoteName(query.table);
  switch (query.action) {
    case 'insert':
      return `INSERT INTO ${table} DEFAULT VALUES`;
    case 'delete':
      return `DELETE FROM ${table}${whereClause(query, 1)}`;
    case 'update': {
      const set = query.setColumns !== undefined && query.setColumns.length > 0 ? query.setColumns : ['id'];
      const assignments = set.map((c, i) => `${quoteName(c)} = $${i + 1}`).join(', ');
      return `UPDATE ${table} SET ${assignments}${whereClause(query, set.length + 1)}`;
    }
    case 'select': {
      const joins = (query.joins ?? []).map((j) => ` LEFT JOIN ${quoteName(j)} ON true`).join('');
      const columns = query.count === true ? 'count(*)' : '*';
      const limit = query.limit !== undefined ? ` LIMIT ${query.limit}` : '';
      // FOR UPDATE cannot be applied to the nullable side of an outer join: lock the base table only, as ORMs do.
      const lock =
        query.rowLock !== undefined && (query.joins ?? []).length > 0 && query.rowLock.of === undefined
          ? { ...query.rowLock, of: [baseName(query.table)] }
          : query.rowLock;
      return `SELECT ${columns} FROM ${table}${joins}${whereClause(query, 1)}${limit}${rowLockClause(lock)}`;
    }
  }
}
