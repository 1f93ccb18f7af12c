/** Python syntax helpers: method chains, keyword arguments, string values (f-strings, concatenation), local names. */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import { fileIndex, PythonFileIndex } from './file-index.js';

/** One `.name(args)` step of a method chain (args undefined for a plain attribute step). */
export interface ChainLink {
  name: string;
  args: Node | undefined;
  /** The call (or attribute) node ending at this link. */
  node: Node;
}

/** `session.query(Order).filter(…).one()` → root "session", links query, filter, one. */
export interface Chain {
  root: Node;
  rootText: string;
  links: ChainLink[];
  /** The outermost node of the chain (the whole expression). */
  outer: Node;
}

const children = (node: Node | null | undefined): Node[] => (node?.namedChildren ?? []).filter((c): c is Node => c !== null);

/** Flattens a call/attribute expression into its chain. A bare call `select(Order)` is a root-less link. */
export function chainOf(outer: Node): Chain {
  const links: ChainLink[] = [];
  let node: Node = outer;
  for (;;) {
    if (node.type === 'await') {
      const inner = children(node)[0];
      if (inner === undefined) break;
      node = inner;
      continue;
    }
    if (node.type === 'call') {
      const fn = node.childForFieldName('function');
      const args = node.childForFieldName('arguments') ?? undefined;
      if (fn?.type === 'attribute') {
        const object = fn.childForFieldName('object');
        const name = fn.childForFieldName('attribute')?.text ?? '';
        links.unshift({ name, args, node });
        if (object === null) break;
        node = object;
        continue;
      }
      if (fn?.type === 'identifier') {
        links.unshift({ name: fn.text, args, node });
        return { root: fn, rootText: '', links, outer };
      }
      break;
    }
    if (node.type === 'attribute') {
      const object = node.childForFieldName('object');
      // `Order.objects` and `db.session` are roots: attribute steps before the first call stay in the root text.
      if (links.length === 0 || object === null) break;
      if (!containsCall(object)) break;
      links.unshift({ name: node.childForFieldName('attribute')?.text ?? '', args: undefined, node });
      node = object;
      continue;
    }
    break;
  }
  return { root: node, rootText: node.text, links, outer };
}

function containsCall(node: Node): boolean {
  return (
    node.type === 'call' ||
    (node.type === 'attribute' && node.childForFieldName('object') !== null && containsCall(node.childForFieldName('object') as Node))
  );
}

/** True when this call is itself the object of a further `.method(…)` call (so not the outermost of its chain). */
export function continuesChain(call: Node): boolean {
  let node = call;
  for (let up = parentOf(node); up?.type === 'await'; up = parentOf(node)) node = up;
  const parent = parentOf(node);
  return parent?.type === 'attribute' && parent.childForFieldName('object')?.id === node.id;
}

export function positionalArgs(args: Node | undefined): Node[] {
  return children(args).filter(
    (c) => c.type !== 'keyword_argument' && c.type !== 'comment' && c.type !== 'dictionary_splat' && c.type !== 'list_splat',
  );
}

export function keywordArgs(args: Node | undefined): Map<string, Node> {
  const out = new Map<string, Node>();
  for (const c of children(args)) {
    if (c.type !== 'keyword_argument') continue;
    const name = c.childForFieldName('name')?.text;
    const value = c.childForFieldName('value');
    if (name !== undefined && value !== null) out.set(name, value);
  }
  return out;
}

export const isTrue = (node: Node | undefined): boolean => node?.type === 'true';

/** A string's characters with interpolations (`{x}` in f-strings) replaced by a driver placeholder. */
function literalValue(node: Node): string {
  let out = '';
  for (const part of children(node)) {
    if (part.type === 'string_content' || part.type === 'escape_sequence') out += part.text;
    else if (part.type === 'interpolation') out += '%s';
  }
  return out;
}

/**
 * The SQL text a Python expression evaluates to, when it is built from literals: strings, implicit and `+`
 * concatenation, `%`/`.format()` formatting (values become placeholders), names assigned a string in scope.
 */
export function stringValue(node: Node, depth = 0): string | undefined {
  if (depth > 8) return undefined;
  switch (node.type) {
    case 'string':
      return literalValue(node);
    case 'concatenated_string':
      return children(node)
        .map((c) => (c.type === 'string' ? literalValue(c) : ''))
        .join('');
    case 'parenthesized_expression': {
      const inner = children(node)[0];
      return inner === undefined ? undefined : stringValue(inner, depth + 1);
    }
    case 'binary_operator': {
      const op = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (left === null || right === null) return undefined;
      const l = stringValue(left, depth + 1);
      if (op === '%') return l;
      if (op !== '+') return undefined;
      const r = stringValue(right, depth + 1);
      if (l === undefined && r === undefined) return undefined;
      return `${l ?? '%s'}${r ?? '%s'}`;
    }
    case 'call': {
      // "…".format(x) and "…".strip()
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute' && ['format', 'strip', 'lstrip', 'rstrip'].includes(fn.childForFieldName('attribute')?.text ?? '')) {
        const object = fn.childForFieldName('object');
        const text = object === null ? undefined : stringValue(object, depth + 1);
        return text?.replace(/\{[^{}]*\}/g, '%s');
      }
      return undefined;
    }
    case 'identifier': {
      const assigned = assignedValue(node);
      return assigned === undefined ? undefined : stringValue(assigned, depth + 1);
    }
    default:
      return undefined;
  }
}

function index(node: Node): PythonFileIndex {
  return fileIndex(node, (root) => new PythonFileIndex(root, (call) => chainOf(call).root, continuesChain));
}

/** The last value assigned to a name before `use`, in the same function (or module, for module constants). */
export function assignedValue(use: Node): Node | undefined {
  return index(use).assignedBefore(use.text, use.startIndex);
}

/** Is `name` the root of a later call chain in the same function as `after` (a query continued through a variable)? */
export function continuedAfter(name: string, after: Node): boolean {
  return index(after).chainAfter(name, after.endIndex);
}

/** The identifier named by `Model`, `models.Model`, `"Model"` — the last dotted part, quotes removed. */
export function simpleName(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (node.type === 'identifier') return node.text;
  if (node.type === 'attribute') return node.childForFieldName('attribute')?.text;
  if (node.type === 'string') return literalValue(node).split('.').pop();
  return undefined;
}
