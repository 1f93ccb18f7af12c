/** ActiveRecord models across files: this file's models for the index, and the index's models merged into a file's map. */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import type { ModelDeclaration, ModelIndex } from '../../models.js';
import { buildModelMap, type AssociationKind, type ModelMap } from './models.js';

/** Relation values carry the association kind: "has_many:LineItem" (class name empty when conventional). */
export function declareRubyModels(context: ExtractContext, root: Node = context.tree.rootNode): ModelDeclaration[] {
  return [...buildModelMap(root).values()].map((m) => ({
    language: 'ruby',
    name: m.className,
    table: m.table,
    confidence: m.confidence,
    file: context.file,
    orm: 'activerecord',
    relations: Object.fromEntries([...m.associations].map(([name, a]) => [name, `${a.kind}:${a.className ?? ''}`])),
  }));
}

/** Models declared in other files join this file's map (its own win; of several same-named, the nearest this file). */
export function withIndexedModels(models: ModelMap, index: ModelIndex | undefined, file?: string): ModelMap {
  for (const declared of index?.declarations('ruby') ?? []) {
    const d = index?.lookup('ruby', declared.name, file) ?? declared;
    if (models.has(d.name) || d.orm !== 'activerecord') continue;
    const associations = new Map(
      Object.entries(d.relations).map(([name, value]) => {
        const [kind, className] = value.split(':');
        return [name, { kind: kind as AssociationKind, className: className === '' ? undefined : className }];
      }),
    );
    models.set(d.name, { className: d.name, table: d.table, confidence: d.confidence, associations, declared: true });
  }
  return models;
}
