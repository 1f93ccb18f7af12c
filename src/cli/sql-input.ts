/** Where the CLI's SQL comes from: positional arguments and --file FILE (or "-" for standard input). */
import { readFileSync } from 'node:fs';
import { UsageError } from './cli-error.js';

/**
 * Files larger than this are refused. Splitting is linear (src/core/sql/statement-boundaries.ts), so this only bounds
 * memory: a 64 MB text is held once as a string; the parser step bounds each statement (src/core/sql/parse-sql.ts).
 */
const MAX_SQL_BYTES = 64 * 1024 * 1024;

export function readSqlArguments(positionals: readonly string[], files: readonly string[]): string[] {
  const texts = [...positionals];
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
    } catch (error) {
      throw new UsageError(`Cannot read ${file === '-' ? 'standard input' : file}: ${(error as Error).message}`);
    }
    if (Buffer.byteLength(text) > MAX_SQL_BYTES)
      throw new UsageError(`${file} is larger than ${MAX_SQL_BYTES / 1024 / 1024} MB; give the statements to analyse.`);
    texts.push(text);
  }
  return texts;
}
