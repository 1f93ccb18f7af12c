/**
 * One parsed statement node → its kind, command, relations (byte locations), row-lock clauses and details.
 * EXPLAIN is analysed as the statement it explains; CREATE VIEW / CREATE TABLE AS / SELECT INTO read their sources.
 */
import type { Node } from '@pgsql/types';
import type { RowLockClause, StatementDetails, StatementKind } from '../statement.js';
import { nodeAs, tagOf } from './ast-util.js';
import { analyzeDdl } from './ddl-locks.js';
import { RelationWalker, type FoundRelation } from './select-walker.js';
import { analyzeSessionStatement } from './session-statements.js';
import { dmlDetails, sequenceCalls, setsLockTimeoutByFunction } from './statement-facts.js';

export interface Analysis {
  kind: StatementKind;
  command: string;
  relations: FoundRelation[];
  rowLocks: RowLockClause[];
  details: StatementDetails;
}

const DML: Record<string, { kind: StatementKind; command: string }> = {
  SelectStmt: { kind: 'select', command: 'SELECT' },
  InsertStmt: { kind: 'insert', command: 'INSERT' },
  UpdateStmt: { kind: 'update', command: 'UPDATE' },
  DeleteStmt: { kind: 'delete', command: 'DELETE' },
  MergeStmt: { kind: 'merge', command: 'MERGE' },
};

/** Statement tags that are DDL when no specific rule knows them (CREATE SEQUENCE, DROP SCHEMA…). */
const DDL_TAG = /^(Create|Alter|Drop|Comment|Grant|Revoke|Reindex|Cluster|Vacuum|Refresh|Truncate|Lock|Rename|Import|Define|Composite|Sec)/;

const COMMAND_NAMES: Record<string, string> = {
  CreateSeqStmt: 'CREATE SEQUENCE',
  AlterSeqStmt: 'ALTER SEQUENCE',
  CreateSchemaStmt: 'CREATE SCHEMA',
  CreateExtensionStmt: 'CREATE EXTENSION',
  DefineStmt: 'CREATE',
  CompositeTypeStmt: 'CREATE TYPE',
  CreateEnumStmt: 'CREATE TYPE',
  VariableShowStmt: 'SHOW',
  CallStmt: 'CALL',
  ExecuteStmt: 'EXECUTE',
  DeallocateStmt: 'DEALLOCATE',
  CheckPointStmt: 'CHECKPOINT',
  ListenStmt: 'LISTEN',
  NotifyStmt: 'NOTIFY',
};

function commandOfTag(tag: string): string {
  return (
    COMMAND_NAMES[tag] ??
    tag
      .replace(/Stmt$/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase()
  );
}

/** Relations and row locks of an optimizable statement, in parse-analysis order. */
function walk(stmt: Node | undefined): { relations: FoundRelation[]; rowLocks: RowLockClause[] } {
  const walker = new RelationWalker();
  walker.statement(stmt, undefined, '');
  return { relations: walker.relations, rowLocks: walker.rowLocks };
}

function withSources(kind: StatementKind, command: string, query: Node | undefined): Analysis {
  const { relations, rowLocks } = walk(query);
  const calls = sequenceCalls(query);
  const details: StatementDetails = {
    ...(kind === 'ddl' ? { ddlCommand: command } : {}),
    ...(calls.length > 0 ? { sequenceCalls: calls } : {}),
  };
  return { kind, command, relations, rowLocks, details };
}

export function analyzeStatement(stmt: Node): Analysis {
  const explain = nodeAs(stmt, 'ExplainStmt');
  if (explain?.query !== undefined) return analyzeStatement(explain.query);
  const tag = tagOf(stmt) ?? '';
  const select = nodeAs(stmt, 'SelectStmt');
  if (select?.intoClause !== undefined) {
    // SELECT … INTO is CREATE TABLE AS in disguise.
    const { relations, rowLocks } = walk(stmt);
    return {
      kind: 'ddl',
      command: 'SELECT INTO',
      relations,
      rowLocks,
      details: { ddlCommand: 'SELECT INTO', sequenceCalls: sequenceCalls(stmt) },
    };
  }
  const dml = DML[tag];
  if (dml !== undefined) return { kind: dml.kind, command: dml.command, ...walk(stmt), details: dmlDetails(stmt) };
  const ctas = nodeAs(stmt, 'CreateTableAsStmt');
  if (ctas !== undefined)
    return withSources('ddl', ctas.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS', ctas.query);
  const view = nodeAs(stmt, 'ViewStmt');
  if (view !== undefined) return withSources('ddl', 'CREATE VIEW', view.query);
  // DECLARE and PREPARE run parse analysis (and so take its locks) without executing anything.
  const cursor = nodeAs(stmt, 'DeclareCursorStmt');
  if (cursor !== undefined) return withSources('utility', 'DECLARE CURSOR', cursor.query);
  const prepare = nodeAs(stmt, 'PrepareStmt');
  if (prepare !== undefined) return withSources('utility', 'PREPARE', prepare.query);
  const copy = nodeAs(stmt, 'CopyStmt');
  if (copy !== undefined) return analyzeCopy(copy);
  const ddl = analyzeDdl(stmt);
  if (ddl !== undefined) return { kind: 'ddl', command: ddl.command, relations: ddl.relations, rowLocks: [], details: ddl.details };
  const session = analyzeSessionStatement(stmt);
  if (session !== undefined) return { ...session, relations: [], rowLocks: [] };
  const command = commandOfTag(tag);
  const details: StatementDetails = setsLockTimeoutByFunction(stmt) ? { setsLockTimeout: true } : {};
  if (DDL_TAG.test(tag)) return { kind: 'ddl', command, relations: [], rowLocks: [], details: { ddlCommand: command } };
  return { kind: 'utility', command, relations: [], rowLocks: [], details };
}

/** COPY FROM writes its table (RowExclusiveLock), COPY TO reads it; COPY (query) TO reads the query's relations. */
function analyzeCopy(copy: NonNullable<ReturnType<typeof nodeAs<'CopyStmt'>>>): Analysis {
  const command = copy.is_from === true ? 'COPY FROM' : 'COPY TO';
  if (copy.query !== undefined) return withSources('utility', command, copy.query);
  const walker = new RelationWalker();
  if (copy.relation !== undefined) {
    if (copy.is_from === true) walker.add(copy.relation, 'write-target', 'RowExclusiveLock', 'COPY FROM target');
    else walker.add(copy.relation, 'read', 'AccessShareLock', 'COPY TO source');
  }
  return { kind: 'utility', command, relations: walker.relations, rowLocks: [], details: {} };
}
