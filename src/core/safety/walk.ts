/** Finds nodes of one tag anywhere in a statement's tree: nested statements (EXPLAIN, rules, CTEs, sublinks) included. */
import { nodeAs, walkTree, type NodeOf, type NodeTag } from '../sql/ast.js';

/** Every `tag` node of `tree`, in source order. */
export function nodesOf<K extends NodeTag>(tree: unknown, tag: K): Array<NodeOf<K>> {
  const out: Array<NodeOf<K>> = [];
  walkTree(tree, (node) => {
    const payload = nodeAs(node, tag);
    if (payload !== undefined) out.push(payload);
    return true;
  });
  return out;
}

/** One finding per node of `tag` that `judge` objects to. */
export function judgeNodes<K extends NodeTag, F>(tree: unknown, tag: K, judge: (node: NodeOf<K>) => F | undefined): F[] {
  const out: F[] = [];
  for (const node of nodesOf(tree, tag)) {
    const finding = judge(node);
    if (finding !== undefined) out.push(finding);
  }
  return out;
}
