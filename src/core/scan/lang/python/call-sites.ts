/**
 * What a Python call carries to the analysis: the function or method it names, the tables and parameters it passes,
 * the flag guard it runs under, and whether it runs after the commit (`transaction.on_commit`) or in a loop that commits.
 */
import type { Node } from 'web-tree-sitter';
import type { CallSite, QuerySite } from '../../types.js';
import { methodCallee, type PythonClass } from './classes.js';
import { callFlags, type CommitCache, committingLoops, guardOf, runsAfterCommit } from './guards.js';
import type { PythonEnvironment } from './recognized.js';
import { positionalArgs } from './syntax.js';

/** What a call names: an own or imported function, or a method of a known class (`self.svc.m()`, `super().m()`). */
export function calleeOf(
  call: Node,
  linkable: ReadonlyMap<string, string>,
  classes: ReadonlyMap<string, PythonClass>,
  imports: ReadonlyMap<string, string>,
): { callee: string; extra: { calleeClass?: string } } | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') {
    const defined = linkable.get(fn.text);
    return defined === undefined ? undefined : { callee: defined, extra: {} };
  }
  const method = methodCallee(call, classes);
  if (method === undefined) return undefined;
  return { callee: method.method, extra: { calleeClass: imports.get(method.className) ?? method.className } };
}

/** The tables of model arguments, and which arguments are the caller's own parameters (passed on to a helper). */
export function callArguments(call: Node, env: PythonEnvironment): Pick<CallSite, 'argumentTables' | 'argumentParameters'> {
  const args = positionalArgs(call.childForFieldName('arguments') ?? undefined);
  const argumentTables = args.map((arg) => (arg.type === 'identifier' ? env.model(arg.text)?.table : undefined));
  const argumentParameters = args.map((arg) => (arg.type === 'identifier' ? env.parameterModel(arg)?.parameter?.index : undefined));
  return { argumentTables, ...(argumentParameters.some((p) => p !== undefined) ? { argumentParameters } : {}) };
}

/** A site or call under `if with_lock:` carries the flag; a call also carries what it passes for the callee's flags. */
export function guarded<T extends QuerySite | CallSite>(node: Node, at: T): T {
  const guard = guardOf(node);
  const flags = 'callee' in at ? callFlags(node) : undefined;
  return { ...at, ...(guard === undefined ? {} : { guard }), ...(flags === undefined ? {} : { flags }) };
}

/**
 * `transaction.on_commit(lambda: …)` runs the callback after the commit: outside the transaction and loops around it.
 * A loop whose body commits is no loop for locks: each iteration's locks end with its commit.
 */
export function afterCommit<T extends QuerySite | CallSite>(node: Node, at: T, commits: CommitCache): T {
  if (runsAfterCommit(node)) return { ...at, transaction: undefined, loops: [], afterCommit: true };
  if (at.loops.length === 0) return at;
  const committing = committingLoops(node, commits);
  if (committing.size === 0) return at;
  return { ...at, loops: at.loops.filter((l) => !committing.has(`${l.range.start.line}:${l.range.start.character}`)) };
}
