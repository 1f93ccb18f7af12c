/**
 * Text in, statements out: placeholders normalised, split with the PostgreSQL parser, each statement analysed for
 * its kind, relations (in the order parse analysis opens them), row-lock clauses and lock-relevant details.
 * A text that does not parse is returned as data with the error position, never thrown.
 */
import { parseSync } from 'libpg-query';
import { dmlFacts } from '../predict/dml-facts.js';
import { asNodes, rangeVarOf, unwrap } from '../predict/ast.js';
import { ModelBuilder, walkParseOrder } from '../predict/query-model.js';
import type { ParseOutcome, RelationRef, RowLockClause, Statement, StatementKind } from '../statement.js';
import { assertParserLoaded } from './load.js';
import { normalizePlaceholders } from './placeholders.js';
import { Utf8Offsets } from './text-offsets.js';
import { analyzeUtility } from './utility.js';

const DML: Record<string, { kind: StatementKind; command: string }> = {
  SelectStmt: { kind: 'select', command: 'SELECT' },
  InsertStmt: { kind: 'insert', command: 'INSERT' },
  UpdateStmt: { kind: 'update', command: 'UPDATE' },
  DeleteStmt: { kind: 'delete', command: 'DELETE' },
  MergeStmt: { kind: 'merge', command: 'MERGE' },
};

const STRENGTHS: Record<string, RowLockClause['strength']> = {
  LCS_FORUPDATE: 'update', LCS_FORNOKEYUPDATE: 'no-key-update', LCS_FORSHARE: 'share', LCS_FORKEYSHARE: 'key-share',
};
const WAIT_POLICIES: Record<string, RowLockClause['waitPolicy']> = { LockWaitBlock: 'block', LockWaitSkip: 'skip-locked', LockWaitError: 'nowait' };

function nodeType(node: unknown): string {
  return typeof node === 'object' && node !== null ? (Object.keys(node)[0] ?? '') : '';
}

/** Every FOR UPDATE/SHARE clause anywhere in the statement. */
function rowLockClauses(tree: unknown, out: RowLockClause[] = []): RowLockClause[] {
  if (Array.isArray(tree)) {
    for (const item of tree) rowLockClauses(item, out);
    return out;
  }
  if (typeof tree !== 'object' || tree === null) return out;
  const clause = unwrap(tree, 'LockingClause');
  if (clause !== undefined) {
    out.push({
      strength: STRENGTHS[String(clause['strength'])] ?? 'update',
      waitPolicy: WAIT_POLICIES[String(clause['waitPolicy'])] ?? 'block',
      of: asNodes(clause['lockedRels']).map((r) => rangeVarOf(r)?.relname ?? '').filter((n) => n !== ''),
    });
  }
  for (const value of Object.values(tree as Record<string, unknown>)) rowLockClauses(value, out);
  return out;
}

function roleOf(mode: string): RelationRef['role'] {
  return mode === 'RowExclusiveLock' ? 'write-target' : mode === 'RowShareLock' ? 'row-lock' : 'read';
}

export function parseSql(original: string): ParseOutcome {
  assertParserLoaded();
  const normalized = normalizePlaceholders(original);
  const text = normalized.text;
  const offsets = new Utf8Offsets(text);
  let parsed;
  try {
    parsed = parseSync(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
    // libpg-query reports cursorPosition as a 0-based string index into the parsed text (measured).
    const at = normalized.toOriginal(Math.max(0, details?.cursorPosition ?? 0));
    return { ok: false, error: { message: details?.message ?? (error as Error).message, offset: at, start: 0, end: original.length }, statements: [] };
  }
  const statements: Statement[] = [];
  const raws = parsed.stmts ?? [];
  for (const raw of raws) {
    const startByte = raw.stmt_location ?? 0;
    const endByte = raw.stmt_len === undefined || raw.stmt_len === 0 ? Buffer.byteLength(text) : startByte + raw.stmt_len;
    const start = offsets.toIndex(startByte);
    const end = offsets.toIndex(endByte);
    const full = text.slice(start, end);
    const lead = full.length - full.trimStart().length;
    const sql = full.trim();
    const node = raw.stmt;
    if (node === undefined || sql === '') continue;
    const relativeOffset = (byteLocation: number): number => offsets.toIndex(byteLocation) - (start + lead);
    const statement = analyze(node, relativeOffset);
    statements.push({
      ...statement,
      sql,
      start: normalized.toOriginal(start + lead),
      end: normalized.toOriginal(end),
      parameterCount: normalized.parameterCount,
    });
  }
  return { ok: true, statements };
}

function analyze(node: unknown, relativeOffset: (byte: number) => number): Omit<Statement, 'sql' | 'start' | 'end' | 'parameterCount'> {
  let type = nodeType(node);
  let inner = unwrap(node, type) ?? {};
  let target: unknown = node;
  if (type === 'ExplainStmt') {
    target = inner['query'];
    type = nodeType(target);
    inner = unwrap(target, type) ?? {};
  }
  const dml = DML[type];
  const queryOf = type === 'CreateTableAsStmt' || type === 'ViewStmt' ? inner['query'] : dml !== undefined ? target : undefined;
  if (queryOf !== undefined) {
    const model = new ModelBuilder().build(queryOf as never);
    const relations: RelationRef[] = [];
    if (model !== undefined) {
      walkParseOrder(model, (o) => {
        relations.push({ schema: o.schema, name: o.name, alias: o.alias, role: roleOf(o.mode), mode: o.mode, inherit: o.inherit, reason: o.reason, offset: relativeOffset(o.location) });
      });
    }
    const facts = dmlFacts(queryOf);
    const conflict = inner['onConflictClause'] as { infer?: unknown } | undefined;
    const select = unwrap(inner['selectStmt'], 'SelectStmt');
    const details: Statement['details'] = { sequenceCalls: facts.sequenceCalls };
    if (type === 'InsertStmt') {
      details.onConflictInference = conflict?.infer !== undefined;
      details.insertSource = select === undefined ? 'default-values' : asNodes(select['valuesLists']).length > 0 ? 'values' : 'select';
      details.targetColumns = facts.insertColumns ?? [];
    }
    if (type === 'UpdateStmt') details.targetColumns = facts.setColumns;
    if (dml === undefined) {
      const command = type === 'ViewStmt' ? 'CREATE VIEW' : 'CREATE TABLE AS';
      return { kind: 'ddl', command, relations, rowLocks: [], details: { ...details, ddlCommand: command } };
    }
    return { kind: dml.kind, command: dml.command, relations, rowLocks: rowLockClauses(queryOf), details };
  }
  const utility = analyzeUtility(type, inner);
  if (utility === undefined) return { kind: 'utility', command: type.replace(/Stmt$/, '').toUpperCase(), relations: [], rowLocks: [], details: {} };
  return {
    kind: utility.kind,
    command: utility.command,
    relations: utility.relations.map(({ location, ...r }) => ({ ...r, offset: relativeOffset(location) })),
    rowLocks: [],
    details: utility.details,
  };
}
