/**
 * Go method calls resolved by the receiver's type, not by the method's name: `n.storageDelete(r)` inside a method of
 * `*JsModule` calls `JsModule.storageDelete`, never `LuaModule.storageDelete` in the next file of the package. The
 * type comes from the receiver, parameters and `var` declarations, composite literals (`&Store{}`), constructors of
 * this file (`NewStore(…)` returning `*Store`) and struct fields (`s.tools` in `type Svc struct { tools *Tools }`).
 */
import type { Node } from 'web-tree-sitter';
import type { FileScan } from '../../types.js';
import { canonicalPackage, lookup, packageOf, receiverTypeName, type FileFacts } from './facts.js';
import { fieldServiceCall } from './field-services.js';
import { baseTypeName, named, unqualified, type CallChain } from './syntax.js';

/** A receiver's type: its name, and the package it comes from when that is another package (`tools.Service`). */
export interface ReceiverType {
  name: string;
  /** The imported package's name, for a qualified type; undefined for a type of this package. */
  pkg?: string;
  /** An interface: the call reaches whichever type implements it. */
  isInterface: boolean;
}

function fromTypeNode(facts: FileFacts, type: Node | undefined): ReceiverType | undefined {
  const full = type === undefined ? undefined : baseTypeName(type);
  if (full === undefined || type === undefined || isContainer(type)) return undefined;
  const dot = full.lastIndexOf('.');
  const name = unqualified(full);
  if (dot >= 0) return { name, pkg: full.slice(0, dot), isInterface: false };
  return { name, isInterface: facts.interfaces.has(name) };
}

/** A slice, array or map of a type is not that type: `stores[i].Get()` is typed by indexing, which is not followed. */
function isContainer(type: Node): boolean {
  let t = type;
  while (t.type === 'pointer_type' || t.type === 'parenthesized_type') t = named(t)[0] ?? t;
  return t.type === 'slice_type' || t.type === 'array_type' || t.type === 'map_type';
}

function fromValue(facts: FileFacts, value: Node, index: number, depth: number): ReceiverType | undefined {
  if (value.type === 'unary_expression' || value.type === 'parenthesized_expression')
    return fromValue(facts, named(value).at(-1) ?? value, index, depth + 1);
  if (value.type === 'composite_literal') return fromTypeNode(facts, value.childForFieldName('type') ?? undefined);
  if (index !== 0) return undefined;
  if (value.type === 'identifier' || value.type === 'selector_expression') return receiverType(facts, value, depth + 1);
  if (value.type !== 'call_expression') return undefined;
  const fn = value.childForFieldName('function');
  // `new(Store)` and a constructor declared in this file: the type they return.
  if (fn?.type === 'identifier' && fn.text === 'new') return fromTypeNode(facts, named(value.childForFieldName('arguments') ?? value)[0]);
  if (fn?.type === 'identifier') return fromTypeNode(facts, facts.results.get(fn.text));
  return undefined;
}

/** The type of the expression a method is called on, when the file says what it is. */
export function receiverType(facts: FileFacts, expr: Node, depth = 0): ReceiverType | undefined {
  if (depth > 8) return undefined;
  if (expr.type === 'parenthesized_expression') return receiverType(facts, named(expr)[0] ?? expr, depth + 1);
  if (expr.type === 'identifier') {
    if (packageOf(facts, expr) !== undefined) return undefined;
    const bindings = lookup(facts, expr.text, expr);
    // The latest binding that says something wins (`s = NewStore()` after `var s Storer`).
    for (let i = bindings.length - 1; i >= 0; i--) {
      const b = bindings[i];
      if (b === undefined || b.op === 'range') continue;
      const typed = b.type !== undefined ? fromTypeNode(facts, b.type) : undefined;
      if (typed !== undefined) return typed;
      const valued = b.value !== undefined ? fromValue(facts, b.value, b.index, depth + 1) : undefined;
      if (valued !== undefined) return valued;
    }
    return undefined;
  }
  if (expr.type === 'selector_expression') {
    const operand = expr.childForFieldName('operand');
    const owner = operand === null ? undefined : receiverType(facts, operand, depth + 1);
    const fields = owner === undefined || owner.pkg !== undefined ? undefined : facts.structs.get(owner.name);
    return fromTypeNode(facts, fields?.get(expr.childForFieldName('field')?.text ?? ''));
  }
  return undefined;
}

/** The class (receiver type) a method declaration belongs to: its summaries are keyed `Type.method`. */
export function goClassName(fn: Node): string | undefined {
  return fn.type === 'method_declaration' ? receiverTypeName(fn) : undefined;
}

/** The types this file declares methods on or defines as structs, with embedded types as bases and their methods. */
export function goClasses(facts: FileFacts): NonNullable<FileScan['classes']> {
  const names = new Set([...facts.structs.keys(), ...facts.methodsByType.keys()]);
  return [...names].map((name) => ({ name, bases: facts.embedded.get(name) ?? [], methods: facts.methodsByType.get(name) ?? [] }));
}

/** How a method call names its callee for the call graph (CallSite's calleeClass, sameDirectory, calleePackage…). */
export interface MethodTarget {
  calleeClass?: string;
  sameDirectory?: boolean;
  calleePackage?: string;
  anyReceiver?: boolean;
}

/** Go's predeclared types: no method of theirs is in the scanned tree. */
const PREDECLARED = new Set(['error', 'string', 'bool', 'byte', 'rune', 'int', 'int64', 'int32', 'uint', 'uint64', 'float64', 'any']);

/**
 * Where `recv.Method(…)` (no database handle) may lead: the receiver's type when the file knows it; a type of another
 * package only outside the standard library; on an unknown receiver, a method this file declares or a service in the
 * method receiver's struct field (`s.tools.SetState()`), reached through the one type in the package declaring it.
 */
export function methodCallTarget(facts: FileFacts, chain: CallChain): MethodTarget | undefined {
  const method = chain.calls[0]?.name;
  if (method === undefined) return undefined;
  const type = receiverType(facts, chain.base);
  if (type?.pkg !== undefined) {
    const path = facts.packages.get(type.pkg);
    if (path === undefined || !(path.split('/')[0] ?? '').includes('.')) return undefined;
    return { calleeClass: type.name, calleePackage: canonicalPackage(facts, type.pkg), anyReceiver: true };
  }
  if (type !== undefined && PREDECLARED.has(type.name)) return undefined;
  if (type?.isInterface === true) return { calleeClass: type.name, anyReceiver: true };
  if (type !== undefined && (facts.structs.has(type.name) || facts.methodsByType.has(type.name)))
    return { calleeClass: type.name, sameDirectory: true };
  // A type of this package declared in another file: a struct there, or an interface the tree implements once.
  if (type !== undefined) return { calleeClass: type.name, anyReceiver: true };
  if (facts.methodNames.has(method) || fieldServiceCall(chain) !== undefined) return { anyReceiver: true, sameDirectory: true };
  return undefined;
}
