/**
 * One pass over a Python file for the lookups the extractor repeats per site: which function an offset is in, the
 * assignments of each name per function (and at module level), and the chains rooted at each name. Built once per
 * tree (web-tree-sitter's descendant queries and parent walks cost O(file) each; per site that was O(n²)).
 */
import type { Node, Tree } from 'web-tree-sitter';

interface Assignment {
  endIndex: number;
  value: Node;
}

/** Scope key: the enclosing function's start index, or -1 for module level. */
type ScopeKey = number;

export class PythonFileIndex {
  /** function_definition ranges, in source order (nested ones after their parent). */
  private readonly functions: Array<{ start: number; end: number }> = [];
  private readonly assignments = new Map<ScopeKey, Map<string, Assignment[]>>();
  /** Start offsets of calls whose chain is rooted at a name, per scope and name. */
  private readonly rootedCalls = new Map<ScopeKey, Map<string, number[]>>();

  constructor(root: Node, rootOfChain: (call: Node) => Node, continuesChain: (call: Node) => boolean) {
    for (const f of root.descendantsOfType('function_definition'))
      if (f !== null) this.functions.push({ start: f.startIndex, end: f.endIndex });
    for (const a of root.descendantsOfType('assignment')) {
      const left = a?.childForFieldName('left');
      const value = a?.childForFieldName('right');
      if (a === null || left?.type !== 'identifier' || value === null || value === undefined) continue;
      const byName = this.mapFor(this.assignments, this.scopeAt(a.startIndex));
      const list = byName.get(left.text) ?? [];
      list.push({ endIndex: a.endIndex, value });
      byName.set(left.text, list);
    }
    for (const call of root.descendantsOfType('call')) {
      if (call === null || continuesChain(call)) continue;
      const chainRoot = rootOfChain(call);
      if (chainRoot.type !== 'identifier') continue;
      const byName = this.mapFor(this.rootedCalls, this.scopeAt(call.startIndex));
      const list = byName.get(chainRoot.text) ?? [];
      list.push(call.startIndex);
      byName.set(chainRoot.text, list);
    }
  }

  private mapFor<T>(maps: Map<ScopeKey, Map<string, T>>, scope: ScopeKey): Map<string, T> {
    let map = maps.get(scope);
    if (map === undefined) {
      map = new Map();
      maps.set(scope, map);
    }
    return map;
  }

  /** The innermost function containing the offset (its start), or -1 at module level. */
  scopeAt(index: number): ScopeKey {
    let best: ScopeKey = -1;
    for (const f of this.functions) {
      if (f.start > index) break;
      if (index < f.end) best = f.start; // later matches are nested deeper
    }
    return best;
  }

  /** The value last assigned to `name` before `index` in its function, else at module level (module constants). */
  assignedBefore(name: string, index: number): Node | undefined {
    const scope = this.scopeAt(index);
    for (const key of scope === -1 ? [-1] : [scope, -1]) {
      const list = this.assignments.get(key)?.get(name) ?? [];
      let best: Assignment | undefined;
      for (const a of list) if (a.endIndex <= index) best = a;
      if (best !== undefined) return best.value;
    }
    return undefined;
  }

  /** Is there a call chain rooted at `name` after `index`, in the same function? */
  chainAfter(name: string, index: number): boolean {
    return (this.rootedCalls.get(this.scopeAt(index))?.get(name) ?? []).some((start) => start > index);
  }
}

const indexes = new WeakMap<Tree, PythonFileIndex>();

/** The index of the tree a node belongs to, built on first use. */
export function fileIndex(node: Node, build: (root: Node) => PythonFileIndex): PythonFileIndex {
  let index = indexes.get(node.tree);
  if (index === undefined) {
    index = build(node.tree.rootNode);
    indexes.set(node.tree, index);
  }
  return index;
}
