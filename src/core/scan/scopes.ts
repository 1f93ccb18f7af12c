/**
 * Transaction scopes from the syntax tree: each extractor says which nodes open a transaction block (and whether the
 * API itself opens a savepoint); nesting inside another block makes a scope a subtransaction.
 */
import type { Node } from 'web-tree-sitter';
import { ancestors, rangeOf } from './tree-helpers.js';
import type { TransactionScope } from './types.js';

export interface ScopeMark {
  /** How the block is written, for reports: "with session.begin()", "ActiveRecord::Base.transaction". */
  kind: string;
  /** The API opens a SAVEPOINT even when not visibly nested (`begin_nested()`, `requires_new: true`). */
  savepoint: boolean;
  /** The API begins a transaction of its own on a pool or root client (Prisma's `$transaction`): never a savepoint. */
  independent?: boolean;
}

export type ScopeDetector = (node: Node) => ScopeMark | undefined;

function scopeFor(file: string, node: Node, mark: ScopeMark, parent: TransactionScope | undefined): TransactionScope {
  const range = rangeOf(node);
  const scope: TransactionScope = {
    id: `${file}#${range.start.line}:${range.start.character}`,
    range,
    kind: mark.kind,
    nested: mark.savepoint || parent !== undefined,
    parentId: parent?.id,
    parent,
  };
  if (mark.independent === true && !scope.nested) scope.independent = true;
  return scope;
}

/** The innermost transaction scope around `node` (including `node` itself when `inclusive`), with its parents linked. */
export function transactionAt(file: string, node: Node, detect: ScopeDetector, inclusive = false): TransactionScope | undefined {
  const marked: Array<{ node: Node; mark: ScopeMark }> = [];
  const chain = inclusive ? [node, ...ancestors(node)] : [...ancestors(node)];
  for (const a of chain) {
    const mark = detect(a);
    if (mark !== undefined) marked.unshift({ node: a, mark });
  }
  let scope: TransactionScope | undefined;
  for (const m of marked) scope = scopeFor(file, m.node, m.mark, scope);
  return scope;
}
