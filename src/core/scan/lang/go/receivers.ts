/**
 * Which database handle an expression is: by declared type (`*gorm.DB`, `*sqlx.Tx`, `pgx.Tx`…), by how it was made
 * (`gorm.Open`, `db.Begin()`, `db.Where(…)` stored for later, `db.Prepare(…)`), or — as a last resort — by a
 * conventional name (`db`, `tx`, `conn`, `pool`) in a file that imports a database library.
 */
import type { Node } from 'web-tree-sitter';
import { canonicalPackage, lookup, packageOf, type DbLibrary, type FileFacts } from './facts.js';
import { flattenChain, named, type ChainCall } from './syntax.js';

export interface DbRef {
  library: DbLibrary | undefined;
  /** Known from a type or a constructor, not guessed from the name. */
  certain: boolean;
  /** A transaction handle from `x.Begin()`: that call (its scope runs to the end of the function). */
  begin?: Node;
  /** A transaction handle by type (`*sql.Tx`, `pgx.Tx`) or by Begin. */
  tx?: boolean;
  /** `tx.Begin()` on a pgx transaction opens a SAVEPOINT. */
  savepoint?: boolean;
  /** GORM: calls chained onto the handle before it was stored (`q := db.Where(…)`). */
  prefix?: ChainCall[];
  /** A prepared statement: the arguments of the Prepare call (its SQL is among them). */
  prepared?: Node[];
  /** A pgx.Batch: `batch.Queue(sql)` queues a statement. */
  batch?: boolean;
  /** A connection pool (`*sql.DB`, `*sqlx.DB`, `*pgxpool.Pool`): a statement on it commits on its own. */
  pool?: boolean;
}

const TYPES: Record<string, { library: DbLibrary; stmt?: boolean; batch?: boolean; pool?: boolean }> = {
  'gorm.DB': { library: 'gorm' },
  'sql.DB': { library: 'sql', pool: true },
  'sql.Tx': { library: 'sql' },
  'sql.Conn': { library: 'sql' },
  'sql.Stmt': { library: 'sql', stmt: true },
  'sqlx.DB': { library: 'sqlx', pool: true },
  'sqlx.Tx': { library: 'sqlx' },
  'sqlx.Conn': { library: 'sqlx' },
  'sqlx.Ext': { library: 'sqlx' },
  'sqlx.ExtContext': { library: 'sqlx' },
  'sqlx.Queryer': { library: 'sqlx' },
  'sqlx.QueryerContext': { library: 'sqlx' },
  'sqlx.Execer': { library: 'sqlx' },
  'sqlx.ExecerContext': { library: 'sqlx' },
  'sqlx.Stmt': { library: 'sqlx', stmt: true },
  'sqlx.NamedStmt': { library: 'sqlx', stmt: true },
  'pgx.Conn': { library: 'pgx' },
  'pgx.Tx': { library: 'pgx' },
  'pgxpool.Pool': { library: 'pgx', pool: true },
  'pgxpool.Conn': { library: 'pgx' },
  'pgxpool.Tx': { library: 'pgx' },
  'pgx.Batch': { library: 'pgx', batch: true },
};

const CONSTRUCTORS: Record<string, DbLibrary> = {
  'gorm.Open': 'gorm',
  'sql.Open': 'sql',
  'sql.OpenDB': 'sql',
  'sqlx.Open': 'sqlx',
  'sqlx.Connect': 'sqlx',
  'sqlx.MustConnect': 'sqlx',
  'sqlx.MustOpen': 'sqlx',
  'sqlx.NewDb': 'sqlx',
  'sqlx.ConnectContext': 'sqlx',
  'pgx.Connect': 'pgx',
  'pgx.ConnectConfig': 'pgx',
  'pgxpool.New': 'pgx',
  'pgxpool.NewWithConfig': 'pgx',
  'pgxpool.Connect': 'pgx',
  'pgxpool.ConnectConfig': 'pgx',
};

/** Names Go code gives database handles; trusted only in files importing a database library. */
const DB_NAMES = new Set([
  'db',
  'DB',
  'Db',
  'tx',
  'Tx',
  'txn',
  'conn',
  'pool',
  'gdb',
  'gormDB',
  'gormDb',
  'sqlDB',
  'sqlDb',
  'database',
  'dbx',
  'dbConn',
  'dbPool',
  'orm',
]);

/** GORM methods that add to a query without sending it. */
export const GORM_BUILDERS = new Set([
  'Model',
  'Table',
  'Where',
  'Or',
  'Not',
  'Select',
  'Omit',
  'Order',
  'Limit',
  'Offset',
  'Joins',
  'InnerJoins',
  'Preload',
  'Clauses',
  'Group',
  'Having',
  'Distinct',
  'Unscoped',
  'WithContext',
  'Session',
  'Debug',
  'Scopes',
  'Attrs',
  'Assign',
  'Set',
  'Raw',
  'Returning',
  'InstanceSet',
]);

const BEGIN_SAME = new Set(['Begin', 'BeginTx']);
const BEGIN_SQLX = new Set(['Beginx', 'BeginTxx', 'MustBegin', 'MustBeginTx']);
const PREPARE = new Set(['Prepare', 'PrepareContext', 'Preparex', 'PreparexContext', 'PrepareNamed', 'PrepareNamedContext']);

