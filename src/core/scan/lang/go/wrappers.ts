/**
 * Go transaction wrappers read from their definitions, not from a list of names: a function whose body begins a
 * transaction (`db.BeginTx(…)`, `conn.Begin(…)`, or a GORM/pgx callback transaction) and calls one of its
 * function-typed parameters after that (nakama's `executeInTxPostgres(ctx, db, fn)`: `tx, err = db.BeginTx(ctx, nil)`
 * … `fn(tx)`). Calls record the function literals they pass and the caller's function parameters they pass on, so the
 * analysis (core/analyze/callback-transactions.ts) finds wrappers of wrappers across files and scopes the callbacks.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { transactionAt } from '../../scopes.js';
import { rangeOf, parentOf } from '../../tree-helpers.js';
import type { CallSite, FileScan } from '../../types.js';
import type { FileFacts } from './facts.js';
import { dbRef } from './receivers.js';
import { goClassName } from './receiver-types.js';
import { goShape } from './shape.js';
import { callArguments, FUNCTION_TYPES, named } from './syntax.js';

/** Methods that begin a transaction on the handle they are called on. */
const BEGIN = new Set(['Begin', 'BeginTx', 'Beginx', 'BeginTxx', 'MustBegin', 'MustBeginTx']);

/** The named function or method declaration a node is in (func literals belong to it). */
function declarationOf(node: Node): Node | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if ((FUNCTION_TYPES as readonly string[]).includes(a.type)) return a;
  return undefined;
}

/** Function-typed parameters of a declaration, name → position (`a, b func()` are two positions). */
export function functionParameters(declaration: Node): Map<string, number> {
  const out = new Map<string, number>();
  const list = declaration.childForFieldName('parameters');
  if (list === null) return out;
  let index = 0;
  for (const parameter of named(list)) {
    if (parameter.type !== 'parameter_declaration' && parameter.type !== 'variadic_parameter_declaration') continue;
    const names = parameter.childrenForFieldName('name').filter((n): n is Node => n !== null);
    const isFunc = parameter.childForFieldName('type')?.type === 'function_type';
    for (const name of names.length === 0 ? [undefined] : names) {
      if (isFunc && name !== undefined) out.set(name.text, index);
      index++;
    }
  }
  return out;
}

/** Does a transaction begin in `declaration` before `call` (a Begin on a handle that is not a transaction already)? */
function begunBefore(declaration: Node, call: Node, facts: FileFacts): boolean {
  return declaration.descendantsOfType('call_expression').some((c) => {
    const fn = c?.childForFieldName('function');
    if (c === null || fn?.type !== 'selector_expression' || c.startIndex >= call.startIndex) return false;
    if (!BEGIN.has(fn.childForFieldName('field')?.text ?? '')) return false;
    return dbRef(facts, fn.childForFieldName('operand') ?? undefined)?.tx !== true; // `tx.Begin()` is a savepoint
  });
}

const keyOf = (declaration: Node): string | undefined => {
  const name = declaration.childForFieldName('name')?.text;
  if (name === undefined) return undefined;
  const cls = goClassName(declaration);
  return cls === undefined ? name : `${cls}.${name}`;
};

/** The file's transaction wrappers: (function key, parameter position) for each parameter called in a transaction. */
export function transactionWrappers(context: ExtractContext, facts: FileFacts, root: Node): FileScan['transactionWrappers'] {
  const out: NonNullable<FileScan['transactionWrappers']> = [];
  for (const declaration of root.descendantsOfType([...FUNCTION_TYPES])) {
    if (declaration === null) continue;
    const parameters = functionParameters(declaration);
    const key = parameters.size === 0 ? undefined : keyOf(declaration);
    if (key === undefined) continue;
    const found = new Set<number>();
    for (const call of declaration.descendantsOfType('call_expression')) {
      const fn = call?.childForFieldName('function');
      const index = fn?.type === 'identifier' ? parameters.get(fn.text) : undefined;
      if (call === null || index === undefined || found.has(index)) continue;
      if (transactionAt(context.file, call, goShape.detectScope) !== undefined || begunBefore(declaration, call, facts)) found.add(index);
    }
    for (const parameter of found) out.push({ key, parameter });
  }
  return out.length === 0 ? undefined : out;
}

/** A call's function-literal arguments and the enclosing function's function parameters it passes on. */
export function callbackArguments(call: Node): Pick<CallSite, 'callbacks' | 'forwardsCallbacks'> {
  const args = callArguments(call);
  const callbacks = args.flatMap((a, argument) => (a.type === 'func_literal' ? [{ argument, range: rangeOf(a) }] : []));
  const declaration = args.some((a) => a.type === 'identifier') ? declarationOf(call) : undefined;
  const parameters = declaration === undefined ? undefined : functionParameters(declaration);
  const forwards = args.flatMap((a, argument) => {
    const parameter = a.type === 'identifier' ? parameters?.get(a.text) : undefined;
    return parameter === undefined ? [] : [{ argument, parameter }];
  });
  return {
    ...(callbacks.length > 0 ? { callbacks } : {}),
    ...(forwards.length > 0 ? { forwardsCallbacks: forwards } : {}),
  };
}
