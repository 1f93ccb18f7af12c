/** Typed access to libpg-query's JSON AST: narrow `{ Tag: {...} }` nodes with type guards instead of casts to any. */
import type { Node, RangeVar } from '@pgsql/types';

/** Every node tag of the @pgsql/types `Node` union ("SelectStmt", "RangeVar", …). */
export type NodeTag = Node extends infer N ? (N extends unknown ? keyof N : never) : never;
/** The payload type of a node tag: NodeOf<'RangeVar'> is RangeVar. */
export type NodeOf<K extends NodeTag> = Extract<Node, { [P in K]: unknown }>[K];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The payload of `node` when it is a `tag` node, else undefined. */
export function nodeAs<K extends NodeTag>(node: unknown, tag: K): NodeOf<K> | undefined {
  if (!isRecord(node)) return undefined;
  const inner = node[tag];
  // The JSON comes from libpg-query, whose shapes @pgsql/types describes; the tag check is the narrowing.
  return isRecord(inner) ? (inner as NodeOf<K>) : undefined;
}

/** The tag of a wrapped node (its single key), or undefined. */
export function tagOf(node: unknown): string | undefined {
  if (!isRecord(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0] : undefined;
}

export function list(value: readonly Node[] | undefined): readonly Node[] {
  return value ?? [];
}

/** `{ String: { sval } }` → sval. */
export function stringOf(node: unknown): string | undefined {
  return nodeAs(node, 'String')?.sval;
}

/** A list of String nodes (qualified names: DROP, COMMENT, function names) → the strings. */
export function namesOf(value: unknown): string[] {
  const items = nodeAs(value, 'List')?.items ?? (Array.isArray(value) ? (value as Node[]) : []);
  return items.map((n) => stringOf(n) ?? '').filter((s) => s !== '');
}

/** A string literal (possibly inside a cast, e.g. 'seq'::regclass) → its text. */
export function stringLiteral(node: unknown): string | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return stringLiteral(cast.arg);
  const constant = nodeAs(node, 'A_Const');
  return constant?.sval?.sval;
}

export function rangeVar(node: unknown): RangeVar | undefined {
  return nodeAs(node, 'RangeVar');
}

/** `DefElem` options of a statement keyed by name. */
export function defElems(options: readonly Node[] | undefined): Map<string, Node | undefined> {
  const out = new Map<string, Node | undefined>();
  for (const option of list(options)) {
    const def = nodeAs(option, 'DefElem');
    if (def?.defname !== undefined) out.set(def.defname, def.arg);
  }
  return out;
}

/**
 * Visits every SubLink of an expression tree in the order parse analysis transforms them: operands left to right,
 * and for `x IN (SELECT …)` the subselect before the test expression (transformSubLink analyses it first).
 */
export function forEachSubLink(tree: unknown, visit: (subselect: Node) => void): void {
  if (Array.isArray(tree)) {
    for (const item of tree) forEachSubLink(item, visit);
    return;
  }
  if (!isRecord(tree)) return;
  const sublink = nodeAs(tree, 'SubLink');
  if (sublink !== undefined) {
    if (sublink.subselect !== undefined) visit(sublink.subselect);
    forEachSubLink(sublink.testexpr, visit);
    return;
  }
  for (const value of Object.values(tree)) forEachSubLink(value, visit);
}

/** Every FuncCall in a tree (any depth, statements included), in source order. */
export function forEachFuncCall(tree: unknown, visit: (name: string, args: readonly Node[]) => void): void {
  if (Array.isArray(tree)) {
    for (const item of tree) forEachFuncCall(item, visit);
    return;
  }
  if (!isRecord(tree)) return;
  const call = nodeAs(tree, 'FuncCall');
  if (call !== undefined) {
    const names = list(call.funcname).map((n) => stringOf(n) ?? '');
    visit((names[names.length - 1] ?? '').toLowerCase(), list(call.args));
  }
  for (const value of Object.values(tree)) forEachFuncCall(value, visit);
}
