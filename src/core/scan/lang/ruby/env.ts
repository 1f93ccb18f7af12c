/** Local variable look-ups: the assignment a variable read refers to (last one before it in the same method). */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import { descendantsOfType } from '../../descendants.js';

const SCOPE_TYPES = new Set(['method', 'singleton_method', 'program', 'class', 'module', 'lambda']);
const CLASS_TYPES = new Set(['class', 'module']);

function enclosing(node: Node, types: ReadonlySet<string>): Node | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if (types.has(a.type)) return a;
  return undefined;
}

interface Entry {
  name: string;
  start: number;
  end: number;
  scopeId: number | undefined;
  right: Node | null;
}

/** Per-file index of assignments, read once: tree accessors cross into WASM, so look-ups use plain data. */
export class Assignments {
  private readonly byName = new Map<string, Entry[]>();

  constructor(root: Node) {
    for (const a of descendantsOfType(root, ['assignment', 'operator_assignment'])) {
      if (a === null) continue;
      const name = a.childForFieldName('left')?.text;
      if (name === undefined) continue;
      const entries = this.byName.get(name) ?? [];
      entries.push({
        name,
        start: a.startIndex,
        end: a.endIndex,
        scopeId: enclosing(a, SCOPE_TYPES)?.id,
        right: a.childForFieldName('right'),
      });
      this.byName.set(name, entries);
    }
  }

  /** The right-hand side last assigned to `name` before `at`, in `at`'s method (instance variables: its class too). */
  valueOf(name: string, at: Node): Node | undefined {
    const entries = this.byName.get(name);
    if (entries === undefined) return undefined;
    const scope = enclosing(at, SCOPE_TYPES);
    if (scope === undefined) return undefined;
    let best: Entry | undefined;
    for (const e of entries) {
      // Same method, before the read, and not the assignment the read is part of (`x = x.next`).
      if (e.scopeId !== scope.id || e.start >= at.startIndex || (at.startIndex >= e.start && at.startIndex < e.end)) continue;
      if (best === undefined || e.start > best.start) best = e;
    }
    if (best !== undefined || !name.startsWith('@')) return best?.right ?? undefined;
    // `@order = Order.find(…)` in a before_action, read in another action of the same class.
    const cls = enclosing(at, CLASS_TYPES);
    if (cls === undefined) return undefined;
    const inClass = entries.filter((e) => e.start >= cls.startIndex && e.end <= cls.endIndex);
    return inClass[inClass.length - 1]?.right ?? undefined;
  }
}

export function within(node: Node, scope: Node): boolean {
  return node.startIndex >= scope.startIndex && node.endIndex <= scope.endIndex;
}

/** The method (or file) a node's local variables live in. */
export function localScope(node: Node): Node | undefined {
  return enclosing(node, SCOPE_TYPES);
}
