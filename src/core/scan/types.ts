/** What the scanner finds in source code: query sites with their transaction scope, loops and subtransactions. */
import type { RowLockStrength, WaitPolicy } from '../sql/row-locks.js';
import type { Statement } from '../statement.js';

export type SourceLanguage = 'sql' | 'python' | 'ruby' | 'typescript' | 'tsx' | 'javascript' | 'go';

/** 0-based line and UTF-16 column, as editors count. */
export interface SourcePosition {
  line: number;
  character: number;
}

export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/**
 * How the query is issued: a .sql file, a raw SQL string passed to a query API, or an ORM call (named by ORM)
 * whose SQL Lockscope synthesizes.
 */
export type SiteOrigin =
  | 'sql-file'
  | 'sql-string'
  | 'sqlalchemy'
  | 'django'
  | 'psycopg'
  | 'activerecord'
  | 'prisma'
  | 'typeorm'
  | 'sequelize'
  | 'knex'
  | 'drizzle'
  | 'kysely'
  | 'node-postgres'
  | 'gorm'
  | 'sqlx'
  | 'database-sql';

/** A transaction block in the code: every site inside runs in it, so their locks add up. */
export interface TransactionScope {
  /** Stable within one file: `${file}#${startLine}:${startCharacter}`. */
  id: string;
  range: SourceRange;
  /** e.g. "with session.begin()", "transaction.atomic", "ActiveRecord::Base.transaction", "BEGIN … COMMIT". */
  kind: string;
  /** True when this block opens a SAVEPOINT inside an outer transaction (a subtransaction). */
  nested: boolean;
  /** The enclosing transaction's id, for nested blocks. */
  parentId: string | undefined;
  /** The enclosing scope itself, when the scanner knows it: a savepoint's locks belong to the top-level transaction. */
  parent?: TransactionScope;
  /**
   * Begun on a connection pool or root client (Go `db.BeginTx`, a Go wrapper that begins one around its callback,
   * Prisma's `$transaction`): a transaction of its own even when a caller is in one, so a loop around it commits
   * once per iteration and holds no row across iterations.
   */
  independent?: true;
}

/** A loop the site runs inside (for, while, each, map with a block…). */
export interface LoopInfo {
  range: SourceRange;
  kind: string;
}

/** Row-lock clause on the site, as written in the ORM call or the SQL. */
export interface SiteRowLock {
  strength: RowLockStrength;
  waitPolicy: WaitPolicy;
}

export interface QuerySite {
  file: string;
  language: SourceLanguage;
  /** Where the query is issued (the call, the string literal, or the SQL statement). */
  range: SourceRange;
  origin: SiteOrigin;
  /** The statement: the literal SQL with placeholders, or a synthesized statement for an ORM call. */
  sql: string;
  /** True when Lockscope wrote the SQL from an ORM call rather than reading it. */
  synthesized: boolean;
  /** exact: literal SQL; likely: ORM call with known model/table; guess: table inferred from naming conventions. */
  confidence: 'exact' | 'likely' | 'guess';
  /** Innermost transaction scope, if any. */
  transaction: TransactionScope | undefined;
  /** Loops around the site, outermost first. */
  loops: LoopInfo[];
  /** Name of the enclosing function or method (for cross-function summaries). */
  enclosingFunction: string | undefined;
  /** The class whose method `enclosingFunction` is, where the language extractor knows it (Python). */
  enclosingClass?: string;
  /** A short label for hovers and reports, e.g. "Order.objects.select_for_update().get(…)". */
  label: string;
  /**
   * Set when the statement's table is a model the function receives as a parameter (`def get_for_update(db, model,
   * id)`): `placeholder` stands for it in `sql`, and each call supplies the table (CallSite.argumentTables).
   * Index -1: a model known only at run time (`instance.__class__`, `self.queryset.model`), which no caller names.
   */
  tableParameter?: { index: number; name: string; placeholder: string };
  /** The statements of `sql` when the scanner already parsed them (SQL files), offsets relative to `sql`. */
  parsed?: Statement[];
  /** The site runs only when a flag parameter of its function is truthy (`if with_lock:`): callers passing false skip it. */
  guard?: SiteGuard;
  /**
   * Runs in a `transaction.on_commit(…)` callback: after the transaction it was registered in commits, so its locks
   * never add to the locks of the code around it.
   */
  afterCommit?: true;
  /**
   * Writes a row the code created itself earlier (`c = Model.build(…)` … `c.save()`): no other transaction can hold
   * its lock, so the write never waits, in a loop or not.
   */
  ownRows?: true;
  /**
   * Issued on a connection pool or root client outside any transaction (Go `*sql.DB`, `pgxpool.Pool`; Prisma's root
   * client): the statement commits on its own, whatever transaction its callers are in, so no loop holds its rows.
   */
  autocommit?: true;
}

/** A flag parameter a site or call depends on: its name, positional index (self not counted) and default. */
export interface SiteGuard {
  name: string;
  /** Undefined for a keyword-only parameter. */
  index?: number;
  /** 'false' covers False and None; 'required' has no default; 'other' is any other expression. */
  defaultValue: 'true' | 'false' | 'required' | 'other';
}

