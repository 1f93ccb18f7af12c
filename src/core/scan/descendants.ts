/**
 * `node.descendantsOfType(types)` answered from one walk per top-level statement instead of one walk per question.
 * web-tree-sitter walks the whole subtree on every call (the scanners asked ~50 questions per file, many of them of the
 * root): here each top-level statement is walked once for every type any scanner of its language has asked for, and
 * a question about any node inside it is a range lookup in that statement's lists. Same nodes, same order (depth
 * first, the node itself included), as web-tree-sitter's own answer.
 */
import type { Language, Node, Tree } from 'web-tree-sitter';
import { parentOf } from './tree-helpers.js';

/** One top-level statement's nodes of the indexed types, per type in depth-first order (so sorted by start). */
interface SegmentIndex {
  /** Type → its nodes, and their depth-first positions among every indexed node of the segment. */
  byType: Map<string, { nodes: Node[]; order: number[] }>;
}

interface TreeIndex {
  rootId: number;
  /** The root's children (the segments), with their start and end offsets. */
  segments: Node[];
  starts: number[];
  ends: number[];
  indexed: Map<number, SegmentIndex>;
}

/** Every type asked for in trees of a language: a segment indexed once is indexed for all of them. */
const wantedTypes = new WeakMap<Language, Set<string>>();
const trees = new WeakMap<Tree, TreeIndex>();

function treeIndex(tree: Tree): TreeIndex {
  let index = trees.get(tree);
  if (index === undefined) {
    const root = tree.rootNode;
    const segments = root.children.filter((c): c is Node => c !== null);
    index = {
      rootId: root.id,
      segments,
      starts: segments.map((s) => s.startIndex),
      ends: segments.map((s) => s.endIndex),
      indexed: new Map(),
    };
    trees.set(tree, index);
  }
  return index;
}

function wanted(language: Language, types: readonly string[]): Set<string> {
  let set = wantedTypes.get(language);
  if (set === undefined) wantedTypes.set(language, (set = new Set()));
  for (const t of types) set.add(t);
  return set;
}

/** The segment's index, walked again (for every wanted type) when it lacks one of `types`. */
function segmentIndex(tree: TreeIndex, at: number, segment: Node, types: readonly string[]): SegmentIndex {
  const known = tree.indexed.get(at);
  if (known !== undefined && types.every((t) => known.byType.has(t))) return known;
  const all = [...wanted(segment.tree.language, types)];
  const byType = new Map<string, { nodes: Node[]; order: number[] }>(all.map((t) => [t, { nodes: [], order: [] }]));
  segment.descendantsOfType(all).forEach((node, position) => {
    const list = node === null ? undefined : byType.get(node.type);
    if (node === null || list === undefined) return;
    list.nodes.push(node);
    list.order.push(position);
  });
  const index = { byType };
  tree.indexed.set(at, index);
  return index;
}

/** First position below `length` whose value (`of`, ascending) is ≥ `target`. */
function lowerBound(length: number, target: number, of: (i: number) => number): number {
  let low = 0;
  let high = length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (of(mid) < target) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Is `node` the `outer` node or inside it? Climbs from `node` while it stays within `outer`'s range. */
function within(node: Node, outer: Node): boolean {
  for (let at: Node | null = node; at !== null; at = parentOf(at)) {
    if (at.id === outer.id) return true;
    if (at.startIndex < outer.startIndex || at.endIndex > outer.endIndex) return false;
  }
  return false;
}

/** The indexes of the segments a node may lie in: the one whose range holds it, or (zero width at a boundary) the one it is in. */
function segmentsHolding(tree: TreeIndex, node: Node): number[] {
  const start = node.startIndex;
  const end = node.endIndex;
  const first = lowerBound(tree.ends.length, start, (i) => tree.ends[i] ?? 0);
  const holding: number[] = [];
  for (let i = first; i < tree.segments.length && (tree.starts[i] ?? 0) <= start; i++) if (end <= (tree.ends[i] ?? 0)) holding.push(i);
  if (holding.length <= 1) return holding;
  return holding.filter((i) => within(node, tree.segments[i] as Node)).slice(0, 1);
}

/** `node`'s descendants (itself included) of one segment's index, in depth-first order. */
function inSegment(index: SegmentIndex, node: Node, types: readonly string[]): Node[] {
  const start = node.startIndex;
  const end = node.endIndex;
  const found: Array<{ node: Node; order: number }> = [];
  for (const type of new Set(types)) {
    const list = index.byType.get(type);
    if (list === undefined) continue;
    for (let i = lowerBound(list.nodes.length, start, (j) => list.nodes[j]?.startIndex ?? 0); i < list.nodes.length; i++) {
      const candidate = list.nodes[i] as Node;
      const at = candidate.startIndex;
      if (at > end) break;
      // Strictly inside the range: a descendant (siblings never overlap). At either edge: an ancestor, a neighbour
      // of zero width, or the node itself or a descendant — decided by climbing.
      if ((at === start || at === end) && !within(candidate, node)) continue;
      // web-tree-sitter's walk skips a node ending at the file's first position (an empty file's root, a MISSING token).
      if (at === 0 && candidate.endIndex === 0) continue;
      found.push({ node: candidate, order: list.order[i] ?? 0 });
    }
  }
  if (types.length > 1) found.sort((a, b) => a.order - b.order);
  return found.map((f) => f.node);
}

/**
 * Every descendant of `node` (the node itself included) whose type is in `types`, depth first: web-tree-sitter's
 * `node.descendantsOfType(types)`, from the tree's index (use this, never the method, in the scanners).
 */
export function descendantsOfType(node: Node, types: string | readonly string[]): Node[] {
  const asked = typeof types === 'string' ? [types] : types;
  // web-tree-sitter looks symbols up in a list it assumes sorted, yet puts ERROR (65535) first: asked with other types,
  // ERROR hides them. Not indexed: the method's own answer, whatever it is.
  if (asked.includes('ERROR')) return node.descendantsOfType([...asked]).filter((n): n is Node => n !== null);
  const tree = treeIndex(node.tree);
  const out: Node[] = [];
  if (node.id === tree.rootId) {
    if (asked.includes(node.type) && node.endIndex > 0) out.push(node);
    tree.segments.forEach((segment, at) => {
      for (const found of inSegment(segmentIndex(tree, at, segment, asked), segment, asked)) out.push(found);
    });
    return out;
  }
  for (const at of segmentsHolding(tree, node))
    for (const found of inSegment(segmentIndex(tree, at, tree.segments[at] as Node, asked), node, asked)) out.push(found);
  return out;
}
