/**
 * Loads a schema file (plain DDL, `pg_dump -s` output, Rails' structure.sql) into the embedded database one
 * statement at a time, so a dump's role- or extension-specific statements that cannot apply here are skipped
 * with a warning instead of failing the whole load, and a real error names its line.
 */
import { loadModule, parseSync } from 'libpg-query';
import { DbError } from './errors.js';

export interface SchemaStatement {
  sql: string;
  /** 1-based line of the statement's first character in the file. */
  line: number;
}

export interface SchemaLoadReport {
  applied: number;
  /** Statements skipped because they only make sense on the original server (roles, extensions, grants…). */
  skipped: Array<{ line: number; statement: string; reason: string }>;
}

/** Statements a schema dump may contain that the embedded database can safely do without. */
const SKIPPABLE = [
  /^ALTER\s+.*\s+OWNER\s+TO\s/is,
  /^(GRANT|REVOKE)\s/i,
  /^ALTER\s+DEFAULT\s+PRIVILEGES\s/i,
  /^(CREATE|COMMENT\s+ON)\s+EXTENSION\s/i,
  /^CREATE\s+(PUBLICATION|SUBSCRIPTION|EVENT\s+TRIGGER)\s/i,
  /^SECURITY\s+LABEL\s/i,
  /^SET\s+default_table_access_method\b/i,
  /^SELECT\s+pg_catalog\.set_config\('search_path'/i,
];

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
    out.push({ sql, line });
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
function stripMetaCommands(text: string, report: SchemaLoadReport): string {
  return text
    .split('\n')
    .map((line, i) => {
      if (!/^\\[a-zA-Z!?]/.test(line)) return line;
      report.skipped.push({ line: i + 1, statement: line.trim(), reason: 'psql meta-command' });
      return '';
    })
    .join('\n');
}

export async function loadSchema(exec: (sql: string) => Promise<void>, text: string, where: string): Promise<SchemaLoadReport> {
  const report: SchemaLoadReport = { applied: 0, skipped: [] };
  const statements = await splitSchema(stripMetaCommands(text, report));
  for (const statement of statements) {
    const bare = withoutLeadingComments(statement.sql);
    try {
      await exec(statement.sql);
      report.applied++;
    } catch (error) {
      const message = (error as Error).message;
      if (SKIPPABLE.some((re) => re.test(bare))) {
        report.skipped.push({ line: statement.line, statement: bare.split('\n')[0] ?? bare, reason: message });
        continue;
      }
      throw new DbError('schema-load', `Could not load ${where} into the embedded database: line ${statement.line}: ${message}`, error);
    }
  }
  return report;
}
