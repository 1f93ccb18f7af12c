/**
 * Django querysets whose source Lockscope cannot follow: a parameter annotated `QuerySet[Order]` (or `QuerySet["Order"]`),
 * or an untyped parameter named after its model (`orders`, `order_qs`) when the chain locks rows — batch helpers of
 * data migrations (`list(qs.select_for_update(of=["self"]))`).
 */
import type { Node } from 'web-tree-sitter';
import type { ModelDeclaration } from '../../models.js';
import { parentOf } from '../../tree-helpers.js';
import { runTimeModel, type PythonEnvironment, type RecognizedQuery } from './recognized.js';
import type { Chain } from './syntax.js';

/** `QuerySet[Order]`, `QuerySet["Order"]`, `"QuerySet[Order]"`, `models.QuerySet[Order]` → Order. */
function annotatedModel(annotation: string, env: PythonEnvironment): ModelDeclaration | undefined {
  const m = /^["']?(?:[\w.]+\.)?QuerySet\[\s*["']?([\w.]+)["']?\s*\]["']?$/.exec(annotation.trim());
  return m?.[1] === undefined ? undefined : env.model(m[1]);
}

/** `orders` → Order, `order_qs` / `orders_queryset` → Order, `events` → Event: the model a variable is named after. */
export function namedModel(name: string, env: PythonEnvironment): ModelDeclaration | undefined {
  const base = name.replace(/_?(qs|queryset)$/i, '').replace(/^_+/, '');
  const singular = base.endsWith('ies') ? `${base.slice(0, -3)}y` : base.endsWith('s') ? base.slice(0, -1) : base;
  const pascal = singular
    .split('_')
    .filter((p) => p !== '')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
  const model = pascal === '' ? undefined : env.model(pascal);
  return model?.orm === 'django' ? model : undefined;
}

/** The function parameter `use` names, with its annotation text (empty when untyped). */
function parameterOf(use: Node): { annotation: string } | undefined {
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (a.type !== 'function_definition') continue;
    for (const p of a.childForFieldName('parameters')?.namedChildren ?? []) {
      if (p === null) continue;
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren[0]);
      if (id?.text === use.text) return { annotation: p.childForFieldName('type')?.text ?? '' };
    }
    return undefined;
  }
  return undefined;
}

/** `self.qs` that `__init__` sets from its parameter `qs`: that parameter. */
function attributeParameter(root: Node): { annotation: string } | undefined {
  const name = root.childForFieldName('attribute')?.text;
  if (root.childForFieldName('object')?.text !== 'self' || name === undefined) return undefined;
  for (let a = parentOf(root); a !== null; a = parentOf(a)) {
    if (a.type !== 'class_definition') continue;
    const init = a
      .childForFieldName('body')
      ?.descendantsOfType('function_definition')
      .find((f) => f?.childForFieldName('name')?.text === '__init__');
    for (const assignment of init?.descendantsOfType('assignment') ?? []) {
      const right = assignment?.childForFieldName('right');
      if (assignment?.childForFieldName('left')?.text === `self.${name}` && right?.type === 'identifier') return parameterOf(right);
    }
    return undefined;
  }
  return undefined;
}

/** A bare `QuerySet` annotation: a queryset of any model. */
const ANY_QUERYSET = /^["']?(?:[\w.]+\.)?QuerySet["']?$/;

/**
 * A queryset parameter's query, for chains on it (or on `self.qs` set from one): typed by its annotation, or by its
 * name when the chain locks; a locking chain on a bare `QuerySet` (saleor's generic `Reordering(qs, …)`) locks rows of a
 * model known only at run time.
 */
export function querysetParameter(chain: Chain, env: PythonEnvironment): RecognizedQuery | undefined {
  const parameter =
    chain.root.type === 'identifier'
      ? parameterOf(chain.root)
      : chain.root.type === 'attribute'
        ? attributeParameter(chain.root)
        : undefined;
  if (parameter === undefined) return undefined;
  const locks = chain.links.some((l) => l.name === 'select_for_update');
  const model =
    annotatedModel(parameter.annotation, env) ??
    (locks && chain.root.type === 'identifier' ? namedModel(chain.root.text, env) : undefined) ??
    (locks && ANY_QUERYSET.test(parameter.annotation) ? runTimeModel(chain.rootText) : undefined);
  if (model === undefined) return undefined;
  return {
    origin: 'django',
    query: { action: 'select', table: model.table, joins: [], filterColumns: [], filteredUnknown: true },
    confidence: 'guess',
    notes: [],
    model,
  };
}
