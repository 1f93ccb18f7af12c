/**
 * What the editor's embedded database loads when neither a database nor `lockscope.schemaFile` is configured: the
 * schema source discovery finds in the workspace folder (structure.sql, schema.rb, Prisma, SQL migrations, Django or
 * SQLAlchemy models), as the CLI does, with lines for the log saying which source it was and what was not translated.
 */
import type { EmbeddedOptions } from './embedded-session.js';
import { DbError } from './errors.js';
import { discoverRepositorySchema } from './schema-discovery.js';

export interface WorkspaceSchema {
  /** Options for openEmbeddedSession: the translated sources (and the cache directory when there is one). */
  options: EmbeddedOptions;
  /** For people: which source was used ("Rails schema DSL db/schema.rb"). */
  description: string;
  /** Log lines: one per construct not translated, with file and line. */
  notes: string[];
}

/** The discovered schema of `folder`, or undefined when it holds none of the known kinds (or cannot be read). */
export async function discoverWorkspaceSchema(folder: string, cacheDir: string | undefined): Promise<WorkspaceSchema | undefined> {
  let found;
  try {
    found = await discoverRepositorySchema(folder);
  } catch (error) {
    if (DbError.is(error)) return undefined;
    throw error;
  }
  if (found === undefined) return undefined;
  return {
    options: { schemaSources: found.translated.sources, ...(cacheDir === undefined ? {} : { cacheDir }) },
    description: found.schema.description,
    notes: found.translated.untranslated.map((u) => `${u.file}:${u.line} not translated: ${u.construct} (${u.reason})`),
  };
}
