/** JS/TS syntax helpers shared by the recognizers: call chains, string values, object-literal options. */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';

/** One step of a chain: `prisma`, `.order`, `.findMany({…})`; `args` is set when the step is called. */
export interface Link {
  name: string;
  node: Node;
  args: Node[] | undefined;
}

/** `this.prisma.order.findMany({…})` → links [this, prisma, order, findMany(…)]; `top` is the outermost node. */
export interface Chain {
  links: Link[];
  top: Node;
}

// Wrappers that do not change what an expression evaluates to (`x!`, `x as T`, `(x)`, `f<T>`).
const TRANSPARENT = new Set([
  'parenthesized_expression',
  'non_null_expression',
  'as_expression',
  'satisfies_expression',
  'instantiation_expression',
  'type_assertion',
]);

export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    const inner =
      TRANSPARENT.has(current.type) || current.type === 'await_expression'
        ? current.namedChildren.find((c) => c !== null && !c.type.includes('type'))
        : undefined;
    if (inner === undefined || inner === null) return current;
    current = inner;
  }
}

export function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

/** Arguments of a call: a tagged template's template counts as the one argument. */
export function callArgs(call: Node): Node[] {
  const args = call.childForFieldName('arguments');
  if (args === null) return [];
  return args.type === 'template_string' ? [args] : named(args);
}

/** Decomposes an expression into its chain of property accesses and calls (root first). */
export function chainOf(top: Node): Chain {
  const links: Link[] = [];
  let pendingArgs: Node[] | undefined;
  let pendingCall: Node | undefined;
  let current: Node = unwrap(top);
  for (;;) {
    if (current.type === 'call_expression') {
      const fn = current.childForFieldName('function');
      if (fn === null) break;
      pendingArgs = callArgs(current);
      pendingCall = current;
      current = unwrap(fn);
      continue;
    }
    if (current.type === 'member_expression') {
      const property = current.childForFieldName('property');
      const object = current.childForFieldName('object');
      links.unshift({ name: property?.text ?? '?', node: pendingCall ?? current, args: pendingArgs });
      pendingArgs = undefined;
      pendingCall = undefined;
      if (object === null) break;
      current = unwrap(object);
      continue;
    }
    const name = current.type === 'identifier' || current.type === 'this' || current.type === 'super' ? current.text : '?';
    links.unshift({ name, node: pendingCall ?? current, args: pendingArgs });
    break;
  }
  return { links, top };
}

/** True when the call is the outermost node of its chain (nothing chains onto it). */
export function isChainTop(node: Node): boolean {
  let current = node;
  let parent = current.parent;
  while (parent !== null && TRANSPARENT.has(parent.type)) {
    current = parent;
    parent = parentOf(parent);
  }
  if (parent === null) return true;
  if (parent.type === 'member_expression' && parent.childForFieldName('object')?.id === current.id) return false;
  if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === current.id) return false;
  return true;
}

export const linkIndex = (chain: Chain, names: ReadonlySet<string> | readonly string[]): number =>
  chain.links.findIndex((l) => (names instanceof Set ? names.has(l.name) : (names as readonly string[]).includes(l.name)));

export const hasLink = (chain: Chain, name: string): boolean => chain.links.some((l) => l.name === name && l.args !== undefined);

export function firstArg(link: Link | undefined): Node | undefined {
  return link?.args?.[0];
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };

