/**
 * Python control flow that decides whether a site's work reaches its callers: a lock taken only under
 * `if with_lock:` (a flag parameter of the function), what each call passes for such flags, and callbacks handed to
 * `transaction.on_commit(…)`, which run after the commit, outside the caller's transaction and loops.
 */
import type { Node } from 'web-tree-sitter';
import { parentOf } from '../../tree-helpers.js';
import type { CallFlags, FlagValue, SiteGuard } from '../../types.js';
import { keywordArgs, positionalArgs } from './syntax.js';
import { descendantsOfType } from '../../descendants.js';

const named = (node: Node | null | undefined): Node[] => (node?.namedChildren ?? []).filter((c): c is Node => c !== null);

function enclosingFunction(node: Node): Node | undefined {
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if (a.type === 'function_definition') return a;
  return undefined;
}

/** A function's parameter by name: its positional index (self/cls not counted) and default, or undefined. */
function parameterOf(fn: Node, name: string): SiteGuard | undefined {
  const parameters = named(fn.childForFieldName('parameters'));
  const first = parameters[0]?.type === 'identifier' ? parameters[0].text : undefined;
  let index = 0;
  let positional = true;
  for (const p of first === 'self' || first === 'cls' ? parameters.slice(1) : parameters) {
    if (p.type === 'keyword_separator' || p.type === 'list_splat_pattern') {
      positional = false;
      continue;
    }
    if (p.type === 'dictionary_splat_pattern') break;
    const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? named(p)[0]);
    if (id?.text === name) {
      const value = p.childForFieldName('value');
      const defaultValue: SiteGuard['defaultValue'] =
        value === null ? 'required' : value.type === 'true' ? 'true' : value.type === 'false' || value.type === 'none' ? 'false' : 'other';
      return { name, ...(positional ? { index } : {}), defaultValue };
    }
    if (positional) index++;
  }
  return undefined;
}

/**
 * The names an `if` condition requires truthy: the condition itself, or any operand of a chain of `and`s. With
 * `notNone`, the names it requires to be set instead (`db is not None`).
 */
function requiredNames(condition: Node, notNone = false): string[] {
  if (condition.type === 'identifier') return notNone ? [] : [condition.text];
  if (condition.type === 'comparison_operator') {
    const [left, right] = named(condition);
    const isNotNone =
      condition.children
        .filter((c) => c !== null && !c.isNamed)
        .map((c) => c?.type)
        .join(' ') === 'is not';
    return notNone && isNotNone && left?.type === 'identifier' && right?.type === 'none' ? [left.text] : [];
  }
  if (condition.type === 'parenthesized_expression') return named(condition).flatMap((c) => requiredNames(c, notNone));
  if (condition.type === 'boolean_operator' && condition.childForFieldName('operator')?.text === 'and') {
    const left = condition.childForFieldName('left');
    const right = condition.childForFieldName('right');
    return [...(left === null ? [] : requiredNames(left, notNone)), ...(right === null ? [] : requiredNames(right, notNone))];
  }
  return [];
}

/**
 * The flag parameter a node runs under: `if with_lock:` / `if x is not None and with_lock:` around it, in the body of
 * the function that declares `with_lock`, or `if db is not None:` on a parameter that defaults to None. Undefined
 * when nothing of the kind encloses it.
 */
export function guardOf(node: Node): SiteGuard | undefined {
  const fn = enclosingFunction(node);
  if (fn === undefined) return undefined;
  let child = node;
  for (let a = parentOf(node); a !== null && a.id !== fn.id; child = a, a = parentOf(a)) {
    if ((a.type !== 'if_statement' && a.type !== 'elif_clause') || a.childForFieldName('consequence')?.id !== child.id) continue;
    const condition = a.childForFieldName('condition');
    for (const name of condition === null ? [] : requiredNames(condition)) {
      const parameter = parameterOf(fn, name);
      if (parameter !== undefined) return parameter;
    }
    // `if db is not None:` with `db=None`: the branch runs only for callers that pass one (mcp-context-forge's
    // `_resolve_auth_code_refresh_headers(…, db=None)`, whose else branch opens its own session).
    for (const name of condition === null ? [] : requiredNames(condition, true)) {
      const parameter = parameterOf(fn, name);
      if (parameter?.defaultValue === 'false') return parameter;
    }
  }
  return undefined;
}

function flagValue(arg: Node): FlagValue {
  if (arg.type === 'true') return true;
  if (arg.type === 'false' || arg.type === 'none') return false;
  if (arg.type === 'identifier') {
    // The caller passes its own flag on (`with_lock=with_lock`): the lock now depends on the caller's callers.
    const fn = enclosingFunction(arg);
    const parameter = fn === undefined ? undefined : parameterOf(fn, arg.text);
    if (parameter !== undefined) return parameter;
  }
  return null;
}

/** What a call passes that a callee's flag guard can read: literal booleans and the caller's own parameters. */
export function callFlags(call: Node): CallFlags | undefined {
  const args = call.childForFieldName('arguments') ?? undefined;
  if (args === undefined || args.namedChildCount === 0) return undefined;
  const keyword: Record<string, FlagValue> = {};
  for (const [name, value] of keywordArgs(args)) keyword[name] = flagValue(value);
  const splat = named(args).some((a) => a.type === 'dictionary_splat' || a.type === 'list_splat');
  return { keyword, positional: positionalArgs(args).map(flagValue), ...(splat ? { splat } : {}) };
}

/** Is this node inside a callback given to `transaction.on_commit(…)` (a lambda, in this function)? */
export function runsAfterCommit(node: Node): boolean {
  for (let a = parentOf(node); a !== null && a.type !== 'function_definition'; a = parentOf(a)) {
    if (a.type !== 'lambda') continue;
    const call =
      a.parent?.type === 'argument_list' ? a.parent.parent : a.parent?.type === 'keyword_argument' ? a.parent.parent?.parent : null;
    const fn = call?.childForFieldName('function');
    const name = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
    if (name === 'on_commit') return true;
  }
  return false;
}

/** Per file: does this loop's body commit (`session.commit()`, `await db.commit()`)? Keyed by node id. */
export type CommitCache = Map<number, boolean>;

function commitsInBody(loop: Node, cache: CommitCache): boolean {
  const known = cache.get(loop.id);
  if (known !== undefined) return known;
  const body = loop.childForFieldName('body');
  const commits = (body === null || body === undefined ? [] : descendantsOfType(body, 'call')).some((call) => {
    const fn = call?.childForFieldName('function');
    return fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'commit';
  });
  cache.set(loop.id, commits);
  return commits;
}

/**
 * Start positions (`line:character`) of the for/while loops around a node whose body commits: each iteration ends
 * its transaction (a batch job's `await session.commit()`), so locks taken in one do not pile up across iterations.
 */
export function committingLoops(node: Node, cache: CommitCache): Set<string> {
  const out = new Set<string>();
  for (let a = parentOf(node); a !== null && a.type !== 'function_definition'; a = parentOf(a)) {
    if ((a.type === 'for_statement' || a.type === 'while_statement') && commitsInBody(a, cache))
      out.add(`${a.startPosition.row}:${a.startPosition.column}`);
  }
  return out;
}
