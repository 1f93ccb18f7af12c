/**
 * A parsed statement made to name another table, without parsing anything again: the scanner writes a stand-in table
 * for a model a function receives as a parameter, and each call supplies the real one. The parse tree is copied with
 * the stand-in's references renamed and analysed again; the text is rewritten at the positions the parser reported.
 */
import { scanSync } from 'libpg-query';
import type { Node, RangeVar } from '@pgsql/types';
import type { RelationRef, Statement } from '../statement.js';
import { analyzeStatement } from './analyze-statement.js';
import { nodeAs, walkTree } from './ast.js';

/** Scanner keyword kinds: 0 none, 1 unreserved; column-name, type/function-name and reserved keywords need quotes. */
const LAST_BARE_KEYWORD_KIND = 1;

/** An identifier as PostgreSQL's quote_ident writes it: bare when it reads back as itself, else double-quoted. */
export function quoteIdentifier(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name)) {
    const token = scanSync(name).tokens[0];
    if (token !== undefined && token.keywordKind <= LAST_BARE_KEYWORD_KIND) return name;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

const split = (qualified: string): { schema: string | undefined; name: string } => {
  const dot = qualified.lastIndexOf('.');
  return dot < 0 ? { schema: undefined, name: qualified } : { schema: qualified.slice(0, dot), name: qualified.slice(dot + 1) };
};

const names = (ref: { schema: string | undefined; name: string }, target: { schema: string | undefined; name: string }): boolean =>
  ref.name === target.name && ref.schema === target.schema;

/** The written name at `offset` of `sql` ([schema.]name, each part bare or quoted), as a length. */
function writtenLength(sql: string, offset: number): number {
  const part = '(?:"(?:[^"]|"")*"|[^\\s."(),;]+)';
  const match = new RegExp(`^${part}(?:\\s*\\.\\s*${part})?`).exec(sql.slice(offset));
  return match?.[0].length ?? 0;
}

/**
 * `statement` with every reference to the table `placeholder` ("name" or "schema.name", unquoted) naming `table`
 * instead. Relations keep their order; offsets point into the rewritten text.
 */
export function withTable(statement: Statement, placeholder: string, table: string): Statement {
  const from = split(placeholder);
  const to = split(table);
  const ast = structuredClone(statement.ast) as Node;
  walkTree(ast, (node) => {
    // Targets of DML and DDL hold their RangeVar unwrapped (`relation: { relname, relpersistence, … }`).
    const bare = typeof node['relname'] === 'string' && typeof node['relpersistence'] === 'string';
    const rv: RangeVar | undefined = nodeAs(node, 'RangeVar') ?? (bare ? (node as RangeVar) : undefined);
    if (rv?.relname !== undefined && names({ schema: rv.schemaname, name: rv.relname }, from)) {
      rv.relname = to.name;
      if (to.schema === undefined) delete rv.schemaname;
      else rv.schemaname = to.schema;
    }
    return true;
  });
  const analysis = analyzeStatement(ast);
  const written = [to.schema, to.name]
    .filter((p): p is string => p !== undefined)
    .map(quoteIdentifier)
    .join('.');
  // Rewrite the text from the end, so earlier offsets stay valid; then shift every offset by the edits before it.
  let sql = statement.sql;
  const edits: Array<{ at: number; delta: number }> = [];
  for (const ref of [...statement.relations].sort((a, b) => b.offset - a.offset)) {
    if (!names(ref, from)) continue;
    const length = writtenLength(sql, ref.offset);
    sql = sql.slice(0, ref.offset) + written + sql.slice(ref.offset + length);
    edits.push({ at: ref.offset, delta: written.length - length });
  }
  const shifted = (offset: number): number => offset + edits.filter((e) => e.at < offset).reduce((n, e) => n + e.delta, 0);
  const relations: RelationRef[] = analysis.relations.map(({ location: _location, ...rest }, i) => ({
    ...rest,
    offset: shifted(statement.relations[i]?.offset ?? 0),
  }));
  return {
    ...statement,
    sql,
    kind: analysis.kind,
    command: analysis.command,
    relations,
    rowLocks: analysis.rowLocks,
    details: analysis.details,
    ast,
    model: analysis.model,
  };
}
