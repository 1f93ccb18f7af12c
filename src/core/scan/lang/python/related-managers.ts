/**
 * Django managers reached through a model's relations: `checkout.gift_cards.select_for_update()` (a related manager
 * on an instance, typed by its variable, its attribute name or `self` in a model method; a reverse relation by its
 * `related_name`, `instance.variants` even on an instance of unknown type when one model declares that name) and
 * `Attribute.reference_types.through.objects` (the auto-created many-to-many table). Only for chains that lock rows:
 * the name-based typing is a guess, worth it where a missed lock hides a cascade.
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import { parentOf } from '../../tree-helpers.js';
import { definingClass } from './classes.js';
import { namedModel } from './queryset-source.js';
import type { PythonEnvironment } from './recognized.js';
import type { Chain } from './syntax.js';

function enclosingClassName(node: Node): string | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if (a.type === 'function_definition') return definingClass(a);
  return undefined;
}

/** The model an owner expression holds: a typed or assigned variable, `self` in a model, or a model-named attribute. */
function ownerModel(owner: Node, env: PythonEnvironment): ModelDeclaration | undefined {
  if (owner.type === 'identifier') {
    if (owner.text === 'self') {
      const className = enclosingClassName(owner);
      return className === undefined ? undefined : env.model(className);
    }
    return env.instanceModel(owner) ?? namedModel(owner.text, env);
  }
  if (owner.type === 'attribute') return namedModel(owner.childForFieldName('attribute')?.text ?? '', env);
  return undefined;
}

/** `checkout_info.checkout.gift_cards` → GiftCard when Checkout declares `gift_cards = ManyToManyField(GiftCard)`. */
export function relatedManagerModel(chain: Chain, env: PythonEnvironment): ModelDeclaration | undefined {
  if (chain.root.type !== 'attribute') return undefined;
  const relation = chain.root.childForFieldName('attribute')?.text ?? '';
  const owner = chain.root.childForFieldName('object');
  const from = owner === null ? undefined : ownerModel(owner, env);
  const target = from?.relations[relation];
  const model = target === undefined ? env.reverseRelation?.(relation, from?.name) : env.model(target);
  return model?.orm === 'django' ? model : undefined;
}

/** `Attribute.reference_types.through.objects` → the many-to-many table Django names `<owner table>_<field>`. */
export function throughModel(parts: readonly string[], env: PythonEnvironment): ModelDeclaration | undefined {
  if (parts.length !== 4 || parts[2] !== 'through') return undefined;
  const owner = env.model(parts[0] ?? '');
  const field = parts[1] ?? '';
  if (owner?.orm !== 'django' || owner.relations[field] === undefined || owner.table === '') return undefined;
  return {
    language: 'python',
    name: `${owner.name}.${field}.through`,
    table: `${owner.table}_${field}`,
    confidence: 'guess',
    relations: {},
    file: owner.file,
    orm: 'django',
  };
}