/** What a call passes: a literal boolean, the caller's own flag parameter passed on, or null for anything else. */
export type FlagValue = boolean | SiteGuard | null;

export interface CallFlags {
  keyword: Record<string, FlagValue>;
  positional: FlagValue[];
  /** `*args` / `**kwargs` at the call: a flag not named may still be passed. */
  splat?: boolean;
}

/** A construct that opens a subtransaction (SAVEPOINT), whether or not it also issues a query. */
export interface SubtransactionSite {
  file: string;
  language: SourceLanguage;
  range: SourceRange;
  /** e.g. "session.begin_nested()", "transaction.atomic (nested)", "transaction(requires_new: true)", "SAVEPOINT". */
  kind: string;
  loops: LoopInfo[];
  enclosingFunction: string | undefined;
  enclosingClass?: string;
}

/** A call from one function to another, in the file or across files: carries the callee's summary to the caller. */
export interface CallSite {
  file: string;
  range: SourceRange;
  /** The function (or method) name called. */
  callee: string;
  /** Set when the callee is a method of this class (`self.svc.m()` with `self.svc = Svc()`): looked up with its bases. */
  calleeClass?: string;
  enclosingFunction: string | undefined;
  enclosingClass?: string;
  transaction: TransactionScope | undefined;
  loops: LoopInfo[];
  /** The table of each positional argument that names a model (undefined for other arguments). */
  argumentTables?: Array<string | undefined>;
  /**
   * For each positional argument that is a parameter of the calling function, its index there: a generic helper's
   * table parameter passed on (`def lock(db, model, id): return get_for_update(db, model, id)`) stays a parameter.
   */
  argumentParameters?: Array<number | undefined>;
  /** The callee is defined in a file of the caller's directory (a Go package), not anywhere in the tree. */
  sameDirectory?: boolean;
  /** Go: the callee's class is a type of the imported package of this name, so its file is in a directory so named. */
  calleePackage?: string;
  /**
   * A method call on a receiver whose type is unknown or an interface (Go): it reaches the one class in reach that
   * declares a method of this name (an interface implemented by one type), and nothing when several do. With
   * calleeClass set (an interface's name), that class is tried first when the scanned tree declares it.
   */
  anyReceiver?: boolean;
  /** What the call passes for the callee's flag parameters (Python), read by sites guarded by one. */
  flags?: CallFlags;
  /** The call itself runs only when a flag parameter of the caller is truthy. */
  guard?: SiteGuard;
  /**
   * Runs in a `transaction.on_commit(…)` callback: after the transaction it was registered in commits, so its locks
   * never add to the locks of the code around it.
   */
  afterCommit?: true;
  /** Function literals passed to the callee, by argument position (Go): run inside the transaction of a wrapper. */
  callbacks?: Array<{ argument: number; range: SourceRange }>;
  /** The caller's own function-typed parameters passed on (`executeInTx(ctx, db, fn)`): argument position → parameter. */
  forwardsCallbacks?: Array<{ argument: number; parameter: number }>;
}

/**
 * Why a call that looks like a query produced no site: a model the project does not declare, a receiver Lockscope
 * cannot type, a helper the scanned tree does not define, SQL built at run time, or an ORM call on a known model whose
 * shape the scanner does not read.
 */
export type UnresolvedReason = 'unknown-model' | 'unresolved-receiver' | 'unknown-helper' | 'dynamic-sql' | 'unrecognised-call';

/** A call that looks like a query (src/core/scan/unresolved/query-like.ts) but is not a site: listed, never dropped. */
export interface UnresolvedCall {
  file: string;
  /** The call up to its arguments' end (a Ruby block or callback body excluded). */
  range: SourceRange;
  /** The call as written, compacted to one line. */
  call: string;
  reason: UnresolvedReason;
}

export interface FileScan {
  file: string;
  language: SourceLanguage;
  sites: QuerySite[];
  subtransactions: SubtransactionSite[];
  calls: CallSite[];
  /**
   * Classes the file defines and their base classes (by name), for method calls resolved through inheritance; with
   * `methods`, the methods this file declares on the class, so a method that issues no query still resolves.
   */
  classes?: Array<{ name: string; bases: string[]; methods?: string[] }>;
  /**
   * Functions (summary keys, `Class.method` or `function`) the framework runs outside any transaction in autocommit
   * mode: Django management commands' `handle()`, Celery tasks. Their callees inherit it (core/analyze/autocommit.ts).
   */
  autocommitEntries?: string[];
  /**
   * Transaction wrappers the file defines, read from their bodies (Go): the function (summary key) begins a
   * transaction and calls its function-typed parameter `parameter` inside it, so a callback passed there runs in a
   * transaction of its own (core/analyze/callback-transactions.ts; wrappers that pass it on are found there).
   */
  transactionWrappers?: Array<{ key: string; parameter: number }>;
  /** Things the scanner could not analyse (a syntax error, an SQL string that does not parse). */
  problems: Array<{ range: SourceRange; message: string }>;
  /** Calls that look like queries but are not sites (set by the registry after the extractor ran). */
  unresolved?: UnresolvedCall[];
}
