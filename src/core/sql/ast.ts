/**
 * Typed access to libpg-query's JSON AST (@pgsql/types): narrow `{ Tag: {...} }` nodes with a tag check instead of
 * casts, read names, literals and column references, and walk whole trees without recursion (a 5,000-branch UNION
 * or a long chain of `+` nests thousands of levels deep).
 */
import type { Node, RangeVar, SubLink } from '@pgsql/types';

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
  let tag: string | undefined;
  for (const key in node) {
    if (tag !== undefined) return undefined;
    tag = key;
  }
  return tag;
}

export function list(value: readonly Node[] | undefined): readonly Node[] {
  return value ?? [];
}

/** The items of a List node (IN lists, BETWEEN bounds, VALUES rows); a bare array is taken as the items. */
export function itemsOf(node: unknown): readonly Node[] {
  return nodeAs(node, 'List')?.items ?? (Array.isArray(node) ? (node as Node[]) : []);
}

/** `{ String: { sval } }` → sval. */
export function stringOf(node: unknown): string | undefined {
  return nodeAs(node, 'String')?.sval;
}

/** A list of String nodes (qualified names: DROP, COMMENT, function names) → the strings. */
export function namesOf(value: unknown): string[] {
  return itemsOf(value)
    .map((n) => stringOf(n) ?? '')
    .filter((s) => s !== '');
}

/** A string literal (possibly inside a cast, e.g. 'seq'::regclass) → its text. */
export function stringLiteral(node: unknown): string | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return stringLiteral(cast.arg);
  return nodeAs(node, 'A_Const')?.sval?.sval;
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

/** After visiting a node, `walkTree` descends into it (true / undefined), skips it (false), or walks `into` instead. */
export type Descend = boolean | undefined | { into: unknown };

/**
 * Visits every object of a tree pre-order in source order (arrays are walked through, not visited), with an explicit
 * stack: the depth of the tree never reaches the JavaScript call stack.
 */
export function walkTree(tree: unknown, visit: (node: Record<string, unknown>) => Descend): void {
  const stack: unknown[] = [tree];
  while (stack.length > 0) {
    const item = stack.pop();
    if (Array.isArray(item)) {
      for (let i = item.length - 1; i >= 0; i--) if (typeof item[i] === 'object' && item[i] !== null) stack.push(item[i]);
      continue;
    }
    if (!isRecord(item)) continue;
    const descend = visit(item);
    if (descend === false) continue;
    if (typeof descend === 'object') {
      if (typeof descend.into === 'object' && descend.into !== null) stack.push(descend.into);
      continue;
    }
    // Children pushed in order, then that stretch of the stack reversed, so they pop in source order; no array per node.
    const from = stack.length;
    for (const key in item) {
      const value = item[key];
      if (typeof value === 'object' && value !== null) stack.push(value);
    }
    for (let i = from, j = stack.length - 1; i < j; i++, j--) {
      const swap = stack[i];
      stack[i] = stack[j];
      stack[j] = swap;
    }
  }
}

/**
 * Every SubLink of an expression tree in the order parse analysis transforms them: operands left to right, and for
 * `x IN (SELECT …)` the subselect before the test expression (transformSubLink analyses it first). A sublink's own
 * subselect is a new query level and is not searched; statement nodes met on the way are not expressions.
 */
export function forEachSubLink(tree: unknown, visit: (sublink: SubLink) => void): void {
  walkTree(tree, (node) => {
    const sublink = nodeAs(node, 'SubLink');
    if (sublink !== undefined) {
      visit(sublink);
      return { into: sublink.testexpr };
    }
    return nodeAs(node, 'SelectStmt') === undefined && nodeAs(node, 'RangeSubselect') === undefined;
  });
}

/** The sublinks of a tree as a list (see forEachSubLink). */
export function subLinksOf(tree: unknown): SubLink[] {
  const out: SubLink[] = [];
  forEachSubLink(tree, (link) => out.push(link));
  return out;
}

/** The last part of a function name, lower-cased: `pg_catalog.NextVal` → "nextval". */
export function functionName(funcname: readonly Node[] | undefined): string {
  const names = list(funcname);
  return (stringOf(names[names.length - 1]) ?? '').toLowerCase();
}

/** Every FuncCall in a tree (any depth, statements included), in source order. */
export function forEachFuncCall(tree: unknown, visit: (name: string, args: readonly Node[]) => void): void {
  walkTree(tree, (node) => {
    const call = nodeAs(node, 'FuncCall');
    if (call !== undefined) visit(functionName(call.funcname), list(call.args));
    return true;
  });
}

/** Unqualified relation names anywhere in a tree (the CTE dependency graph of a WITH RECURSIVE). */
export function unqualifiedRelationNames(tree: unknown): Set<string> {
  const out = new Set<string>();
  walkTree(tree, (node) => {
    const rv = nodeAs(node, 'RangeVar');
    if (rv?.relname !== undefined && rv.schemaname === undefined) out.add(rv.relname);
    return true;
  });
  return out;
}

/** Top-level AND conjuncts of a qual. */
export function conjuncts(qual: Node | undefined): Node[] {
  if (qual === undefined) return [];
  const bool = nodeAs(qual, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') return list(bool.args).flatMap(conjuncts);
  return [qual];
}

export type ConstValue = { kind: 'number'; value: bigint | number } | { kind: 'string'; value: string } | { kind: 'null' };

/** A literal (possibly wrapped in a cast) as a comparable value; undefined for anything else (params, expressions). */
export function constantOf(node: unknown): ConstValue | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return constantOf(cast.arg);
  const constant = nodeAs(node, 'A_Const');
  if (constant === undefined) return undefined;
  if (constant.isnull === true) return { kind: 'null' };
  if (constant.ival !== undefined) return { kind: 'number', value: constant.ival.ival ?? 0 };
  if (constant.fval !== undefined) {
    const text = constant.fval.fval ?? '0';
    return { kind: 'number', value: /^-?\d+$/.test(text) ? BigInt(text) : Number(text) };
  }
  if (constant.sval !== undefined) return { kind: 'string', value: constant.sval.sval ?? '' };
  // TRUE / FALSE: spelled as a boolean's input, read by the key's type where one is compared.
  if (constant.boolval !== undefined) return { kind: 'string', value: constant.boolval.boolval === true ? 'true' : 'false' };
  return undefined;
}

/** Column reference → its last name part and optional qualifier ("t.k" → {qualifier: 't', column: 'k'}). */
export function columnRefOf(node: unknown): { qualifier: string | undefined; column: string } | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return columnRefOf(cast.arg);
  const ref = nodeAs(node, 'ColumnRef');
  if (ref === undefined) return undefined;
  const names = list(ref.fields).map((f) => stringOf(f) ?? '*');
  const column = names[names.length - 1];
  if (column === undefined || column === '*') return undefined;
  return { qualifier: names.length >= 2 ? names[names.length - 2] : undefined, column };
}
