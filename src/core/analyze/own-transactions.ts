/**
 * Loops around a transaction of the statement's own: a statement issued on a connection pool or root client commits
 * by itself (QuerySite.autocommit), and a transaction begun on one (TransactionScope.independent: Go `db.BeginTx`, a Go
 * wrapper around its callback, Prisma's `$transaction`) is never joined to a caller's. A loop enclosing that point
 * commits once per iteration (nakama's `JoinGroup` per user, hoppscotch's `$transaction` retry loop): it holds no row
 * from one iteration to the next, so it is no loop for row locks.
 */
import type { CallSite, QuerySite, TransactionScope } from '../scan/types.js';
import { loopsOutside } from './autocommit.js';

/** What this needs of an analysed site (analyze.ts's AnalyzedSite). */
interface Looped {
  site: QuerySite;
  notes: string[];
  via: { callInLoop: boolean } | undefined;
  /** How many of the site's loops (outermost first) enclose its own transaction (or its autocommit statement). */
  ownTransactionLoops?: number;
  loopsOutsideTransaction?: number;
}

const topOf = (scope: TransactionScope | undefined): TransactionScope | undefined => {
  let top = scope;
  while (top?.parent !== undefined) top = top.parent;
  return top;
};

/** For a site of the function itself: all its loops when it autocommits, those around an independent transaction. */
function directOwnLoops(site: QuerySite): number | undefined {
  if (site.autocommit === true && site.transaction === undefined) return site.loops.length;
  return topOf(site.transaction)?.independent === true ? loopsOutside(site.loops, site.transaction) : undefined;
}

/** A site's loops that enclose its own transaction: carried through calls (analyze.ts), else read from the site. */
export function ownLoops(a: Looped): number | undefined {
  return a.ownTransactionLoops ?? directOwnLoops(a.site);
}

/**
 * A callee's site seen at a call: every loop of the call encloses the callee's own transaction; without one, the
 * call's loops outside an independent transaction the call runs in.
 */
export function carriedOwnLoops(inner: Looped, call: CallSite): number | undefined {
  const innerOwn = ownLoops(inner);
  if (innerOwn !== undefined) return call.loops.length + innerOwn;
  return topOf(call.transaction)?.independent === true ? loopsOutside(call.loops, call.transaction) : undefined;
}

/**
 * The site as the rules should see it: without the loops that enclose its own transaction. `callLoops` is how many of
 * its loops are the call's, for a site seen at a call.
 */
export function withoutOwnTransactionLoops<T extends Looped>(a: T, callLoops = 0): T {
  const own = Math.min(ownLoops(a) ?? 0, a.site.loops.length);
  if (own === 0) return a;
  return {
    ...a,
    site: { ...a.site, loops: a.site.loops.slice(own) },
    notes: [
      ...a.notes,
      a.site.autocommit === true && a.site.transaction === undefined
        ? 'issued on a connection pool outside any transaction: each statement commits on its own'
        : `each iteration runs its own transaction (${topOf(a.site.transaction)?.kind ?? 'begun inside the loop'})`,
    ],
    ownTransactionLoops: 0,
    loopsOutsideTransaction: Math.max(0, (a.loopsOutsideTransaction ?? own) - own),
    via: a.via === undefined ? undefined : { ...a.via, callInLoop: a.via.callInLoop && callLoops > own },
  };
}
