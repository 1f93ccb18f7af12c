/**
 * Go's shape for the site factory: `for` loops (and per-item callbacks such as GORM's FindInBatches), named
 * functions (func literals belong to them), and transaction blocks written as callbacks: GORM's
 * `db.Transaction(func(tx *gorm.DB) error {…})` (nested ones are SAVEPOINTs) and pgx's `BeginFunc`/`BeginTxFunc`.
 */
import type { Node } from 'web-tree-sitter';
import type { ScopeMark } from '../../scopes.js';
import type { LanguageShape } from '../../site-factory.js';
import { rangeOf, parentOf } from '../../tree-helpers.js';
import type { LoopInfo } from '../../types.js';
import { goClassName } from './receiver-types.js';
import { callArguments, FUNCTION_TYPES } from './syntax.js';

const LOOP_TYPES: Record<string, string> = { for_statement: 'for' };

/** Calls that run their func-literal argument once per item or batch. */
const CALLBACK_LOOPS: Record<string, string> = {
  FindInBatches: 'FindInBatches callback',
  ForEach: 'ForEach callback',
  Range: 'Range callback',
};

const SCOPE_METHODS: Record<string, string> = { Transaction: 'Transaction', BeginFunc: 'BeginFunc', BeginTxFunc: 'BeginTxFunc' };

function calledMethod(call: Node): string | undefined {
  const fn = call.childForFieldName('function');
  return fn?.type === 'selector_expression' ? fn.childForFieldName('field')?.text : undefined;
}

function detectScope(node: Node): ScopeMark | undefined {
  if (node.type !== 'call_expression') return undefined;
  const method = calledMethod(node);
  const kind = method === undefined ? undefined : SCOPE_METHODS[method];
  if (kind === undefined || !callArguments(node).some((a) => a.type === 'func_literal')) return undefined;
  const receiver = node.childForFieldName('function')?.childForFieldName('operand')?.text ?? '';
  return { kind: `${receiver}.${kind}(func…)`, savepoint: false };
}

export const goShape: LanguageShape = {
  loopTypes: LOOP_TYPES,
  functionTypes: FUNCTION_TYPES,
  detectScope,
  scopeTypes: ['call_expression'],
  // Methods are keyed by their receiver's type: two types' `storageDelete` are two functions.
  className: goClassName,
};

/**
 * `for` statements around the node, outermost first, except where it is their range expression or a for clause's
 * initializer: those run once (`for _, id := range s.lockTeam(ctx)` calls lockTeam once).
 */
function bodyLoopsAround(node: Node): LoopInfo[] {
  const loops: LoopInfo[] = [];
  let child = node;
  let grandchild: Node | undefined;
  for (let a = parentOf(node); a !== null; grandchild = child, child = a, a = parentOf(a)) {
    const kind = LOOP_TYPES[a.type];
    if (kind === undefined) continue;
    // The condition and the post statement run every iteration; the range expression and the initializer once.
    const once =
      child.type === 'range_clause' ||
      (child.type === 'for_clause' && grandchild !== undefined && child.childForFieldName('initializer')?.id === grandchild.id);
    if (!once) loops.unshift({ range: rangeOf(a), kind });
  }
  return loops;
}

/** Loops around a node, outermost first: `for` statements (their bodies) and per-item callbacks. */
export function goLoops(node: Node): LoopInfo[] {
  const loops = bodyLoopsAround(node);
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (a.type !== 'func_literal' || parentOf(a)?.type !== 'argument_list') continue;
    const call = parentOf(parentOf(a));
    const kind = call === null ? undefined : CALLBACK_LOOPS[calledMethod(call) ?? ''];
    if (call === null || kind === undefined) continue;
    const range = rangeOf(call);
    const at = loops.findIndex(
      (l) =>
        l.range.start.line > range.start.line ||
        (l.range.start.line === range.start.line && l.range.start.character > range.start.character),
    );
    loops.splice(at < 0 ? loops.length : at, 0, { range, kind });
  }
  return loops;
}

/**
 * Inside a func literal its function returns (`return func(…) error { … }`, nakama's runtime bindings): the body runs
 * when the caller invokes the returned function later, not during the call, so it is not part of the function's summary.
 */
export function inReturnedFuncLiteral(node: Node): boolean {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (a.type === 'function_declaration' || a.type === 'method_declaration') return false;
    if (a.type !== 'func_literal') continue;
    const up = parentOf(a);
    if (up?.type === 'return_statement' || (up?.type === 'expression_list' && parentOf(up)?.type === 'return_statement')) return true;
  }
  return false;
}

/** The summary key of code in a returned func literal: no call names it, so its statements stay its own. */
export const returnedFuncName = (outer: string | undefined): string => `${outer ?? ''}#returned-func`;
