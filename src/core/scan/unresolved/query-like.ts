/**
 * What "looks like a query" per language, from the extractors' own vocabulary: ORM methods that only query builders
 * have, raw-SQL methods on driver-like receivers, and model-named receivers. A call matching these that produced no
 * site is listed as unresolved (find-unresolved.ts) instead of vanishing.
 */
import type { SourceLanguage } from '../types.js';

export interface QueryLikeRules {
  /** Methods that only ORMs and query builders have: on any receiver they mean a query. */
  ormMethods: ReadonlySet<string>;
  /** Methods that run SQL given as an argument, when called on a receiver `driverReceiver` accepts. */
  rawMethods: ReadonlySet<string>;
  /** The receiver's last name reads as a database handle (session, db, conn, cursor, tx…). */
  driverReceiver: RegExp;
  /** Methods that query when called on a model (a capitalised name): `Order.where(…)`, `Order.findAll(…)`. */
  modelMethods: ReadonlySet<string>;
}

/** Handles named like this hold a session, connection, cursor, pool or transaction in every language's idiom. */
const DRIVER_RECEIVER =
  /(?:^|[._])(?:db|database|session|sess|conn|connection|cursor|cur|engine|pool|tx|txn|trx|transaction|client|bind|manager|entityManager|queryRunner|sequelize|knex|prisma|dataSource|raw_connection)$/i;

const PYTHON: QueryLikeRules = {
  ormMethods: new Set(['select_for_update', 'with_for_update', 'get_or_create', 'update_or_create', 'bulk_create', 'bulk_update']),
  rawMethods: new Set(['execute', 'executemany', 'exec_driver_sql', 'fetch', 'fetchrow', 'fetchval', 'execute_values', 'execute_batch']),
  driverReceiver: DRIVER_RECEIVER,
  // Django's manager: `Order.objects.filter(…)` (the receiver's model is the name before `.objects`).
  modelMethods: new Set([
    'filter',
    'get',
    'exclude',
    'all',
    'first',
    'last',
    'update',
    'delete',
    'create',
    'count',
    'exists',
    'values',
    'values_list',
    'raw',
    'only',
    'defer',
    'order_by',
    'select_related',
    'prefetch_related',
    'annotate',
    'aggregate',
    'in_bulk',
    'iterator',
  ]),
};

const RUBY: QueryLikeRules = {
  ormMethods: new Set([
    'with_lock',
    'lock!',
    'find_by_sql',
    'update_all',
    'delete_all',
    'find_or_create_by',
    'find_or_create_by!',
    'find_or_initialize_by',
    'upsert_all',
    'insert_all',
  ]),
  rawMethods: new Set([
    'execute',
    'exec_query',
    'select_all',
    'select_value',
    'select_values',
    'select_rows',
    'select_one',
    'exec_params',
    'exec',
  ]),
  driverReceiver: DRIVER_RECEIVER,
  modelMethods: new Set([
    'where',
    'find',
    'find_by',
    'find_by!',
    'lock',
    'pluck',
    'find_each',
    'find_in_batches',
    'in_batches',
    'destroy_all',
    'includes',
    'joins',
    'eager_load',
    'preload',
    // Not create, new or exists?: service objects and Tempfile have them too.
  ]),
};

const JAVASCRIPT: QueryLikeRules = {
  ormMethods: new Set([
    'forUpdate',
    'forShare',
    'forNoKeyUpdate',
    'forKeyShare',
    'setLock',
    'setOnLocked',
    'findUnique',
    'findUniqueOrThrow',
    'findFirstOrThrow',
    'findByPk',
    'findAndCountAll',
  ]),
  rawMethods: new Set(['query', 'execute', 'raw', '$queryRaw', '$queryRawUnsafe', '$executeRaw', '$executeRawUnsafe']),
  driverReceiver: DRIVER_RECEIVER,
  // Sequelize and TypeORM statics only: create/update on a capitalised name are as often factories (NestFactory.create).
  modelMethods: new Set(['findAll', 'findOne', 'findOneBy', 'findBy', 'findAndCountAll', 'bulkCreate']),
};

const GO: QueryLikeRules = {
  ormMethods: new Set(['Clauses']),
  rawMethods: new Set([
    'Exec',
    'ExecContext',
    'Query',
    'QueryContext',
    'QueryRow',
    'QueryRowContext',
    'Raw',
    'Select',
    'SelectContext',
    'Get',
    'GetContext',
    'NamedExec',
    'NamedExecContext',
    'MustExec',
    'Queryx',
    'QueryRowx',
    'QueryxContext',
    'QueryRowxContext',
  ]),
  driverReceiver: DRIVER_RECEIVER,
  modelMethods: new Set(),
};

/** The rules for a language, or undefined for SQL files (every statement in them is a site already). */
export function queryLikeRules(language: SourceLanguage): QueryLikeRules | undefined {
  switch (language) {
    case 'python':
      return PYTHON;
    case 'ruby':
      return RUBY;
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return JAVASCRIPT;
    case 'go':
      return GO;
    case 'sql':
      return undefined;
  }
}
