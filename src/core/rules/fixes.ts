/** Mechanical fixes several rules offer: a lock_timeout set just before the statement, a clause appended to it. */
import type { AnalyzedSite } from '../analyze/analyze.js';
import type { Fix } from './types.js';

/** The position `at` characters into the site's SQL text (which starts at the site's range start). */
export function positionInSite(site: AnalyzedSite, at: number): { line: number; character: number } {
  const lines = site.site.sql.slice(0, at).split('\n');
  const line = site.site.range.start.line + lines.length - 1;
  const character = (lines.length === 1 ? site.site.range.start.character : 0) + (lines[lines.length - 1]?.length ?? 0);
  return { line, character };
}

/** Inserts `text` into the site's SQL at offset `at`. */
export function insertInSite(site: AnalyzedSite, at: number, text: string, description: string): Fix {
  const position = positionInSite(site, at);
  return { description, edits: [{ file: site.site.file, range: { start: position, end: position }, newText: text }] };
}

/**
 * `SET LOCAL lock_timeout` on its own line before the statement when it runs in a transaction block (it ends with
 * the transaction), `SET lock_timeout` otherwise (it lasts for the session, which is what a migration script wants).
 * Only for .sql files, where a statement is a line of the file.
 */
export function lockTimeoutFix(site: AnalyzedSite, timeout = '2s'): Fix | undefined {
  if (site.site.origin !== 'sql-file') return undefined;
  const statement = site.site.transaction !== undefined ? `SET LOCAL lock_timeout = '${timeout}';` : `SET lock_timeout = '${timeout}';`;
  const start = site.site.range.start;
  return {
    description: `Set lock_timeout = '${timeout}' before it`,
    edits: [{ file: site.site.file, range: { start, end: start }, newText: `${statement}\n${' '.repeat(start.character)}` }],
  };
}
