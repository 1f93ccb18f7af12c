/** Python expressions of model declarations as plain values: literals, names, calls with keyword arguments, collections. */
import type { Node } from 'web-tree-sitter';

export type PyValue =
  | { kind: 'string'; value: string }
  | { kind: 'number'; text: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'none' }
  | { kind: 'name'; value: string }
  | { kind: 'call'; name: string; callee: string; args: PyValue[]; kwargs: Map<string, PyValue>; node: Node }
  | { kind: 'list'; items: PyValue[] }
  | { kind: 'dict'; entries: Map<string, PyValue> }
  | { kind: 'unknown'; text: string };

function stringValue(node: Node): string {
  return node.namedChildren
    .filter((c): c is Node => c !== null && (c.type === 'string_content' || c.type === 'escape_sequence'))
    .map((c) => (c.type === 'escape_sequence' ? c.text.slice(1) : c.text))
    .join('');
}

export function pyValue(node: Node): PyValue {
  switch (node.type) {
    case 'string':
      return { kind: 'string', value: stringValue(node) };
    case 'concatenated_string':
      return { kind: 'string', value: node.namedChildren.map((c) => (c === null ? '' : stringValue(c))).join('') };
    case 'integer':
    case 'float':
      return { kind: 'number', text: node.text };
    case 'true':
    case 'false':
      return { kind: 'boolean', value: node.type === 'true' };
    case 'none':
      return { kind: 'none' };
    case 'identifier':
    case 'attribute':
      return { kind: 'name', value: node.text };
    case 'call': {
      const fn = node.childForFieldName('function');
      const callee = fn?.text ?? '';
      const args: PyValue[] = [];
      const kwargs = new Map<string, PyValue>();
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
        if (arg === null || arg.type === 'comment') continue;
        if (arg.type === 'keyword_argument') {
          const name = arg.childForFieldName('name')?.text;
          const value = arg.childForFieldName('value');
          if (name !== undefined && value !== null) kwargs.set(name, pyValue(value));
        } else args.push(pyValue(arg));
      }
      return { kind: 'call', name: callee.slice(callee.lastIndexOf('.') + 1), callee, args, kwargs, node };
    }
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'list', items: node.namedChildren.flatMap((c) => (c === null || c.type === 'comment' ? [] : [pyValue(c)])) };
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner === undefined || inner === null ? { kind: 'unknown', text: node.text } : pyValue(inner);
    }
    case 'dictionary': {
      const entries = new Map<string, PyValue>();
      for (const pair of node.namedChildren) {
        const key = pair?.childForFieldName('key');
        const value = pair?.childForFieldName('value');
        if (key !== null && key !== undefined && value !== null && value !== undefined) {
          const k = pyValue(key);
          if (k.kind === 'string') entries.set(k.value, pyValue(value));
        }
      }
      return { kind: 'dict', entries };
    }
    default:
      return { kind: 'unknown', text: node.text };
  }
}

/** A string's text, or undefined. */
export const strOf = (value: PyValue | undefined): string | undefined => (value?.kind === 'string' ? value.value : undefined);

/** True for the literal True. */
export const isTrue = (value: PyValue | undefined): boolean => value?.kind === 'boolean' && value.value;

/** The statements of a class body: `name = value` / `name: T = value` assignments with their nodes. */
export function classAssignments(body: Node): Array<{ name: string; annotation: string | undefined; value: Node | undefined; node: Node }> {
  const out: Array<{ name: string; annotation: string | undefined; value: Node | undefined; node: Node }> = [];
  for (const statement of body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChildren[0] : undefined;
    if (assignment === undefined || assignment === null || assignment.type !== 'assignment') continue;
    const left = assignment.childForFieldName('left');
    if (left === null || left.type !== 'identifier') continue;
    const right = assignment.childForFieldName('right');
    out.push({
      name: left.text,
      annotation: assignment.childForFieldName('type')?.text,
      value: right ?? undefined,
      node: statement ?? assignment,
    });
  }
  return out;
}
