/**
 * Raw SQL in Python: strings (f-strings, concatenations, `text(…)`, names assigned a string) passed to `execute`,
 * `executemany`, `exec_driver_sql`, asyncpg's `fetch*`, Django's `Model.objects.raw`. A string must read as SQL.
 */
import type { Node } from 'web-tree-sitter';
import { readsAsSql } from '../../../sql/reads-as-sql.js';
import type { SiteOrigin } from '../../types.js';
import { positionalArgs, simpleName, stringValue, type Chain } from './syntax.js';

const RAW_METHODS = new Set([
  'execute',
  'executemany',
  'exec_driver_sql',
  'fetch',
  'fetchrow',
  'fetchval',
  'raw',
  'scalar',
  'scalars',
  'execute_values',
  'execute_batch',
]);

export interface RawSql {
  sql: string;
  origin: SiteOrigin;
  /** The argument node holding the SQL (for ranges of problems). */
  argument: Node;
}

/** The SQL a raw-SQL call sends, or undefined when the call is not one (or its argument is not readable SQL). */
export function rawSql(chain: Chain, usesPsycopg: boolean): RawSql | undefined {
  const last = chain.links[chain.links.length - 1];
  // The SQL call is the first link taking a string (`cursor.execute(…)` may be followed by `.fetchall()`).
  const call = chain.links.find((l) => RAW_METHODS.has(l.name));
  if (call === undefined || last === undefined) return undefined;
  let argument = positionalArgs(call.args)[0];
  if (argument === undefined) return undefined;
  let origin: SiteOrigin = usesPsycopg ? 'psycopg' : 'sql-string';
  if (argument.type === 'call' && simpleName(argument.childForFieldName('function') ?? undefined) === 'text') {
    argument = positionalArgs(argument.childForFieldName('arguments') ?? undefined)[0];
    origin = 'sqlalchemy';
    if (argument === undefined) return undefined;
  }
  if (call.name === 'raw' && /\.objects$/.test(chain.rootText)) origin = 'django';
  const sql = stringValue(argument);
  if (sql === undefined || !readsAsSql(sql)) return undefined;
  return { sql, origin, argument };
}
