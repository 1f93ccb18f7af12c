/**
 * Names a Python file's queries resolve: models by class name (own, the project's, imported under an alias), the model
 * of an instance variable, and the stand-in model of a parameter a generic helper is given (`def lock(db, model, id)`).
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import type { ModelDeclaration } from '../../models.js';
import { parentOf } from '../../tree-helpers.js';
import type { PythonEnvironment, RecognizedQuery } from './recognized.js';
import { assignedValue, chainOf, type Chain } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** A recognizer of query chains, for instance variables assigned from a query (index.ts's `recognize`). */
export type Recognize = (chain: Chain, env: PythonEnvironment) => RecognizedQuery | undefined;

/** Model names resolved in this file (own models, the project's index, import aliases), instances and parameters. */
export function environment(
  context: ExtractContext,
  own: readonly ModelDeclaration[],
  imports: ReadonlyMap<string, string>,
  recognize: Recognize,
): PythonEnvironment {
  const local = new Map(own.map((d) => [d.name, d]));
  const byName = (name: string): ModelDeclaration | undefined => local.get(name) ?? context.models?.lookup('python', name, context.file);
  const env: PythonEnvironment = {
    // `from app.db import Tool as DbTool` and `models.Tool` name the model Tool.
    model: (name) => {
      const simple = name.includes('.') ? (name.split('.').pop() ?? name) : name;
      const imported = imports.get(simple);
      return byName(simple) ?? (imported === undefined ? undefined : byName(imported));
    },
    instanceModel: (use) => instanceModelOf(use, env, recognize),
    parameterModel: (use) => parameterModelOf(use),
    reverseRelation: (relation, owner) => {
      const all = [...own, ...(context.models?.declarations('python') ?? [])];
      const declaring = all.filter((d) => d.orm === 'django' && d.reverseRelations?.[relation] !== undefined);
      const names = new Set(declaring.map((d) => d.name));
      if (owner !== undefined) return declaring.find((d) => d.reverseRelations?.[relation] === owner);
      return names.size === 1 ? declaring[0] : undefined;
    },
  };
  return env;
}

/** Stand-in table for a model passed as a parameter: lower-case so the synthesized SQL carries it unquoted. */
const parameterPlaceholder = (name: string): string => `lockscope_param_${name.toLowerCase()}`;

/** Positional parameter names of a function, without a leading self/cls (calls through self do not pass it). */
function positionalParameters(fn: Node): string[] {
  const names: string[] = [];
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    if (p === null) continue;
    if (p.type === 'list_splat_pattern' || p.type === 'dictionary_splat_pattern' || p.type === 'keyword_separator') break;
    const name = p.type === 'identifier' ? p.text : (p.childForFieldName('name') ?? p.namedChildren[0])?.text;
    if (name !== undefined) names.push(name);
  }
  return names[0] === 'self' || names[0] === 'cls' ? names.slice(1) : names;
}

function parameterModelOf(use: Node): ModelDeclaration | undefined {
  if (use.type !== 'identifier') return undefined;
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (a.type !== 'function_definition') continue;
    const index = positionalParameters(a).indexOf(use.text);
    if (index < 0) return undefined;
    return {
      language: 'python',
      name: use.text,
      table: parameterPlaceholder(use.text),
      confidence: 'likely',
      relations: {},
      file: '',
      parameter: { index, name: use.text },
    };
  }
  return undefined;
}

/** Names this file imports from other modules, local name → defined name (`from .db import lock_by_pk as lock_row`). */
export function importedNames(root: Node): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of descendantsOfType(root, 'import_from_statement')) {
    for (const name of statement?.childrenForFieldName('name') ?? []) {
      if (name === null) continue;
      const defined = (name.type === 'aliased_import' ? name.childForFieldName('name')?.text : name.text)?.split('.').pop();
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : defined;
      if (local !== undefined && defined !== undefined) names.set(local, defined);
    }
  }
  return names;
}

/** The model of an instance variable: assigned from a query or a constructor, a loop over a relation, an annotation. */
function instanceModelOf(use: Node, env: PythonEnvironment, recognize: Recognize): ModelDeclaration | undefined {
  if (use.type !== 'identifier') return undefined;
  const value = assignedValue(use);
  if (value?.type === 'call') {
    const fn = value.childForFieldName('function');
    if (fn?.type === 'identifier' && env.model(fn.text) !== undefined) return env.model(fn.text);
    const found = recognize(chainOf(value), env);
    if (found !== undefined) return found.model;
  }
  for (let a = parentOf(use); a !== null; a = parentOf(a)) {
    if (a.type === 'for_statement' && a.childForFieldName('left')?.text === use.text) {
      const iterable = a.childForFieldName('right');
      if (iterable?.type === 'attribute') {
        const owner = instanceModelOf(iterable.childForFieldName('object') as Node, env, recognize);
        const target = owner?.relations[iterable.childForFieldName('attribute')?.text ?? ''];
        if (target !== undefined) return env.model(target);
      }
    }
    if (a.type === 'function_definition') {
      for (const p of a.childForFieldName('parameters')?.namedChildren ?? []) {
        if (p?.type === 'typed_parameter' && p.namedChildren[0]?.text === use.text)
          return env.model(p.childForFieldName('type')?.text ?? '');
      }
      break;
    }
  }
  return undefined;
}
