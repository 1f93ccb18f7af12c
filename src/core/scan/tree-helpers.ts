/** Language-neutral helpers over tree-sitter nodes: ranges, ancestors, enclosing loops and functions. */
import type { Node, Tree } from 'web-tree-sitter';
import type { LoopInfo, SourceRange } from './types.js';

/** web-tree-sitter parses JS strings as UTF-16: its columns are UTF-16 code units, as editors count (measured). */
export function rangeOf(node: Node): SourceRange {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/**
 * Each tree's parent links, filled as they are asked for. web-tree-sitter finds a node's parent by descending from the
 * root (`ts_node_parent`), so one `.parent` costs the node's depth and a walk to the root its depth squared: 400
 * nested callbacks took 67 s to scan. Asked once per node, the whole file stays linear in practice.
 */
const parentLinks = new WeakMap<Tree, Map<number, Node | null>>();

/** `node.parent`, remembered per tree (use this, never `.parent`, in the scanners: see parentLinks). */
export function parentOf(node: Node | null | undefined): Node | null {
  if (node === null || node === undefined) return null;
  let links = parentLinks.get(node.tree);
  if (links === undefined) parentLinks.set(node.tree, (links = new Map()));
  const known = links.get(node.id);
  if (known !== undefined) return known;
  const parent = node.parent;
  links.set(node.id, parent);
  return parent;
}

export function* ancestors(node: Node): Generator<Node> {
  for (let current = parentOf(node); current !== null; current = parentOf(current)) yield current;
}

/** Loops around a node, outermost first, given the language's loop node types (and what to call them). */
export function loopsAround(node: Node, loopTypes: Record<string, string>): LoopInfo[] {
  const loops: LoopInfo[] = [];
  for (const a of ancestors(node)) {
    const kind = loopTypes[a.type];
    if (kind !== undefined) loops.unshift({ range: rangeOf(a), kind });
  }
  return loops;
}

/** Name of the innermost enclosing function, given the language's function node types. */
export function enclosingFunctionName(node: Node, functionTypes: readonly string[]): string | undefined {
  for (const a of ancestors(node)) {
    if (functionTypes.includes(a.type)) return a.childForFieldName('name')?.text;
  }
  return undefined;
}
