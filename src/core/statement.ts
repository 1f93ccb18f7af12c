/** The parsed form of one SQL statement: what it is and which relations it names, in the order Postgres locks them. */
import type { Node } from '@pgsql/types';
import type { LockMode } from './lock-modes.js';
import type { QueryLevel } from './sql/query-level.js';
import type { RowLockClause } from './sql/row-locks.js';

export type { RowLockClause, RowLockStrength, WaitPolicy } from './sql/row-locks.js';

export type StatementKind =
  | 'select'
  | 'insert'
  | 'update'
  | 'delete'
  | 'merge'
  | 'ddl' // CREATE/ALTER/DROP/TRUNCATE/REINDEX/CLUSTER/VACUUM/ANALYZE/REFRESH/LOCK/COMMENT…
  | 'transaction' // BEGIN/COMMIT/ROLLBACK/SAVEPOINT/RELEASE/ROLLBACK TO
  | 'utility'; // SET, SHOW, EXPLAIN of a non-DML statement, DO, CALL, etc.

/** How a statement names a relation, which decides the lock the parser takes on it. */
export type RelationRole =
  | 'read' // FROM item, JOIN, subquery, CTE body, USING, MERGE source: AccessShareLock
  | 'row-lock' // a FROM item covered by FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE: RowShareLock
  | 'write-target' // INSERT/UPDATE/DELETE/MERGE target (also in data-modifying CTEs): RowExclusiveLock
  | 'ddl-target'; // the relation a DDL or utility statement locks, in the statement's own mode

/** A relation named in the statement, as written (identifiers folded as Postgres folds them). */
export interface RelationRef {
  /** Schema as written, or undefined when unqualified (resolved through search_path). */
  schema: string | undefined;
  name: string;
  /** The FROM-clause alias, if any (row-lock `OF` lists name aliases). */
  alias: string | undefined;
  role: RelationRole;
  /** Lock the parse/analyze phase takes on it (AS, RS, RX, or the DDL level). */
  mode: LockMode;
  /** False when written with ONLY: inheritance children are then not expanded. */
  inherit: boolean;
  /** Human reason shown to users, e.g. "FROM item", "UPDATE target", "FOR UPDATE target", "ALTER TABLE ADD COLUMN". */
  reason: string;
  /** UTF-16 offset of the name in `Statement.sql`. */
  offset: number;
}

/** Facts the lock predictor needs beyond the relation list. */
export interface StatementDetails {
  /** INSERT … ON CONFLICT with an inference clause (`(cols)` or `ON CONSTRAINT`): locks every target index at plan time. */
  onConflictInference?: boolean;
  /** INSERT's source: VALUES lists, a SELECT, or DEFAULT VALUES. */
  insertSource?: 'values' | 'select' | 'default-values';
  /** Columns explicitly listed in INSERT (…) or SET; empty for "all". */
  targetColumns?: string[];
  /** Sequences named in nextval/currval/setval('…') calls, as written. */
  sequenceCalls?: string[];
  /** For DDL: the statement's own name ("CREATE INDEX", "ALTER TABLE") and subcommand names. */
  ddlCommand?: string;
  ddlSubcommands?: string[];
  /** CREATE INDEX / REINDEX / DROP INDEX … CONCURRENTLY. */
  concurrently?: boolean;
  /** For transaction-control statements. */
  transactionAction?: 'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollback-to' | 'prepare' | 'set-transaction';
  /** The statement sets lock_timeout (SET [LOCAL] lock_timeout = …). */
  setsLockTimeout?: boolean;
  /** A DO block or function body containing an EXCEPTION clause (opens a subtransaction each time it is entered). */
  opensSubtransaction?: boolean;
}

export interface Statement {
  /** The statement text, placeholders normalised to $n. */
  sql: string;
  /** UTF-16 range of the statement in the text it was parsed from. */
  start: number;
  end: number;
  kind: StatementKind;
  /** Postgres' command tag style name: "SELECT", "INSERT", "ALTER TABLE", "CREATE INDEX"… */
  command: string;
  /** Relations in the order parse analysis opens them (see postgres-lock-rules.md §3.1). */
  relations: RelationRef[];
  rowLocks: RowLockClause[];
  details: StatementDetails;
  /** Number of $n parameters after normalisation. */
  parameterCount: number;
  /** The parser's tree of this statement (libpg-query JSON; locations are UTF-8 bytes of the text it was parsed
   * from): the predictor works from it and never parses the statement again. */
  ast: Node;
  /** For DML (and EXPLAIN of DML): the query model built from `ast`, shared by every prediction of the statement. */
  model: QueryLevel | undefined;
}

/** A statement that did not parse: data, never a throw (design.md). */
export interface StatementError {
  message: string;
  /** UTF-16 offset in the original text where Postgres' parser stopped. */
  offset: number;
  start: number;
  end: number;
  /** Set when the statement is valid as far as anyone knows but larger than the parser is given (see parse-sql.ts). */
  tooLarge?: { tokens: number; limitTokens: number };
}

export type ParseOutcome = { ok: true; statements: Statement[] } | { ok: false; error: StatementError; statements: Statement[] };
