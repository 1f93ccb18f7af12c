/**
 * One parsed statement node → its kind, command, relations (byte locations), row-lock clauses, details and, for DML,
 * its query model. EXPLAIN is analysed as the statement it explains; CREATE VIEW / CREATE TABLE AS / SELECT INTO read
 * their sources. Relations and row locks come from the query model, walked in parse order.
 */
import type { CopyStmt, Node } from '@pgsql/types';
import type { StatementDetails, StatementKind } from '../statement.js';
import { nodeAs, tagOf } from './ast.js';
import { analyzeDdl, type FoundRelation } from './ddl-locks.js';
import { walkParseOrder } from './parse-order.js';
import { occurrence, type QueryLevel, type RelOccurrence } from './query-level.js';
import { ModelBuilder } from './query-model.js';
import type { RowLockClause } from './row-locks.js';
import { analyzeSessionStatement } from './session-statements.js';
import { dmlDetails, sequenceCalls, setsLockTimeoutByFunction } from './statement-facts.js';

export interface Analysis {
  kind: StatementKind;
  command: string;
  relations: FoundRelation[];
  rowLocks: RowLockClause[];
  details: StatementDetails;
  /** The query model of a DML statement (of the statement an EXPLAIN explains). */
  model: QueryLevel | undefined;
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

function found(o: RelOccurrence): FoundRelation {
  return {
    schema: o.schema,
    name: o.name,
    alias: o.alias,
    role: o.role,
    mode: o.mode,
    inherit: o.inherit,
    reason: `${o.reason}${o.context}`,
    location: o.location,
  };
}

/** The query model of an optimizable statement, with its relations and row locks in parse-analysis order. */
function walk(stmt: Node | undefined): { model: QueryLevel | undefined; relations: FoundRelation[]; rowLocks: RowLockClause[] } {
  const model = new ModelBuilder().statement(stmt, undefined, undefined, '');
  const relations: FoundRelation[] = [];
  const rowLocks: RowLockClause[] = [];
  if (model !== undefined)
    walkParseOrder(
      model,
      (o) => relations.push(found(o)),
      (level) => rowLocks.push(...level.rowLocks),
    );
  return { model, relations, rowLocks };
}

function withSources(kind: StatementKind, command: string, query: Node | undefined): Analysis {
  const { relations, rowLocks } = walk(query);
  const calls = sequenceCalls(query);
  const details: StatementDetails = {
    ...(kind === 'ddl' ? { ddlCommand: command } : {}),
    ...(calls.length > 0 ? { sequenceCalls: calls } : {}),
  };
  return { kind, command, relations, rowLocks, details, model: undefined };
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
      model: undefined,
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
  if (ddl !== undefined)
    return { kind: 'ddl', command: ddl.command, relations: ddl.relations, rowLocks: [], details: ddl.details, model: undefined };
  const none = { relations: [], rowLocks: [], model: undefined };
  const session = analyzeSessionStatement(stmt);
  if (session !== undefined) return { ...session, ...none };
  const command = commandOfTag(tag);
  const details: StatementDetails = setsLockTimeoutByFunction(stmt) ? { setsLockTimeout: true } : {};
  if (DDL_TAG.test(tag)) return { kind: 'ddl', command, details: { ddlCommand: command }, ...none };
  return { kind: 'utility', command, details, ...none };
}

/** COPY FROM writes its table (RowExclusiveLock), COPY TO reads it; COPY (query) TO reads the query's relations. */
function analyzeCopy(copy: CopyStmt): Analysis {
  const from = copy.is_from === true;
  const command = from ? 'COPY FROM' : 'COPY TO';
  if (copy.query !== undefined) return withSources('utility', command, copy.query);
  const relations =
    copy.relation?.relname === undefined
      ? []
      : [found(occurrence(copy.relation, from ? 'write-target' : 'read', from ? 'COPY FROM target' : 'COPY TO source', ''))];
  return { kind: 'utility', command, relations, rowLocks: [], details: {}, model: undefined };
}
