/** Schema discovery's entry points: find a repository's schema source, then turn it into DDL for the embedded database. */
import { discoverSchema } from './discover.js';
import { replayMigrations } from './sql-migrations.js';
import type { DiscoveredSchema, ReadRepoFile, TranslatedSchema } from './types.js';

export { discoverSchema };
export * from './types.js';

/** The DDL of a discovered source: dumps and migrations as written (up parts only), in load order. */
export function translateSchema(schema: DiscoveredSchema, read: ReadRepoFile): TranslatedSchema {
  switch (schema.kind) {
    case 'structure-sql':
      return { sources: replayMigrations('numbered', schema.files, read), untranslated: [] };
    case 'prisma-migrations':
    case 'sql-migrations':
      return { sources: replayMigrations(schema.flavor ?? 'numbered', schema.files, read), untranslated: [] };
  }
}
