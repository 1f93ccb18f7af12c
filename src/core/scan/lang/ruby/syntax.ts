/** Small readers over tree-sitter-ruby nodes: call parts, chains, symbols, hash keys, enclosing classes. */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';

export const isCall = (node: Node | null | undefined): node is Node => node !== null && node !== undefined && node.type === 'call';

export function methodName(call: Node): string | undefined {
  return call.childForFieldName('method')?.text;
}

export function receiverOf(call: Node): Node | null {
  return call.childForFieldName('receiver');
}

export function blockOf(call: Node): Node | null {
  return call.childForFieldName('block');
}

/** Argument nodes (named children of the argument list), without the block argument. */
export function argumentsOf(call: Node): Node[] {
  const list = call.childForFieldName('arguments');
  if (list === null) return [];
  return list.namedChildren.filter((n): n is Node => n !== null && n.type !== 'comment');
}

/** The outermost call of the chain `node` belongs to: `a.b(1).c` from any of its links. */
export function chainTop(node: Node): Node {
  let current = node;
  for (let p = parentOf(current); isCall(p) && receiverOf(p)?.id === current.id; p = current.parent) current = p;
  return current;
}

/** True when the call is the receiver of another call (not the end of its chain). */
export function isChainLink(call: Node): boolean {
  const parent = call.parent;
  return isCall(parent) && receiverOf(parent)?.id === call.id;
}

/** The calls of a chain from the innermost (`Order.where`) to `top`, and the chain's root receiver (`Order`). */
export function chainLinks(top: Node): { root: Node | null; links: Node[] } {
  const links: Node[] = [];
  let current: Node | null = top;
  while (isCall(current)) {
    links.unshift(current);
    current = receiverOf(current);
  }
  return { root: current, links };
}

/** `:items` / `"items"` / `'items'` → "items"; anything else undefined. */
export function symbolOrStringValue(node: Node): string | undefined {
  if (node.type === 'simple_symbol') return node.text.slice(1);
  if (node.type === 'hash_key_symbol') return node.text;
  if (node.type === 'string' || node.type === 'delimited_symbol') {
    const parts = node.namedChildren.filter((n): n is Node => n !== null);
    if (parts.every((p) => p.type === 'string_content')) return parts.map((p) => p.text).join('');
  }
  return undefined;
}

/** Keys of a keyword/hash argument: `where(status: 'x', "placed_at" => t)` → ["status", "placed_at"]. */
export function pairKeys(args: readonly Node[]): string[] {
  const keys: string[] = [];
  for (const arg of args) {
    const pairs = arg.type === 'pair' ? [arg] : arg.type === 'hash' ? arg.namedChildren.filter((n): n is Node => n?.type === 'pair') : [];
    for (const pair of pairs) {
      const key = pair.childForFieldName('key');
      const name = key === null ? undefined : symbolOrStringValue(key);
      if (name !== undefined) keys.push(name);
    }
  }
  return keys;
}

/** The value of keyword `name` in the arguments (`requires_new: true` → the `true` node). */
export function keywordArgument(args: readonly Node[], name: string): Node | undefined {
  for (const arg of args) {
    const pairs = arg.type === 'pair' ? [arg] : arg.type === 'hash' ? arg.namedChildren.filter((n): n is Node => n?.type === 'pair') : [];
    for (const pair of pairs) {
      const key = pair.childForFieldName('key');
      if (key !== null && symbolOrStringValue(key) === name) return pair.childForFieldName('value') ?? undefined;
    }
  }
  return undefined;
}

/** "Billing::Invoice" → "Invoice"; a plain constant → its name. */
export function constantName(node: Node): string | undefined {
  if (node.type === 'constant') return node.text;
  if (node.type === 'scope_resolution') return node.childForFieldName('name')?.text;
  return undefined;
}

/** The innermost class around a node (its name), and whether the node sits at class level (class methods, scopes). */
export function enclosingClass(node: Node): { name: string; classLevel: boolean; node: Node } | undefined {
  let classLevel = true;
  let sawMethod = false;
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (!sawMethod && a.type === 'method') {
      classLevel = false;
      sawMethod = true;
    }
    if (!sawMethod && a.type === 'singleton_method') sawMethod = true;
    if (a.type === 'singleton_class') {
      classLevel = true;
      sawMethod = true;
    }
    if (a.type === 'class') {
      const nameNode = a.childForFieldName('name');
      const name = nameNode === null ? undefined : constantName(nameNode);
      return name === undefined ? undefined : { name, classLevel, node: a };
    }
  }
  return undefined;
}

/** Parameter names of a block (`do |order, i|` → ["order", "i"]). */
export function blockParameters(block: Node): string[] {
  const params = block.childForFieldName('parameters');
  if (params === null) return [];
  return params.namedChildren
    .filter((n): n is Node => n !== null)
    .map((n) => (n.type === 'identifier' ? n.text : (n.namedChildren.find((c) => c?.type === 'identifier')?.text ?? '')));
}
