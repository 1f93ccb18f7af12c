/** The shared shapes of schema discovery: which kind of source a repository keeps, and the DDL translated from it. */

/** Kinds of schema source, in the order discovery prefers them (the most faithful first). */
export const SCHEMA_KINDS = [
  'structure-sql',
  'rails-schema-rb',
  'prisma-migrations',
  'prisma-schema',
  'sql-migrations',
  'django-models',
  'sqlalchemy-models',
] as const;
export type SchemaKind = (typeof SCHEMA_KINDS)[number];

/** The tool that wrote a directory of SQL migrations (it decides file order and which sections are "up"). */
export type MigrationFlavor = 'golang-migrate' | 'flyway' | 'goose' | 'dbmate' | 'sqitch' | 'prisma' | 'numbered';

/** What discovery found: the kind, the files (repository-relative, `/`-separated, in load order) and how it chose. */
export interface DiscoveredSchema {
  kind: SchemaKind;
  files: string[];
  /** For people: which tool wrote the files and why they were chosen ("golang-migrate *.up.sql in db/migrations"). */
  description: string;
  /** For SQL migrations (and Prisma's): the tool that wrote them. */
  flavor?: MigrationFlavor;
}

/** Something in a source that was not turned into DDL, with where it is: never dropped silently. */
export interface UntranslatedConstruct {
  file: string;
  /** 1-based line. */
  line: number;
  /** The construct as written (its first line). */
  construct: string;
  reason: string;
}

/** One generated DDL text per source file; its statements stand on the line of the construct they come from. */
export interface TranslatedSource {
  file: string;
  text: string;
}

export interface TranslatedSchema {
  sources: TranslatedSource[];
  untranslated: UntranslatedConstruct[];
}

/** A repository file's text by its relative path (undefined when absent or unreadable): core reads no files. */
export type ReadRepoFile = (path: string) => string | undefined;

/** One generated statement and the 1-based source line it comes from. */
export interface PlacedStatement {
  line: number;
  sql: string;
}

/**
 * Lays statements out so each starts on its source line (or the next free one), so a statement the embedded database
 * skips or rejects is reported at the line of the construct that produced it. Statements become one line each.
 */
export function placeAtLines(statements: readonly PlacedStatement[]): string {
  const lines: string[] = [];
  for (const statement of statements) {
    while (lines.length + 1 < statement.line) lines.push('');
    lines.push(
      `${statement.sql
        .replace(/\s*\n\s*/g, ' ')
        .trim()
        .replace(/;$/, '')};`,
    );
  }
  return lines.join('\n') + '\n';
}

/** A double-quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A qualified name `schema.table` (or a bare one) quoted part by part. */
export function quoteQualified(name: string): string {
  return name
    .split('.')
    .map((part) => quoteIdent(part))
    .join('.');
}

/** A single-quoted SQL string literal. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
