/** Small readers over tree-sitter-go nodes: string literals, call chains, type names, assignment operators. */
import type { Node } from 'web-tree-sitter';

/** Go's escape sequences in interpreted strings, as far as SQL text cares. */
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', "'": "'", a: '', b: '', f: '', v: '' };

/** The value of a string literal node, or undefined when the node is not one. */
export function stringValue(node: Node): string | undefined {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1).replace(/\r/g, '');
  if (node.type !== 'interpreted_string_literal') return undefined;
  return node.text.slice(1, -1).replace(/\\(u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_m, e: string) => {
    if (e.length > 1) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ESCAPES[e] ?? e;
  });
}

export const named = (node: Node): Node[] => node.namedChildren.filter((c): c is Node => c !== null);

export function callArguments(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  return list === null ? [] : named(list).filter((n) => n.type !== 'comment');
}

/** One method call of a chain: `Where("…")` in `db.Where("…").First(&o)`. */
export interface ChainCall {
  name: string;
  args: Node[];
  node: Node;
}

/** A call chain `base.A(…).B(…)`: the receiver expression it starts from and the calls in source order. */
export interface CallChain {
  base: Node;
  calls: ChainCall[];
  /** The outermost call: the whole chain's node. */
  node: Node;
}

/** Flattens a method call chain; undefined when the call is not a method call (`f(x)`, `pkg.F(x)` still counts). */
export function flattenChain(call: Node): CallChain | undefined {
  const calls: ChainCall[] = [];
  let current: Node = call;
  for (;;) {
    const fn = current.childForFieldName('function');
    if (current.type !== 'call_expression' || fn === null || fn.type !== 'selector_expression') break;
    const field = fn.childForFieldName('field');
    const operand = fn.childForFieldName('operand');
    if (field === null || operand === null) break;
    calls.unshift({ name: field.text, args: callArguments(current), node: current });
    current = operand;
  }
  if (calls.length === 0) return undefined;
  return { base: current, calls, node: call };
}

/** Is this call the outermost of its chain (not the operand of a further `.Method(…)`)? */
export function isOutermostCall(call: Node): boolean {
  const parent = call.parent;
  if (parent?.type !== 'selector_expression') return true;
  const grand = parent.parent;
  return !(grand?.type === 'call_expression' && grand.childForFieldName('function')?.id === parent.id);
}

/** The named type a type node refers to, stripped of pointers, slices, arrays and maps' values: `*[]models.Order` → `models.Order`. */
export function baseTypeName(type: Node | null): string | undefined {
  if (type === null) return undefined;
  switch (type.type) {
    case 'pointer_type':
    case 'parenthesized_type':
      return baseTypeName(named(type)[0] ?? null);
    case 'slice_type':
    case 'array_type':
      return baseTypeName(type.childForFieldName('element'));
    case 'qualified_type':
    case 'type_identifier':
      return type.text;
    case 'generic_type':
      return baseTypeName(type.childForFieldName('type'));
    default:
      return undefined;
  }
}

/** `models.Order` → `Order`. */
export const unqualified = (typeName: string): string => typeName.slice(typeName.lastIndexOf('.') + 1);

/** The operator of an assignment statement (`=`, `+=`…). */
export function assignmentOperator(node: Node): string {
  for (const c of node.children) if (c !== null && !c.isNamed) return c.text;
  return '=';
}

/** Node A starts before node B (in the source). */
export const before = (a: Node, b: Node): boolean => a.startIndex < b.startIndex;

/** Does `outer` contain `inner` (or is it)? */
export const contains = (outer: Node, inner: Node): boolean => outer.startIndex <= inner.startIndex && inner.endIndex <= outer.endIndex;

export const FUNCTION_TYPES = ['function_declaration', 'method_declaration'] as const;
/** Function-like nodes that bind parameters: named functions and func literals. */
export const BINDING_FUNCTION_TYPES = ['function_declaration', 'method_declaration', 'func_literal'] as const;
