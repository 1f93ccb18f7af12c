/**
 * database/sql, pgx and sqlx: raw SQL passed to a handle's query methods (`db.QueryContext(ctx, q, id)`,
 * `tx.Exec(…)`, `conn.QueryRow(ctx, …)`, `db.Select(&dest, q, …)`, `db.NamedExec(q, arg)`), prepared statements
 * executed later, pgx batches, and sqlx's package functions (`sqlx.Get(tx, &dest, q, …)`).
 */
import type { ExtractContext } from '../../extractor.js';
import { addRawSqlSite, subtransactionAt } from '../../site-factory.js';
import type { FileScan, SiteOrigin } from '../../types.js';
import type { DbLibrary, FileFacts } from './facts.js';
import type { DbRef } from './receivers.js';
import { goShape } from './shape.js';
import { sqlArgument } from './sql-text.js';
import type { CallChain, ChainCall } from './syntax.js';

/** database/sql and pgx methods that run SQL right away. */
const SQL_RUN = ['Query', 'QueryRow', 'Exec', 'QueryContext', 'QueryRowContext', 'ExecContext'];
/** sqlx's additions, by family: each set below is a union of families, so one name is written once. */
const SQLX_READS = ['Select', 'Get', 'SelectContext', 'GetContext'];
const SQLX_NAMED = ['NamedExec', 'NamedQuery', 'NamedExecContext', 'NamedQueryContext'];
const SQLX_MUST = ['MustExec', 'MustExecContext'];
const SQLX_X = ['Queryx', 'QueryRowx', 'QueryxContext', 'QueryRowxContext'];
const SQLX_PREPARE = ['Preparex', 'PreparexContext', 'PrepareNamed', 'PrepareNamedContext'];

const SQL_METHODS = new Set([...SQL_RUN, 'Prepare', 'PrepareContext']);
const SQLX_METHODS = new Set([...SQLX_READS, ...SQLX_NAMED, ...SQLX_MUST, ...SQLX_X, ...SQLX_PREPARE]);
/** What a prepared statement (sql.Stmt, sqlx.Stmt) runs: its SQL was given to Prepare, so no named or prepare methods. */
const STMT_METHODS = new Set([...SQL_RUN, ...SQLX_READS, ...SQLX_MUST, ...SQLX_X]);
/** sqlx's package-level helpers taking the handle first. */
const SQLX_FUNCTIONS = new Set([...SQLX_READS, ...SQLX_NAMED, ...SQLX_MUST]);

export const isDriverQueryMethod = (name: string): boolean => SQL_METHODS.has(name) || SQLX_METHODS.has(name);

function originFor(library: DbLibrary | undefined, facts: FileFacts, method: string): SiteOrigin {
  if (library === 'sqlx') return 'sqlx';
  if (library === 'sql' || library === 'pgx') return 'database-sql';
  if (library === 'gorm') return 'gorm';
  if (SQLX_METHODS.has(method) && facts.libraries.has('sqlx')) return 'sqlx';
  if (facts.libraries.has('pgx') || facts.libraries.has('sql')) return 'database-sql';
  if (facts.libraries.has('sqlx')) return 'sqlx';
  return 'sql-string';
}

function addSql(scan: FileScan, context: ExtractContext, chain: CallChain, sql: string, origin: SiteOrigin): boolean {
  const added = addRawSqlSite(scan, context, goShape, chain.node, sql, origin);
  if (added && /^\s*SAVEPOINT\b/i.test(sql)) scan.subtransactions.push(subtransactionAt(context, goShape, chain.node, 'SAVEPOINT'));
  return added;
}

/** A driver call on a known (or name-guessed) handle; `call` is the first query method of the chain. */
export function addDriverSite(
  scan: FileScan,
  context: ExtractContext,
  facts: FileFacts,
  chain: CallChain,
  ref: DbRef | undefined,
): boolean {
  const first: ChainCall | undefined = chain.calls[0];
  if (first === undefined) return false;
  if (ref?.prepared !== undefined && STMT_METHODS.has(first.name)) {
    const found = sqlArgument(facts, ref.prepared);
    return found !== undefined && addSql(scan, context, chain, found.sql, originFor(ref.library, facts, first.name));
  }
  if (ref?.batch === true && first.name === 'Queue') {
    const found = sqlArgument(facts, first.args);
    return found !== undefined && addSql(scan, context, chain, found.sql, 'database-sql');
  }
  if (!isDriverQueryMethod(first.name)) return false;
  // sqlx's Select/Get only on handles that can be sqlx (GORM's Select builds, it does not query).
  if (SQLX_METHODS.has(first.name) && ref !== undefined && ref.library !== undefined && ref.library !== 'sqlx') return false;
  const found = sqlArgument(facts, first.args);
  return found !== undefined && addSql(scan, context, chain, found.sql, originFor(ref?.library, facts, first.name));
}

/** `sqlx.Get(tx, &dest, q, …)`: the handle is the first argument. */
export function addSqlxFunctionSite(scan: FileScan, context: ExtractContext, facts: FileFacts, chain: CallChain): boolean {
  const call = chain.calls[0];
  if (call === undefined || !SQLX_FUNCTIONS.has(call.name)) return false;
  const found = sqlArgument(facts, call.args.slice(1));
  return found !== undefined && addSql(scan, context, chain, found.sql, 'sqlx');
}
