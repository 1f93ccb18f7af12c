/**
 * Python classes and receivers: each class's bases and the types of its attributes (`self.x = X()` in any method,
 * `self.x: X`, class-level `x: X`, a typed `__init__` parameter stored in `self.x`), so `self.x.method()` resolves to
 * `X.method` and `self.method()` to the enclosing class's method, across files.
 */
import { parentOf } from '../../tree-helpers.js';
import type { Node, Tree } from 'web-tree-sitter';
import { descendantsOfType } from '../../descendants.js';

const children = (node: Node | null | undefined): Node[] => (node?.namedChildren ?? []).filter((c): c is Node => c !== null);

export interface PythonClass {
  name: string;
  /** Base classes as written, last dotted part (`models.Model` → "Model"). */
  bases: string[];
  /** Attribute name → class name of the value it holds. */
  attributes: Map<string, string>;
}

/** `X`, `mod.X`, `Optional[X]`, `"X"` → "X" (the class a type annotation or constructor call names). */
function typeName(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined) return undefined;
  if (node.type === 'type') return typeName(children(node)[0]);
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  if (node.type === 'string') return /^['"]([\w.]+)['"]$/.exec(node.text)?.[1]?.split('.').pop();
  if (node.type === 'generic_type' || node.type === 'subscript') {
    // Optional[X], X | None spelled as Optional, list[X] is not a receiver of X's methods.
    const head = children(node)[0]?.text;
    return head === 'Optional' ? typeName(children(children(node)[1])[0] ?? children(node)[1]) : undefined;
  }
  if (node.type === 'binary_operator') return typeName(node.childForFieldName('left')); // X | None
  return undefined;
}

/** The class an expression constructs or is annotated as: `X()`, `X(...)`, `mod.X()`, a typed parameter. */
function valueClass(value: Node, parameterTypes: Map<string, string>): string | undefined {
  if (value.type === 'call') {
    const name = typeName(value.childForFieldName('function'));
    // Constructors are capitalised by convention; `get_service()` is not a class.
    return name !== undefined && /^[A-Z]/.test(name) ? name : undefined;
  }
  if (value.type === 'identifier') return parameterTypes.get(value.text);
  if (value.type === 'boolean_operator') return valueClass(value.childForFieldName('left') ?? value, parameterTypes); // x or X()
  return undefined;
}

function parameterTypes(fn: Node): Map<string, string> {
  const types = new Map<string, string>();
  for (const p of children(fn.childForFieldName('parameters'))) {
    if (p.type !== 'typed_parameter' && p.type !== 'typed_default_parameter') continue;
    const name = p.type === 'typed_parameter' ? children(p)[0]?.text : p.childForFieldName('name')?.text;
    const type = typeName(p.childForFieldName('type'));
    if (name !== undefined && type !== undefined) types.set(name, type);
  }
  return types;
}

function methodsOf(body: Node | null): Node[] {
  return children(body)
    .map((c) => (c.type === 'decorated_definition' ? c.childForFieldName('definition') : c))
    .filter((c): c is Node => c?.type === 'function_definition');
}

function readClass(node: Node): PythonClass | undefined {
  const name = node.childForFieldName('name')?.text;
  if (name === undefined) return undefined;
  const bases = children(node.childForFieldName('superclasses'))
    .filter((b) => b.type !== 'keyword_argument')
    .map((b) => typeName(b))
    .filter((b): b is string => b !== undefined);
  const attributes = new Map<string, string>();
  const body = node.childForFieldName('body');
  for (const statement of children(body)) {
    const assignment = statement.type === 'expression_statement' ? children(statement)[0] : undefined;
    const left = assignment?.childForFieldName('left');
    const type = typeName(assignment?.childForFieldName('type'));
    if (assignment?.type === 'assignment' && left?.type === 'identifier' && type !== undefined) attributes.set(left.text, type);
  }
  for (const method of methodsOf(body)) {
    const types = parameterTypes(method);
    for (const assignment of descendantsOfType(method, 'assignment')) {
      const left = assignment?.childForFieldName('left');
      if (left?.type !== 'attribute' || left.childForFieldName('object')?.text !== 'self') continue;
      const attribute = left.childForFieldName('attribute')?.text;
      const right = assignment?.childForFieldName('right');
      const type =
        typeName(assignment?.childForFieldName('type')) ?? (right === null || right === undefined ? undefined : valueClass(right, types));
      // The first typed assignment wins: later ones usually reassign the same service.
      if (attribute !== undefined && type !== undefined && !attributes.has(attribute)) attributes.set(attribute, type);
    }
  }
  return { name, bases, attributes };
}

