/**
 * Loads schema files (plain DDL, `pg_dump -s` output, Rails' structure.sql) into the embedded database one
 * statement at a time, so statements that only apply on the original server (roles, grants, extensions PGlite lacks…)
 * are skipped with a note naming file and line instead of failing the whole load, and a real error names its line.
 */
import { loadModule, parseSync } from 'libpg-query';
import { DbError } from './errors.js';
import { skipDecision } from './schema-skips.js';

export interface SchemaStatement {
  sql: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
  /** For `CREATE EXTENSION name`: the extension's name. */
  extension?: string;
}

/** One schema text and the file it came from (for notes and errors). */
export interface SchemaSource {
  file: string;
  text: string;
}

export interface SkippedStatement {
  /** The file the statement is in. */
  file: string;
  line: number;
  /** The statement's first line. */
  statement: string;
  reason: string;
}

export interface SchemaLoadReport {
  applied: number;
  /** Statements skipped because they only make sense on the original server (roles, extensions, grants…). */
  skipped: SkippedStatement[];
  /** `hit`: started from the cached data directory of an earlier load; `stored`: loaded and saved for next time. */
  cache?: 'hit' | 'stored';
}

/** Splits the file into statements with their line numbers, using PostgreSQL's own parser. */
export async function splitSchema(text: string): Promise<SchemaStatement[]> {
  await loadModule();
  const bytes = Buffer.from(text, 'utf8');
  let parsed;
  try {
    parsed = parseSync(text);
  } catch (error) {
    const details = (error as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
    // cursorPosition is a 0-based string index (libpg-query converts Postgres' byte position).
    const at = text.slice(0, Math.max(0, details?.cursorPosition ?? 0));
    const line = at.split('\n').length;
    throw new DbError('schema-load', `The schema does not parse near line ${line}: ${(error as Error).message}`, error);
  }
  const out: SchemaStatement[] = [];
  for (const stmt of parsed.stmts ?? []) {
    const start = stmt.stmt_location ?? 0;
    const end = stmt.stmt_len === undefined || stmt.stmt_len === 0 ? bytes.length : start + stmt.stmt_len;
    const raw = bytes.subarray(start, end).toString('utf8');
    const leading = raw.length - raw.trimStart().length;
    const sql = raw.trim();
    if (sql === '') continue;
    const line = bytes.subarray(0, start).toString('utf8').split('\n').length + raw.slice(0, leading).split('\n').length - 1;
    const extension = (stmt.stmt as { CreateExtensionStmt?: { extname?: string } } | undefined)?.CreateExtensionStmt?.extname;
    out.push(extension === undefined ? { sql, line } : { sql, line, extension });
  }
  return out;
}

/** Statements without comments for the skip test (dumps put "-- Name: …" comments before each). */
function withoutLeadingComments(sql: string): string {
  return sql.replace(/^(\s*--[^\n]*\n)+/, '').trim();
}

/**
 * psql meta-commands (pg_dump 15.14+ writes `\restrict KEY` / `\unrestrict KEY`; hand-written files may hold
 * `\set`, `\connect`) are psql's, not SQL: blank those lines, keeping line numbers, and report them.
 */
function stripMetaCommands(text: string, file: string, skipped: SkippedStatement[]): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (!/^\\[a-zA-Z!?]/.test(line)) return line;
      skipped.push({ file, line: i + 1, statement: line.trim(), reason: 'psql meta-command' });
      return '';
    })
    .join('\n');
}

/** A schema source split into statements, with what was blanked out before parsing. */
export interface SplitSource {
  file: string;
  statements: SchemaStatement[];
  skipped: SkippedStatement[];
}

/** Splits every source (a parse error names the file and line). */
export async function splitSources(sources: readonly SchemaSource[]): Promise<SplitSource[]> {
  const out: SplitSource[] = [];
  for (const source of sources) {
    const skipped: SkippedStatement[] = [];
    try {
      out.push({ file: source.file, statements: await splitSchema(stripMetaCommands(source.text, source.file, skipped)), skipped });
    } catch (error) {
      throw DbError.is(error) ? new DbError(error.reason, `${source.file}: ${error.message}`, error.original) : error;
    }
  }
  return out;
}

/** Names of the extensions the sources create (to register their bundles before the load). */
export function extensionsNamed(split: readonly SplitSource[]): string[] {
  return [...new Set(split.flatMap((s) => s.statements.flatMap((st) => (st.extension === undefined ? [] : [st.extension]))))];
}

/** Runs every statement in order; skippable failures are noted with file and line, a real one stops the load. */
export async function loadSplitSchema(exec: (sql: string) => Promise<void>, split: readonly SplitSource[]): Promise<SchemaLoadReport> {
  const report: SchemaLoadReport = { applied: 0, skipped: split.flatMap((s) => s.skipped) };
  let skippedStatement = false;
  for (const source of split) {
    for (const statement of source.statements) {
      const bare = withoutLeadingComments(statement.sql);
      try {
        await exec(statement.sql);
        report.applied++;
      } catch (error) {
        const message = (error as Error).message;
        const sqlState = (error as { code?: unknown }).code;
        const skip = skipDecision(bare, typeof sqlState === 'string' ? sqlState : undefined, message, skippedStatement);
        if (skip === undefined)
          throw new DbError(
            'schema-load',
            `Could not load ${source.file} into the embedded database: line ${statement.line}: ${message}`,
            error,
          );
        skippedStatement = true;
        report.skipped.push({ file: source.file, line: statement.line, statement: bare.split('\n')[0] ?? bare, reason: skip.reason });
      }
    }
  }
  return report;
}

/** Splits and loads one schema text (the single-file form). */
export async function loadSchema(exec: (sql: string) => Promise<void>, text: string, where: string): Promise<SchemaLoadReport> {
  return loadSplitSchema(exec, await splitSources([{ file: where, text }]));
}
