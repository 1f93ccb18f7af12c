/** Language-neutral helpers over tree-sitter nodes: ranges, ancestors, enclosing loops and functions. */
import type { Node } from 'web-tree-sitter';
import type { LoopInfo, SourceRange } from './types.js';

/** web-tree-sitter parses JS strings as UTF-16: its columns are UTF-16 code units, as editors count (measured). */
export function rangeOf(node: Node): SourceRange {
  return {
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

export function* ancestors(node: Node): Generator<Node> {
  for (let current = node.parent; current !== null; current = current.parent) yield current;
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

/** Every descendant (depth first, source order) whose type is in `types`. */
export function descendantsOfType(root: Node, types: readonly string[]): Node[] {
  return root.descendantsOfType([...types]).filter((n): n is Node => n !== null);
}