/** Every class in the file (nested ones too), by name. */
export function pythonClasses(root: Node): Map<string, PythonClass> {
  const classes = new Map<string, PythonClass>();
  for (const node of descendantsOfType(root, 'class_definition')) {
    const read = node === null ? undefined : readClass(node);
    if (read !== undefined && !classes.has(read.name)) classes.set(read.name, read);
  }
  return classes;
}

/** The class whose body defines this function (a method), else undefined. */
export function definingClass(fn: Node): string | undefined {
  let node: Node | null = fn.parent;
  if (node?.type === 'decorated_definition') node = parentOf(node);
  return node?.type === 'block' && node.parent?.type === 'class_definition' ? node.parent.childForFieldName('name')?.text : undefined;
}

/** The function definition around a node, if any. */
function enclosingDefinition(node: Node): Node | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if (a.type === 'function_definition') return a;
  return undefined;
}

/**
 * The class and method a call names: `self.m()` → [EnclosingClass, m], `self.x.m()` → [type of x, m], `super().m()`
 * → [first base, m], `svc.m()` with `svc: X` or `svc = X()` in the function → [X, m]. Undefined for anything else.
 */
export function methodCallee(call: Node, classes: ReadonlyMap<string, PythonClass>): { className: string; method: string } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return undefined;
  const method = fn.childForFieldName('attribute')?.text;
  const object = fn.childForFieldName('object');
  if (method === undefined || object === null) return undefined;
  const definition = enclosingDefinition(call);
  const own = definition === undefined ? undefined : definingClass(definition);
  if (object.type === 'identifier' && object.text === 'self') return own === undefined ? undefined : { className: own, method };
  if (object.type === 'call' && object.childForFieldName('function')?.text === 'super') {
    const base = own === undefined ? undefined : classes.get(own)?.bases[0];
    return base === undefined ? undefined : { className: base, method };
  }
  if (object.type === 'attribute' && object.childForFieldName('object')?.text === 'self') {
    const attribute = object.childForFieldName('attribute')?.text ?? '';
    const type = own === undefined ? undefined : attributeType(own, attribute, classes);
    return type === undefined ? undefined : { className: type, method };
  }
  if (object.type === 'identifier') {
    const local =
      definition === undefined ? undefined : (parameterTypes(definition).get(object.text) ?? constructedIn(definition, object.text));
    // A module singleton: `tool_service = ToolService()` at the top of the file.
    const type = local ?? constructedIn(call.tree.rootNode, object.text, true);
    return type === undefined ? undefined : { className: type, method };
  }
  return undefined;
}

/** An attribute's type, looked up in the class and then its bases defined in the same file. */
function attributeType(className: string, attribute: string, classes: ReadonlyMap<string, PythonClass>, depth = 0): string | undefined {
  const cls = classes.get(className);
  if (cls === undefined || depth > 8) return undefined;
  return (
    cls.attributes.get(attribute) ?? cls.bases.map((b) => attributeType(b, attribute, classes, depth + 1)).find((t) => t !== undefined)
  );
}

/**
 * Per tree, per scope (a function, or the module's top level): each plain name's assignments in source order. A
 * file's every `svc.m()` asks its scope and the module, so collecting them once per scope keeps a file linear (a
 * 5,000-line module re-read its top level at each of its 3,000 calls).
 */
const assignmentsByScope = new WeakMap<Tree, Map<string, Map<string, Node[]>>>();

function assignmentsIn(scope: Node, topLevelOnly: boolean): Map<string, Node[]> {
  let perTree = assignmentsByScope.get(scope.tree);
  if (perTree === undefined) assignmentsByScope.set(scope.tree, (perTree = new Map()));
  const key = `${scope.id}:${topLevelOnly}`;
  const known = perTree.get(key);
  if (known !== undefined) return known;
  const byName = new Map<string, Node[]>();
  const assignments = topLevelOnly
    ? children(scope)
        .filter((s) => s.type === 'expression_statement')
        .map((s) => children(s)[0])
    : descendantsOfType(scope, 'assignment');
  for (const assignment of assignments) {
    if (assignment?.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    if (left?.type !== 'identifier') continue;
    const list = byName.get(left.text);
    if (list === undefined) byName.set(left.text, [assignment]);
    else list.push(assignment);
  }
  perTree.set(key, byName);
  return byName;
}

/** `name = X(...)` inside the function (or at module level): the class of a local service object. */
function constructedIn(scope: Node, name: string, topLevelOnly = false): string | undefined {
  for (const assignment of assignmentsIn(scope, topLevelOnly).get(name) ?? []) {
    const right = assignment.childForFieldName('right');
    const type = right === null ? undefined : valueClass(right, new Map());
    if (type !== undefined) return type;
  }
  return undefined;
}
