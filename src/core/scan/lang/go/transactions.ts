/**
 * Transactions begun by a call rather than a callback (`tx, err := db.Begin()`, `tx := db.MustBegin()`, pgx
 * `conn.Begin(ctx)`): the scope runs from the Begin statement to the end of the block it is in (the enclosing
 * function's body, or a loop's body), for calls on that tx variable. A callback scope around the Begin (or a pgx `tx.Begin`) makes it a nested one.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { compactLabel } from '../../site-factory.js';
import { transactionAt } from '../../scopes.js';
import { rangeOf, parentOf } from '../../tree-helpers.js';
import type { TransactionScope } from '../../types.js';
import type { DbRef } from './receivers.js';
import { goShape } from './shape.js';
import { BINDING_FUNCTION_TYPES } from './syntax.js';

function statementOf(node: Node): Node {
  let current = node;
  for (let parent = parentOf(current); parent !== null; parent = parentOf(current)) {
    if (parent.type === 'statement_list' || parent.type === 'block' || parent.type === 'source_file') break;
    current = parent;
  }
  return current;
}

function functionOf(node: Node): Node | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if ((BINDING_FUNCTION_TYPES as readonly string[]).includes(a.type)) return a;
  return undefined;
}

export function beginScope(context: ExtractContext, begin: Node, savepoint: boolean): TransactionScope {
  const statement = statementOf(begin);
  const start = rangeOf(statement).start;
  const fn = functionOf(begin);
  // To the end of the block the Begin is in: a retry loop's `tx, err := db.BeginTx(…)` lives one iteration.
  const block = parentOf(statement);
  const end = rangeOf(block !== null && fn !== undefined && block.startIndex > fn.startIndex ? block : (fn ?? statement)).end;
  const parent = transactionAt(context.file, begin, goShape.detectScope);
  const scope: TransactionScope = {
    id: `${context.file}#${start.line}:${start.character}`,
    range: { start, end },
    kind: `${compactLabel(begin.text, 40)} … Commit()`,
    nested: savepoint || parent !== undefined,
    parentId: parent?.id,
  };
  // Begun on a handle, not joined to anything: a transaction of its own whoever calls the function.
  if (!scope.nested) scope.independent = true;
  return scope;
}

/** The scope for a call on `ref`: its Begin scope when it is a begun transaction, else what the tree says. */
export function scopeForRef(
  context: ExtractContext,
  ref: DbRef | undefined,
  fallback: TransactionScope | undefined,
): TransactionScope | undefined {
  if (ref?.begin === undefined) return fallback;
  // A callback transaction opened inside the begun one is the innermost scope.
  if (fallback !== undefined && fallback.range.start.line > rangeOf(ref.begin).start.line) return fallback;
  return beginScope(context, ref.begin, ref.savepoint === true);
}