/** The library a type node names, if it is a database handle type. */
function typeRef(facts: FileFacts, type: Node | undefined): DbRef | undefined {
  let t = type;
  while (t !== undefined && (t.type === 'pointer_type' || t.type === 'parenthesized_type')) t = named(t)[0];
  if (t?.type !== 'qualified_type') return undefined;
  const pkg = t.childForFieldName('package')?.text ?? '';
  const known = TYPES[`${canonicalPackage(facts, pkg)}.${t.childForFieldName('name')?.text ?? ''}`];
  if (known === undefined) return undefined;
  const tx = /Tx$/.test(t.childForFieldName('name')?.text ?? '');
  return {
    library: known.library,
    certain: true,
    tx,
    ...(known.stmt === true ? { prepared: [] } : {}),
    ...(known.batch === true ? { batch: true } : {}),
    ...(known.pool === true ? { pool: true } : {}),
  };
}

function guessByName(facts: FileFacts, name: string): DbRef | undefined {
  if (!DB_NAMES.has(name) || facts.libraries.size === 0) return undefined;
  return { library: facts.libraries.size === 1 ? [...facts.libraries][0] : undefined, certain: false };
}

export function dbRef(facts: FileFacts, expr: Node | undefined, depth = 0): DbRef | undefined {
  if (expr === undefined || depth > 10) return undefined;
  switch (expr.type) {
    case 'parenthesized_expression':
      return dbRef(facts, named(expr)[0], depth + 1);
    case 'unary_expression':
      return dbRef(facts, expr.childForFieldName('operand') ?? undefined, depth + 1);
    case 'identifier': {
      const bindings = lookup(facts, expr.text, expr);
      if (bindings.length === 0) return packageOf(facts, expr) === undefined ? guessByName(facts, expr.text) : undefined;
      // The latest binding wins (`tx = db.Begin()` after `var tx *gorm.DB`), falling back to a declared type.
      for (let i = bindings.length - 1; i >= 0; i--) {
        const b = bindings[i];
        if (b === undefined) continue;
        if (b.value !== undefined) {
          const ref = valueRef(facts, b.value, b.index, depth + 1);
          if (ref !== undefined) return ref;
        }
        if (b.type !== undefined) return typeRef(facts, b.type);
      }
      return undefined;
    }
    case 'selector_expression': {
      const field = expr.childForFieldName('field')?.text ?? '';
      const type = facts.fieldTypes.get(field);
      if (type !== undefined) return typeRef(facts, type);
      return guessByName(facts, field);
    }
    case 'call_expression':
    case 'composite_literal':
      return valueRef(facts, expr, 0, depth + 1);
    default:
      return undefined;
  }
}

/** The handle a value expression makes (result `index` of a multi-value call). */
function valueRef(facts: FileFacts, value: Node, index: number, depth: number): DbRef | undefined {
  if (value.type === 'unary_expression' || value.type === 'parenthesized_expression')
    return valueRef(facts, named(value)[0] ?? value, index, depth + 1);
  if (value.type === 'composite_literal') return typeRef(facts, value.childForFieldName('type') ?? undefined);
  if (value.type === 'identifier' || value.type === 'selector_expression') return index === 0 ? dbRef(facts, value, depth + 1) : undefined;
  if (value.type !== 'call_expression' || index !== 0) return undefined;
  const chain = flattenChain(value);
  if (chain === undefined) return undefined;
  const pkg = packageOf(facts, chain.base);
  const first = chain.calls[0];
  if (pkg !== undefined) {
    const library = first === undefined ? undefined : CONSTRUCTORS[`${pkg}.${first.name}`];
    if (library === undefined) return undefined;
    // `sql.Open`, `sqlx.Connect`, `pgxpool.New` make pools; `pgx.Connect` one connection, `gorm.Open` a GORM handle.
    const pool = pkg === 'sql' || pkg === 'sqlx' || pkg === 'pgxpool';
    return chainRef({ library, certain: true, ...(pool ? { pool } : {}) }, chain.calls.slice(1));
  }
  const base = dbRef(facts, chain.base, depth + 1);
  return base === undefined ? undefined : chainRef(base, chain.calls);
}

/** What calling `calls` on a handle returns, as a handle (or undefined when it is a result, not a handle). */
function chainRef(base: DbRef, calls: readonly ChainCall[]): DbRef | undefined {
  let ref: DbRef = base;
  for (const call of calls) {
    if (ref.library === 'gorm' || (ref.library === undefined && GORM_BUILDERS.has(call.name))) {
      if (call.name === 'Begin') ref = { library: 'gorm', certain: ref.certain, begin: call.node, tx: true };
      else if (call.name === 'DB') ref = { library: 'sql', certain: ref.certain };
      else if (GORM_BUILDERS.has(call.name)) ref = { ...ref, library: 'gorm', prefix: [...(ref.prefix ?? []), call] };
      else return undefined;
    } else if (BEGIN_SAME.has(call.name)) {
      ref = {
        library: ref.library === 'sqlx' ? 'sql' : ref.library,
        certain: ref.certain,
        begin: call.node,
        tx: true,
        savepoint: ref.library === 'pgx' && ref.tx === true,
      };
    } else if (BEGIN_SQLX.has(call.name)) {
      ref = { library: 'sqlx', certain: ref.certain, begin: call.node, tx: true };
    } else if (PREPARE.has(call.name)) {
      ref = { ...ref, prepared: call.args };
    } else if (call.name === 'Acquire' || call.name === 'Conn' || call.name === 'Unsafe') {
      ref = { library: ref.library, certain: ref.certain };
    } else return undefined;
  }
  return ref;
}
