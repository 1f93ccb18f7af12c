/** TypeORM entities, Sequelize models and Drizzle tables across files: declared for the index, merged into a file's models. */
import type { ExtractContext } from '../../extractor.js';
import type { ModelDeclaration, ModelIndex } from '../../models.js';
import { readModels, type FileModels } from './models.js';

export function declareJavaScriptModels(context: ExtractContext): ModelDeclaration[] {
  const m = readModels(context.tree.rootNode);
  const base = { language: context.language, file: context.file };
  return [
    ...[...m.typeormEntities].map(([name, t]) => ({
      ...base,
      name,
      table: t.table,
      confidence: t.confidence,
      orm: 'typeorm',
      relations: Object.fromEntries(m.typeormRelations.get(name) ?? []),
    })),
    ...[...m.sequelizeModels].map(([name, t]) => ({
      ...base,
      name,
      table: t.table,
      confidence: t.confidence,
      orm: 'sequelize',
      relations: Object.fromEntries(m.sequelizeAssociations.get(name) ?? []),
    })),
    ...[...m.drizzleTables].map(([name, t]) => ({
      ...base,
      name,
      table: t.table,
      confidence: 'likely' as const,
      orm: 'drizzle',
      relations: Object.fromEntries(m.drizzleRelations.get(name) ?? []),
    })),
  ];
}

/**
 * Entities, models and tables declared in other files (and schema.prisma) join this file's models; its own win. A
 * name several files declare (two apps of one tree) is the declaration nearest this file.
 */
export function withIndexedModels(models: FileModels, index: ModelIndex | undefined, file?: string): FileModels {
  for (const declared of index?.declarations('typescript') ?? []) {
    const d = index?.lookup('typescript', declared.name, file) ?? declared;
    const relations = new Map(Object.entries(d.relations));
    if (d.orm === 'typeorm' && !models.typeormEntities.has(d.name)) {
      models.typeormEntities.set(d.name, { table: d.table, confidence: d.confidence });
      if (!models.typeormRelations.has(d.name)) models.typeormRelations.set(d.name, relations);
    } else if (d.orm === 'sequelize' && !models.sequelizeModels.has(d.name)) {
      models.sequelizeModels.set(d.name, { table: d.table, confidence: d.confidence });
      if (!models.sequelizeAssociations.has(d.name)) models.sequelizeAssociations.set(d.name, relations);
    } else if (d.orm === 'prisma') {
      models.prismaModels ??= new Map();
      models.prismaModels.set(d.name, { table: d.table, relations });
    } else if (d.orm === 'drizzle' && !models.drizzleTables.has(d.name)) {
      models.drizzleTables.set(d.name, { table: d.table, columns: new Map() });
      if (!models.drizzleRelations.has(d.name)) models.drizzleRelations.set(d.name, relations);
    }
  }
  return models;
}
