/** Calls to methods defined in the same file (`def name` / `def self.name`): CallSites that carry a helper's locks. */
import { parentOf } from '../../tree-helpers.js';
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import type { FileScan } from '../../types.js';
import type { Assignments } from './env.js';
import { emitCall } from './emit.js';
import { enclosingClass, methodName, receiverOf } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

/** Parents under which a bare identifier is an expression (a call or a variable read), not a name being defined. */
const EXPRESSION_PARENTS = new Set([
  'body_statement',
  'block_body',
  'then',
  'else',
  'begin',
  'parenthesized_statements',
  'argument_list',
  'pair',
  'binary',
  'assignment',
  'if_modifier',
  'unless_modifier',
  'return',
  'array',
  'conditional',
  'if',
  'unless',
  'do',
  'ensure',
  'rescue_modifier',
]);

export function definedMethods(root: Node): Set<string> {
  const names = new Set<string>();
  for (const def of descendantsOfType(root, ['method', 'singleton_method'])) {
    const name = def?.childForFieldName('name')?.text;
    if (name !== undefined) names.add(name);
  }
  return names;
}

/** Is `identifier` a local variable (assigned before, or a method/block parameter) where it is read? */
export function isLocalVariable(identifier: Node, assignments: Assignments): boolean {
  if (assignments.valueOf(identifier.text, identifier) !== undefined) return true;
  for (let a = parentOf(identifier); a !== null; a = parentOf(a)) {
    const params =
      a.type === 'method' || a.type === 'singleton_method' || a.type === 'lambda'
        ? a.childForFieldName('parameters')
        : a.type === 'block' || a.type === 'do_block'
          ? a.childForFieldName('parameters')
          : null;
    if (
      (params === null || params === undefined ? [] : descendantsOfType(params, 'identifier')).some((p) => p?.text === identifier.text) ===
      true
    )
      return true;
    if (a.type === 'method' || a.type === 'singleton_method') break;
  }
  return false;
}

/** A bare identifier in expression position (`recalculate` with no arguments or parentheses). */
export function bareIdentifierCall(node: Node): boolean {
  const parent = parentOf(node);
  if (parent === null || !EXPRESSION_PARENTS.has(parent.type)) return false;
  if (parent.type === 'assignment' && parent.childForFieldName('left')?.id === node.id) return false;
  if (parent.type === 'pair' && parent.childForFieldName('key')?.id === node.id) return false;
  return true;
}

export function addLocalCalls(scan: FileScan, context: ExtractContext, root: Node, assignments: Assignments): void {
  const defined = definedMethods(root);
  if (defined.size === 0) return;
  for (const node of descendantsOfType(root, ['call', 'identifier'])) {
    if (node === null) continue;
    if (node.type === 'call') {
      const name = methodName(node);
      const receiver = receiverOf(node);
      const selfish =
        receiver === null || receiver.type === 'self' || (receiver.type === 'constant' && receiver.text === enclosingClass(node)?.name);
      if (name !== undefined && defined.has(name) && selfish) emitCall(scan, context, node, name);
    } else if (defined.has(node.text) && bareIdentifierCall(node) && !isLocalVariable(node, assignments)) {
      emitCall(scan, context, node, node.text);
    }
  }
}
