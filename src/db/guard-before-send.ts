/** The db layer's entry to the safety guard: loads the parser if nobody has yet, then checks every statement to be sent. */
import { guardStatements, type GuardOptions } from '../core/safety/index.js';
import { loadSqlParser } from '../core/sql/index.js';

/**
 * Throws GuardRefusedError when any statement is refused (then nothing may be sent); returns the warnings otherwise.
 * Async only for the one-time parser load: the sending functions call it whoever their caller is.
 */
export async function guardBeforeSend(sqls: readonly string[], options: GuardOptions): Promise<string[]> {
  await loadSqlParser();
  return guardStatements(sqls, options);
}