/** The value of a string literal (or a template without substitutions); undefined for anything else. */
export function stringValue(node: Node | undefined): string | undefined {
  if (node === undefined) return undefined;
  const n = unwrap(node);
  if (n.type !== 'string' && n.type !== 'template_string') return undefined;
  let out = '';
  for (const c of named(n)) {
    if (c.type === 'string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += ESCAPES[c.text.slice(1)] ?? c.text.slice(1);
    else return undefined;
  }
  return out;
}

/** Property nodes of an object literal by key (pairs, shorthand properties, methods). */
export function objectEntries(node: Node | undefined): Array<{ key: string; value: Node | undefined; node: Node }> {
  if (node === undefined) return [];
  const n = unwrap(node);
  if (n.type !== 'object') return [];
  const out: Array<{ key: string; value: Node | undefined; node: Node }> = [];
  for (const c of named(n)) {
    if (c.type === 'pair') {
      const key = c.childForFieldName('key');
      const value = c.childForFieldName('value');
      if (key !== null) out.push({ key: stringValue(key) ?? key.text, value: value ?? undefined, node: c });
    } else if (c.type === 'shorthand_property_identifier') out.push({ key: c.text, value: undefined, node: c });
  }
  return out;
}

export function objectProp(node: Node | undefined, key: string): Node | undefined {
  const entry = objectEntries(node).find((e) => e.key === key);
  return entry === undefined ? undefined : (entry.value ?? entry.node);
}

export function objectKeys(node: Node | undefined): string[] {
  return objectEntries(node).map((e) => e.key);
}

/** The root name a receiver expression ends in: `this.prisma` → "prisma", `db` → "db". */
export function lastName(node: Node | null | undefined): string | undefined {
  if (node === null || node === undefined) return undefined;
  const n = unwrap(node);
  if (n.type === 'identifier' || n.type === 'this') return n.text;
  if (n.type === 'member_expression') return n.childForFieldName('property')?.text;
  return undefined;
}

/** `m.method(…)` → { method, receiver, call }. */
export function methodCall(node: Node): { method: string; receiver: Node; call: Node } | undefined {
  const call = unwrap(node);
  if (call.type !== 'call_expression') return undefined;
  const fn = call.childForFieldName('function');
  if (fn === null || unwrap(fn).type !== 'member_expression') return undefined;
  const member = unwrap(fn);
  const property = member.childForFieldName('property');
  const object = member.childForFieldName('object');
  if (property === null || object === null) return undefined;
  return { method: property.text, receiver: object, call };
}

const PASS_THROUGH = new Set(['Promise.all', 'Promise.allSettled', 'Promise.race', 'Promise.any']);

/**
 * Does this builder expression run its query here? Lazy builders (Knex, Drizzle) run when awaited or returned;
 * one assigned to a variable or passed as a subquery does not.
 */
export function executes(top: Node): boolean {
  let current = top;
  let parent = current.parent;
  while (parent !== null && (TRANSPARENT.has(parent.type) || parent.type === 'ternary_expression' || parent.type === 'spread_element')) {
    current = parent;
    parent = parentOf(parent);
  }
  if (parent === null) return true;
  switch (parent.type) {
    case 'await_expression':
    case 'return_statement':
    case 'expression_statement':
    case 'yield_expression':
    case 'arrow_function':
      return true;
    case 'array':
      return parent.parent !== null && (parent.parent.type === 'arguments' ? passThrough(parent.parent) : executes(parent));
    case 'arguments':
      return passThrough(parent);
    default:
      return false;
  }
}

function passThrough(args: Node): boolean {
  const call = args.parent;
  const fn = call?.childForFieldName('function');
  if (fn === null || fn === undefined) return false;
  const text = fn.text.replace(/\s+/g, '');
  return PASS_THROUGH.has(text) || text.endsWith('$transaction');
}

/** Capitalises the first letter: Prisma's client accessor `orderItem` → model "OrderItem". */
export const capitalise = (s: string): string => (s === '' ? s : s[0]?.toUpperCase() + s.slice(1));

/** A rough English singular for relation names ("items" → "item", "categories" → "category"). */
export function singularize(word: string): string {
  if (/ies$/i.test(word)) return `${word.slice(0, -3)}y`;
  if (/(ss|us)$/i.test(word)) return word;
  if (/(xes|ches|shes|sses)$/i.test(word)) return word.slice(0, -2);
  return word.endsWith('s') ? word.slice(0, -1) : word;
}

/** Strips an alias and schema-less qualifier: "orders as o" → "orders", "o.status" → "status". */
export const bareTable = (s: string): string => s.trim().split(/\s+as\s+|\s+/i)[0] ?? s;
export const bareColumn = (s: string): string => s.trim().split(/\s+/)[0]?.split('.').pop() ?? s;

/** A receiver's text, compacted for scope kinds and labels: `this.dataSource` → "this.dataSource". */
export const compactChain = (node: Node): string => {
  const text = node.text.replace(/\s+/g, '');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};
