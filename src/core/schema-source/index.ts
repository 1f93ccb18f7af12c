/** Schema discovery's entry points: find a repository's schema source, then turn it into DDL for the embedded database. */
import { discoverSchema } from './discover.js';
import { translateDjangoModels } from './django-schema.js';
import { translatePrismaSchema } from './prisma-schema.js';
import { translateSchemaRb } from './rails-schema-rb.js';
import { replayMigrations } from './sql-migrations.js';
import { translateSqlAlchemyModels } from './sqlalchemy-models.js';
import type { DiscoveredSchema, ReadRepoFile, TranslatedSchema } from './types.js';

export { discoverSchema };
export * from './types.js';

/** Kinds whose translation parses Ruby or Python: tree-sitter grammars must be loaded first. */
export const NEEDS_GRAMMARS: ReadonlySet<string> = new Set(['rails-schema-rb', 'sqlalchemy-models', 'django-models']);

/** The DDL of a discovered source: dumps and migrations as written (up parts only), DSLs and models translated. */
export function translateSchema(schema: DiscoveredSchema, read: ReadRepoFile): TranslatedSchema {
  switch (schema.kind) {
    case 'structure-sql':
      return { sources: replayMigrations('numbered', schema.files, read), untranslated: [] };
    case 'rails-schema-rb': {
      const file = schema.files[0] ?? '';
      return translateSchemaRb(file, read(file) ?? '', read);
    }
    case 'prisma-schema':
      return translatePrismaSchema(schema.files.map((file) => ({ file, text: read(file) ?? '' })));
    case 'django-models':
      return translateDjangoModels(schema.files.map((file) => ({ file, text: read(file) ?? '' })));
    case 'sqlalchemy-models':
      return translateSqlAlchemyModels(schema.files.map((file) => ({ file, text: read(file) ?? '' })));
    case 'prisma-migrations':
    case 'sql-migrations':
      return { sources: replayMigrations(schema.flavor ?? 'numbered', schema.files, read), untranslated: [] };
  }
}
