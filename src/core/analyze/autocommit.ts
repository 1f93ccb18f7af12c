/**
 * Django's default autocommit (and ActiveRecord's): outside `transaction.atomic()` (`transaction do`) each statement is
 * a transaction of its own. A loop in a function that only autocommit entry points reach (management commands, Celery
 * tasks, Rails jobs' `perform` — at any depth, through callers that open no transaction around the call) takes and
 * releases its row locks statement by statement: nothing is held from one iteration to the next, so such a loop is no
 * loop for row locks.
 */
import type { CallSite, FileScan, LoopInfo, QuerySite, SourceRange, TransactionScope } from '../scan/types.js';
import { functionKey } from './summaries.js';

/** What this needs of an analysed site (analyze.ts's AnalyzedSite). */
interface Looped {
  site: QuerySite;
  notes: string[];
  via: { callInLoop: boolean } | undefined;
  loopsOutsideTransaction?: number;
}

/** Where a call lands (summaries.ts's CallGraph). */
interface Resolver {
  definitionOf(call: CallSite): { key: string; file: string } | undefined;
}

/**
 * Callers in tests do not decide: Django's TestCase wraps every test in a transaction the application never opens,
 * and a management command's helper called from a test would otherwise look like it may run in one. (`tests/`, not
 * `test/`: a checkout's own path may pass through a `test/` folder.)
 */
const TEST_FILE = /(^|\/)(tests|testing)\/|(^|\/)(test_[^/]*|[^/]*_tests?|tests|conftest)\.py$/;

const contains = (outer: SourceRange, inner: SourceRange): boolean =>
  (outer.start.line < inner.start.line || (outer.start.line === inner.start.line && outer.start.character <= inner.start.character)) &&
  (outer.end.line > inner.end.line || (outer.end.line === inner.end.line && outer.end.character >= inner.end.character));

/** How many of the loops (outermost first) enclose the outermost transaction: all of them when there is none. */
export function loopsOutside(loops: readonly LoopInfo[], transaction: TransactionScope | undefined): number {
  if (transaction === undefined) return loops.length;
  let top = transaction;
  while (top.parent !== undefined) top = top.parent;
  return loops.filter((l) => contains(l.range, top.range)).length;
}

/** A site's loops outside any transaction: carried through calls (analyze.ts), else read from the site itself. */
export function siteLoopsOutside(a: Looped): number {
  return a.loopsOutsideTransaction ?? loopsOutside(a.site.loops, a.site.transaction);
}

/** A callee's site seen at a call: the call's own loops count as outside unless the call is in a transaction. */
export function carriedLoopsOutside(inner: Looped, call: CallSite): number {
  return call.transaction !== undefined ? loopsOutside(call.loops, call.transaction) : call.loops.length + siteLoopsOutside(inner);
}

type Verdict = boolean | 'cycle';

/** Which functions run in autocommit mode only, over the call graph's callers (built on first use). */
export class AutocommitContext {
  private readonly entries = new Set<string>();
  private callers: Map<string, CallSite[]> | undefined;
  private readonly known = new Map<string, boolean>();
  private readonly visiting = new Set<string>();
  private leanedOnCycle = false;

  constructor(
    private readonly scans: readonly FileScan[],
    private readonly graph: Resolver,
  ) {
    for (const scan of scans) for (const key of scan.autocommitEntries ?? []) this.entries.add(`${scan.file}\u0000${key}`);
  }

  /** Does the function `key` defined in `file` run only with no transaction open (an entry, or only called by them)? */
  runs(file: string, key: string): boolean {
    if (this.entries.size === 0) return false;
    return this.verdict(`${file}\u0000${key}`) === true;
  }

  private callerIndex(): Map<string, CallSite[]> {
    if (this.callers !== undefined) return this.callers;
    const callers = new Map<string, CallSite[]>();
    for (const scan of this.scans) {
      if (TEST_FILE.test(scan.file.replace(/\\/g, '/'))) continue;
      for (const call of scan.calls) {
        const target = this.graph.definitionOf(call);
        if (target === undefined) continue;
        const id = `${target.file}\u0000${target.key}`;
        const list = callers.get(id);
        if (list === undefined) callers.set(id, [call]);
        else list.push(call);
      }
    }
    this.callers = callers;
    return callers;
  }

  /**
   * True when every caller calls outside a transaction from a function that is itself autocommit-only. A verdict that
   * leaned on a function still being decided (recursion) is not remembered: that function may turn out false.
   */
  private verdict(id: string): Verdict {
    if (this.entries.has(id)) return true;
    const known = this.known.get(id);
    if (known !== undefined) return known;
    if (this.visiting.has(id)) {
      this.leanedOnCycle = true;
      return 'cycle'; // recursion adds no transaction: neutral
    }
    const outerLeaned = this.leanedOnCycle;
    this.leanedOnCycle = false;
    this.visiting.add(id);
    const calls = this.callerIndex().get(id) ?? [];
    // No caller at all: nothing says it runs outside a transaction.
    let result: Verdict = calls.length === 0 ? false : 'cycle';
    for (const call of calls) {
      const caller = functionKey(call.enclosingFunction, call.enclosingClass);
      const seen: Verdict = call.transaction !== undefined || caller === undefined ? false : this.verdict(`${call.file}\u0000${caller}`);
      if (seen === false) {
        result = false;
        break;
      }
      if (seen === true) result = true;
    }
    this.visiting.delete(id);
    if (result === 'cycle' && this.visiting.size === 0) result = false; // only recursive callers
    if (result === false || !this.leanedOnCycle) this.known.set(id, result === true);
    this.leanedOnCycle ||= outerLeaned;
    return result;
  }
}

/**
 * The site as the rules should see it: a Django or ActiveRecord statement in an autocommit-only function keeps only the loops inside
 * its transaction (none without one). `callLoops` is how many of its loops are the call's, for a site seen at a call.
 */
export function withoutAutocommitLoops<T extends Looped>(a: T, context: AutocommitContext, callLoops = 0): T {
  if ((a.site.origin !== 'django' && a.site.origin !== 'activerecord') || a.site.loops.length === 0) return a;
  const outside = Math.min(siteLoopsOutside(a), a.site.loops.length);
  const key = functionKey(a.site.enclosingFunction, a.site.enclosingClass);
  if (outside === 0 || key === undefined || !context.runs(a.site.file, key)) return a;
  return {
    ...a,
    site: { ...a.site, loops: a.site.loops.slice(outside) },
    notes: [...a.notes, 'autocommit (no transaction around the loop): each statement commits on its own'],
    loopsOutsideTransaction: 0,
    via: a.via === undefined ? undefined : { ...a.via, callInLoop: a.via.callInLoop && callLoops > outside },
  };
}
