/**
 * Methods and the services a class holds: the class a method belongs to (its sites are keyed `Class.method`), and the
 * type of `this.<field>` from a constructor parameter property (`constructor(private readonly tools: ToolService)`,
 * dependency injection), a typed field (`tools: ToolService`) or `this.tools = new ToolService()`, so
 * `this.tools.setState(…)` links to `ToolService.setState` in whichever file defines it.
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import { descendantsOfType } from '../../descendants.js';

const CLASS_TYPES = new Set(['class_declaration', 'class', 'abstract_class_declaration']);

function classOfMethod(method: Node): Node | undefined {
  const cls = method.parent?.parent;
  return cls !== null && cls !== undefined && method.parent?.type === 'class_body' && CLASS_TYPES.has(cls.type) ? cls : undefined;
}

/** The class node of the method a node is in (through the anonymous callbacks inside the method). */
export function enclosingClassNode(node: Node): Node | undefined {
  for (let a: Node | null = node; a !== null; a = parentOf(a)) {
    if (a.type === 'method_definition') return classOfMethod(a);
    if (a.type === 'function_declaration' || a.type === 'generator_function_declaration') return undefined;
  }
  return undefined;
}

/** For LanguageShape.className: the class a function node belongs to, when it is (or is inside) a method. */
export function jsClassName(fn: Node): string | undefined {
  return enclosingClassNode(fn)?.childForFieldName('name')?.text;
}

const typeName = (annotation: Node | null | undefined): string | undefined => {
  const text = annotation?.text.replace(/^:\s*/, '').trim();
  return text !== undefined && /^[A-Z][\w]*$/.test(text) ? text : undefined;
};

/** The declared class of `this.<field>` inside `cls`. */
export function fieldType(cls: Node, field: string): string | undefined {
  for (const param of descendantsOfType(cls, ['required_parameter', 'optional_parameter'])) {
    if (param === null || param.childForFieldName('pattern')?.text !== field) continue;
    const inConstructor =
      param.parent?.parent?.type === 'method_definition' && param.parent.parent.childForFieldName('name')?.text === 'constructor';
    const isProperty = param.namedChildren.some((c) => c?.type === 'accessibility_modifier' || c?.text === 'readonly');
    if (inConstructor && isProperty) return typeName(param.childForFieldName('type'));
  }
  for (const def of descendantsOfType(cls, 'public_field_definition')) {
    if (def !== null && def.childForFieldName('name')?.text === field) {
      const declared = typeName(def.childForFieldName('type'));
      if (declared !== undefined) return declared;
      const value = def.childForFieldName('value');
      if (value?.type === 'new_expression') return typeName(value.childForFieldName('constructor'));
    }
  }
  for (const assign of descendantsOfType(cls, 'assignment_expression')) {
    if (assign === null || assign.childForFieldName('left')?.text !== `this.${field}`) continue;
    const value = assign.childForFieldName('right');
    if (value?.type === 'new_expression') return typeName(value.childForFieldName('constructor'));
  }
  return undefined;
}
