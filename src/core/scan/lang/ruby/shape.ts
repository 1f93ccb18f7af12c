/** Ruby's shape for the site factory: loops (statements and iterator blocks), methods, ActiveRecord transaction blocks. */
import type { Node } from 'web-tree-sitter';
import type { LanguageShape } from '../../site-factory.js';
import type { ScopeMark } from '../../scopes.js';
import { rangeOf, parentOf } from '../../tree-helpers.js';
import type { LoopInfo } from '../../types.js';
import { argumentsOf, blockOf, isCall, keywordArgument, methodName, receiverOf } from './syntax.js';

const STATEMENT_LOOPS: Record<string, string> = {
  for: 'for',
  while: 'while',
  until: 'until',
  while_modifier: 'while',
  until_modifier: 'until',
};

/** Methods whose block runs once per element (or per iteration): the block is a loop body. */
export const LOOP_METHODS = new Set([
  'each',
  'each_with_index',
  'each_with_object',
  'each_slice',
  'each_cons',
  'each_entry',
  'reverse_each',
  'find_each',
  'find_in_batches',
  'in_batches',
  'map',
  'flat_map',
  'collect',
  'collect_concat',
  'filter_map',
  'select',
  'filter',
  'reject',
  'each_key',
  'each_value',
  'each_pair',
  'times',
  'upto',
  'downto',
  'step',
  'loop',
  'sum',
  'group_by',
  'partition',
  'index_by',
  'sort_by',
  'min_by',
  'max_by',
  'count',
  'any?',
  'all?',
  'none?',
  'find',
  'detect',
  'inject',
  'reduce',
  'each_char',
  'each_line',
  'to_h',
  'zip',
  'cycle',
  'map!',
  'select!',
  'reject!',
  'delete_if',
  'keep_if',
  'tally_by',
  'uniq',
  'transform_values',
  'transform_keys',
]);

/** A call with a block that iterates: `items.each do … end`, `3.times { }`, `loop do … end`. */
export function iteratorCall(node: Node): boolean {
  if (!isCall(node) || blockOf(node) === null) return false;
  const name = methodName(node) ?? '';
  if (name === 'loop') return receiverOf(node) === null;
  return LOOP_METHODS.has(name);
}

/** Loops around a node, outermost first: loop statements, and iterator blocks the node sits inside. */
export function rubyLoops(node: Node): LoopInfo[] {
  const loops: LoopInfo[] = [];
  let child: Node = node;
  for (let a = parentOf(node); a !== null; child = a, a = parentOf(a)) {
    const statement = STATEMENT_LOOPS[a.type];
    // `for x in items`: the collection is evaluated once, only the body repeats.
    if (statement !== undefined && !(a.type === 'for' && a.childForFieldName('value')?.id === child.id))
      loops.unshift({ range: rangeOf(a), kind: statement });
    if ((child.type === 'block' || child.type === 'do_block') && iteratorCall(a) && blockOf(a)?.id === child.id)
      loops.unshift({ range: rangeOf(a), kind: `${methodName(a) ?? 'each'} block` });
  }
  return loops;
}

/** `transaction do … end` / `with_lock do … end` calls (with a block), whatever their mark. */
function transactionCall(node: Node): 'transaction' | 'with_lock' | undefined {
  if (!isCall(node) || blockOf(node) === null) return undefined;
  const name = methodName(node);
  return name === 'transaction' || name === 'with_lock' ? name : undefined;
}

function truthy(node: Node | undefined): boolean {
  return node !== undefined && node.type === 'true';
}

function scopeKind(node: Node, name: 'transaction' | 'with_lock', requiresNew: boolean): string {
  const receiver = receiverOf(node)?.text;
  const base = receiver === undefined ? name : `${receiver}.${name}`;
  return requiresNew ? `${base}(requires_new: true)` : base;
}

/**
 * Rails joins a nested `transaction do` to the outer transaction (no SAVEPOINT), so a plain nested block is not a
 * scope of its own; `requires_new: true`, or nesting inside a `joinable: false` block, opens a SAVEPOINT.
 */
export function detectRubyScope(node: Node): ScopeMark | undefined {
  const name = transactionCall(node);
  if (name === undefined) return undefined;
  const args = argumentsOf(node);
  const requiresNew = truthy(keywordArgument(args, 'requires_new'));
  if (requiresNew) return { kind: scopeKind(node, name, true), savepoint: true };
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (transactionCall(a) === undefined) continue;
    const outerJoinable = keywordArgument(argumentsOf(a), 'joinable');
    if (outerJoinable?.type === 'false') return { kind: `${scopeKind(node, name, false)} (inside joinable: false)`, savepoint: true };
    return undefined;
  }
  return { kind: scopeKind(node, name, false), savepoint: false };
}

export const rubyShape: LanguageShape = {
  loopTypes: STATEMENT_LOOPS,
  functionTypes: ['method', 'singleton_method'],
  detectScope: detectRubyScope,
  scopeTypes: ['call'],
};
