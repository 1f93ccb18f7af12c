/**
 * Transaction wrappers written by the project, recognised from their definitions (FileScan.transactionWrappers): a
 * function that begins a transaction and calls its function-typed parameter inside it, or passes that parameter on to
 * such a function (nakama's `ExecuteInTx(ctx, db, fn)` → `executeInTxPostgres`, which begins and calls `fn(tx)`). A
 * function literal handed to one (CallSite.callbacks) runs in a transaction of its own: its sites, calls and
 * subtransactions get that scope, so a loop around the wrapper call commits once per iteration (own-transactions.ts).
 */
import type { CallSite, FileScan, SourceRange, TransactionScope } from '../scan/types.js';
import { CallGraph, functionKey } from './summaries.js';

const idOf = (file: string, key: string): string => `${file}\u0000${key}`;

const before = (a: SourceRange['start'], b: SourceRange['start']): boolean =>
  a.line < b.line || (a.line === b.line && a.character <= b.character);

const contains = (outer: SourceRange, inner: SourceRange): boolean => before(outer.start, inner.start) && before(inner.end, outer.end);

/** Wrapper parameters by function (`file\0key`): those read from bodies, then those passed on to one, to a fixed point. */
function wrapperParameters(scans: readonly FileScan[], graph: CallGraph<never>): Map<string, Set<number>> {
  const wrappers = new Map<string, Set<number>>();
  const add = (id: string, parameter: number): boolean => {
    const set = wrappers.get(id) ?? new Set<number>();
    wrappers.set(id, set);
    if (set.has(parameter)) return false;
    set.add(parameter);
    return true;
  };
  for (const scan of scans) for (const w of scan.transactionWrappers ?? []) add(idOf(scan.file, w.key), w.parameter);
  const forwarding = scans.flatMap((s) => s.calls.filter((c) => c.forwardsCallbacks !== undefined));
  for (let round = 0, changed = wrappers.size > 0; changed && round < 16; round++) {
    changed = false;
    for (const call of forwarding) {
      const target = graph.definitionOf(call);
      const caller = functionKey(call.enclosingFunction, call.enclosingClass);
      const params = target === undefined ? undefined : wrappers.get(idOf(target.file, target.key));
      if (params === undefined || caller === undefined) continue;
      for (const f of call.forwardsCallbacks ?? []) if (params.has(f.argument) && add(idOf(call.file, caller), f.parameter)) changed = true;
    }
  }
  return wrappers;
}

/** The scope a callback given to a wrapper runs in: a transaction of its own, begun by the wrapper. */
function callbackScope(file: string, call: CallSite, range: SourceRange): TransactionScope {
  return {
    id: `${file}#${range.start.line}:${range.start.character}`,
    range,
    kind: `${call.callee}(func…) (a transaction the wrapper begins)`,
    nested: false,
    parentId: undefined,
    independent: true,
  };
}

/** A node's scope once the callback scope applies: the callback's, unless a scope opened inside the callback is nearer. */
function rescoped(current: TransactionScope | undefined, scope: TransactionScope): TransactionScope {
  if (current === undefined) return scope;
  let top = current;
  while (top.parent !== undefined) top = top.parent;
  return contains(top.range, scope.range) ? scope : current;
}

/** The scans with callbacks of transaction wrappers scoped; the same objects when the tree has no wrapper. */
export function callbackTransactions(scans: readonly FileScan[]): readonly FileScan[] {
  if (!scans.some((s) => (s.transactionWrappers?.length ?? 0) > 0)) return scans;
  const graph = new CallGraph<never>(
    scans,
    () => [],
    () => undefined,
    () => undefined,
  );
  const wrappers = wrapperParameters(scans, graph);
  return scans.map((scan) => {
    const scopes: TransactionScope[] = [];
    for (const call of scan.calls) {
      if (call.callbacks === undefined) continue;
      const target = graph.definitionOf(call);
      const params = target === undefined ? undefined : wrappers.get(idOf(target.file, target.key));
      for (const cb of call.callbacks) if (params?.has(cb.argument) === true) scopes.push(callbackScope(scan.file, call, cb.range));
    }
    if (scopes.length === 0) return scan;
    // Outer callbacks first, so a callback nested in another one ends up in its own scope.
    scopes.sort(
      (a, b) =>
        a.range.start.line - b.range.start.line ||
        a.range.start.character - b.range.start.character ||
        b.range.end.line - a.range.end.line ||
        b.range.end.character - a.range.end.character,
    );
    const apply = <T extends { range: SourceRange; transaction: TransactionScope | undefined }>(item: T): T => {
      let transaction = item.transaction;
      for (const scope of scopes) if (contains(scope.range, item.range)) transaction = rescoped(transaction, scope);
      return transaction === item.transaction ? item : { ...item, transaction };
    };
    return { ...scan, sites: scan.sites.map(apply), calls: scan.calls.map(apply) };
  });
}
