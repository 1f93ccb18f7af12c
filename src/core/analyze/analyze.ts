/**
 * Scans → analysis: each site's statements parsed and predicted against the catalog, transactions accumulated in
 * site order, and sites reached through calls carried to the call (any depth, summaries.ts), so rules see
 * "this loop calls set_tool_state(), which calls get_for_update(), which locks a row".
 */
import type { Catalog } from '../catalog.js';
import type { LockPlan } from '../lock-plan.js';
import { predictStatements } from '../predict/index.js';
import { parseSql, withTable } from '../sql/index.js';
import type { ParseOutcome, Statement } from '../statement.js';
import { quoteName } from '../scan/orm/synthesize.js';
import type { CallSite, FileScan, QuerySite, TransactionScope } from '../scan/types.js';
import { AutocommitContext, carriedLoopsOutside, withoutAutocommitLoops } from './autocommit.js';
import { callbackTransactions } from './callback-transactions.js';
import { guardThroughCall } from './flag-guards.js';
import { carriedOwnLoops, withoutOwnTransactionLoops } from './own-transactions.js';
import { CallGraph, functionKey } from './summaries.js';
import { setLockers, sitesOnHeldRows, tablesHeldAtLoop, touchesOnly } from './held-rows.js';

export interface AnalyzedSite {
  site: QuerySite;
  statements: Statement[];
  /** Per-site prediction (all its statements in one transaction), when a catalog is available. */
  plan: LockPlan | undefined;
  notes: string[];
  error: string | undefined;
  /** Set for a helper's site seen from a call: where the call is, and the loops/transaction around the call. */
  via: { callRange: QuerySite['range']; callee: string; callInLoop: boolean } | undefined;
  /**
   * In a loop that only writes rows its function locked as a set before the loop (held-rows.ts), or writing rows the
   * code created itself (QuerySite.ownRows): no waits there.
   */
  rowsHeld?: true;
  /** For a site seen through calls: how many of its loops (outermost first) no transaction encloses (autocommit.ts). */
  loopsOutsideTransaction?: number;
  /** For a site seen through calls: how many of its loops enclose its own transaction (own-transactions.ts). */
  ownTransactionLoops?: number;
}

export interface AnalyzedTransaction {
  scope: TransactionScope;
  file: string;
  sites: AnalyzedSite[];
  plan: LockPlan | undefined;
}

export interface Analysis {
  scans: FileScan[];
  sites: AnalyzedSite[];
  transactions: AnalyzedTransaction[];
  catalog: Catalog | undefined;
}

function analyzeSite(site: QuerySite, catalog: Catalog | undefined): AnalyzedSite {
  const parsed: ParseOutcome = site.parsed !== undefined ? { ok: true, statements: site.parsed } : parseSql(site.sql);
  if (!parsed.ok)
    return { site, statements: [], plan: undefined, notes: [], error: `SQL does not parse: ${parsed.error.message}`, via: undefined };
  // The table is the caller's argument: counted at each call (throughCall), not here.
  if (site.tableParameter !== undefined)
    return {
      site,
      statements: parsed.statements,
      plan: undefined,
      notes: [
        site.tableParameter.index < 0
          ? `the model is ${site.tableParameter.name}, known only at run time: no table to predict`
          : `the table is the model passed as ${site.tableParameter.name}: counted at each call`,
      ],
      error: undefined,
      via: undefined,
    };
  if (catalog === undefined) return { site, statements: parsed.statements, plan: undefined, notes: [], error: undefined, via: undefined };
  return { site, ...predictedOnce(parsed.statements, catalog), via: undefined };
}

type SitePrediction = Pick<AnalyzedSite, 'statements' | 'plan' | 'notes' | 'error'>;

/**
 * A transaction's plan per its sites (the very objects, in order) and catalog, kept with its first site: after a
 * keystroke every transaction the edit left alone keeps its plan object instead of accumulating its statements again
 * (the 556 transactions of the editor bench's Python file were all predicted per keystroke).
 */
const transactionPlans = new WeakMap<AnalyzedSite, { sites: AnalyzedSite[]; catalog: Catalog; plan: LockPlan | undefined }>();

function transactionPlan(sites: AnalyzedSite[], catalog: Catalog): LockPlan | undefined {
  const first = sites[0];
  if (first === undefined) return undefined;
  const known = transactionPlans.get(first);
  if (known?.catalog === catalog && known.sites.length === sites.length && known.sites.every((s, i) => s === sites[i])) return known.plan;
  const statements = sites.flatMap((s) => s.statements);
  const plan =
    statements.length > 0 && sites.every((s) => s.error === undefined)
      ? predictStatements(statements, catalog, { txn: true }).transaction
      : undefined;
  transactionPlans.set(first, { sites: [...sites], catalog, plan });
  return plan;
}

/**
 * A site's prediction per catalog and statement text (a prediction reads only the parsed statements, and the same
 * text parses to the same statements; the relations named are part of the key): after a keystroke every unchanged statement of the file, moved or not, in a
 * new site object, reuses its plan instead of accumulating its transaction again. Results are shared: read-only.
 */
const predictions = new WeakMap<Catalog, Map<string, SitePrediction>>();
/** Bounds: the most recently used texts of up to this many characters each. */
const MAX_PREDICTIONS = 8192;
const MAX_PREDICTION_KEY_CHARS = 16 * 1024;

function predictedOnce(statements: Statement[], catalog: Catalog): SitePrediction {
  // The relations too: a helper's statement renamed for its caller's table (withTable) is keyed by the tree's names.
  const key = statements.map((s) => `${s.sql}\u0001${s.relations.map((r) => `${r.schema ?? ''}.${r.name}`).join(',')}`).join('\u0000');
  let byText = predictions.get(catalog);
  const known = byText?.get(key);
  if (known !== undefined) {
    // Map order is insertion order: re-inserting keeps the most recently used last.
    byText?.delete(key);
    byText?.set(key, known);
    return { ...known, statements };
  }
  const predicted = predictStatements(statements, catalog, { txn: true });
  const prediction: SitePrediction = {
    statements,
    plan: predicted.transaction,
    notes: predicted.statements.flatMap((s) => s.notes),
    error: predicted.statements.find((s) => s.error !== undefined)?.error,
  };
  if (key.length <= MAX_PREDICTION_KEY_CHARS) {
    if (byText === undefined) predictions.set(catalog, (byText = new Map()));
    byText.set(key, prediction);
    if (byText.size > MAX_PREDICTIONS) byText.delete(byText.keys().next().value as string);
  }
  return prediction;
}

/**
 * A helper's site as its caller sees it (carriedSite), marked rowsHeld when the call's loop only writes rows its
 * function locked as a set before the loop or as the loop's iterable (`heldAt`: those tables, held-rows.ts).
 */
function throughCall(
  inner: AnalyzedSite,
  call: CallSite,
  catalog: Catalog | undefined,
  heldAt: (call: CallSite) => ReadonlySet<string> | undefined,
): AnalyzedSite | undefined {
  const carried = carriedSite(inner, call, catalog);
  if (carried === undefined || carried.rowsHeld === true || inner.site.loops.length > 0) return carried;
  const held = heldAt(call);
  return held !== undefined && touchesOnly(carried, held) ? { ...carried, rowsHeld: true } : carried;
}

/** A helper's site as its caller sees it: at the call, inside the call's loops and transaction, with its table. */
function carriedSite(inner: AnalyzedSite, call: CallSite, catalog: Catalog | undefined): AnalyzedSite | undefined {
  const guarded = guardThroughCall(inner.site.guard, call);
  if (!guarded.runs) return undefined; // `with_lock=False`: the callee's lock is not taken on this path
  const site: QuerySite = {
    ...inner.site,
    file: call.file,
    range: call.range,
    loops: [...call.loops, ...inner.site.loops],
    transaction: inner.site.transaction ?? call.transaction,
    enclosingFunction: call.enclosingFunction,
    enclosingClass: call.enclosingClass,
    label: `${call.callee}(): ${inner.site.label}`,
  };
  if (call.afterCommit === true) site.afterCommit = true;
  if (call.enclosingClass === undefined) delete site.enclosingClass;
  if (guarded.guard === undefined) delete site.guard;
  else site.guard = guarded.guard;
  const parameter = inner.site.tableParameter;
  const loopsOutsideTransaction = carriedLoopsOutside(inner, call);
  const ownTransactionLoops = carriedOwnLoops(inner, call);
  if (parameter === undefined)
    return {
      ...inner,
      site,
      loopsOutsideTransaction,
      ownTransactionLoops,
      via: { callRange: inner.site.range, callee: call.callee, callInLoop: call.loops.length > 0 },
    };
  const table = call.argumentTables?.[parameter.index];
  if (table === undefined) {
    // The caller passes its own parameter on: the table is still its caller's to name.
    const passed = call.argumentParameters?.[parameter.index];
    if (passed === undefined) return undefined; // the caller passes something Lockscope cannot name
    return {
      ...inner,
      site: { ...site, tableParameter: { ...parameter, index: passed } },
      loopsOutsideTransaction,
      ownTransactionLoops,
      via: { callRange: inner.site.range, callee: call.callee, callInLoop: call.loops.length > 0 },
    };
  }
  const {
    tableParameter: _resolved,
    parsed: _helperStatements,
    ...resolved
  } = {
    ...site,
    sql: site.sql.split(parameter.placeholder).join(quoteName(table)),
    label: `${call.callee}(${table}): ${inner.site.label}`,
  };
  // The helper's statements renamed in their trees (no parse); text that did not parse is parsed again and fails again.
  const statements = inner.statements.map((s) => renamed(s, parameter.placeholder, table));
  const withStatements: QuerySite = statements.length > 0 ? { ...resolved, parsed: statements } : resolved;
  return {
    ...analyzeSite(withStatements, catalog),
    loopsOutsideTransaction,
    ownTransactionLoops,
    via: { callRange: inner.site.range, callee: call.callee, callInLoop: call.loops.length > 0 },
  };
}

/** A helper's statement per table its callers pass, made once: every call with that table shares its prediction. */
const renamedStatements = new WeakMap<object, Map<string, Statement>>();

function renamed(statement: Statement, placeholder: string, table: string): Statement {
  let byTable = renamedStatements.get(statement.ast);
  if (byTable === undefined) {
    byTable = new Map();
    renamedStatements.set(statement.ast, byTable);
  }
  const key = `${placeholder}\u0000${table}`;
  let result = byTable.get(key);
  if (result === undefined) {
    result = withTable(statement, placeholder, table);
    byTable.set(key, result);
  }
  return result;
}

/** Analysed sites per catalog (a stand-in key without one), per site object: an index's unchanged scans cost nothing. */
const analysedSites = new WeakMap<object, WeakMap<QuerySite, AnalyzedSite>>();
const NO_CATALOG = {};

function analyzedOnce(site: QuerySite, catalog: Catalog | undefined): AnalyzedSite {
  const key = catalog ?? NO_CATALOG;
  let cache = analysedSites.get(key);
  if (cache === undefined) {
    cache = new WeakMap();
    analysedSites.set(key, cache);
  }
  let analysed = cache.get(site);
  if (analysed === undefined) {
    analysed = analyzeSite(site, catalog);
    cache.set(site, analysed);
  }
  return analysed;
}

export interface AnalyzeOptions {
  /**
   * Only these files' sites and calls are reported (the editor's open document); every scan still feeds the call
   * graph, so a call sees what its callee in another file does. Default: all files.
   */
  focus?: ReadonlySet<string>;
}

export function analyze(scanned: readonly FileScan[], catalog: Catalog | undefined, options: AnalyzeOptions = {}): Analysis {
  // Callbacks handed to a project's transaction wrapper (Go `ExecuteInTx(ctx, db, func(tx) …)`) run in its transaction.
  const scans = callbackTransactions(scanned);
  const byFile = new Map<string, AnalyzedSite[]>();
  for (const scan of scans) {
    const analysed = scan.sites.map((s) => analyzedOnce(s, catalog));
    const held = sitesOnHeldRows(analysed);
    // Rows locked as a set before the loop, or rows the code created itself: no iteration waits for them.
    const waitsNot = (a: AnalyzedSite): boolean => held.has(a) || a.site.ownRows === true;
    byFile.set(scan.file, analysed.some(waitsNot) ? analysed.map((a) => (waitsNot(a) ? { ...a, rowsHeld: true as const } : a)) : analysed);
  }
  const lockersByFile = new Map<string, AnalyzedSite[]>();
  const heldByCall = new WeakMap<CallSite, ReadonlySet<string> | undefined>();
  const heldAt = (call: CallSite): ReadonlySet<string> | undefined => {
    if (heldByCall.has(call)) return heldByCall.get(call);
    const loop = call.loops[call.loops.length - 1];
    const unit = functionKey(call.enclosingFunction, call.enclosingClass);
    let lockers = lockersByFile.get(call.file);
    if (lockers === undefined) lockersByFile.set(call.file, (lockers = setLockers(byFile.get(call.file) ?? [])));
    const held = loop === undefined || unit === undefined || lockers.length === 0 ? undefined : tablesHeldAtLoop(lockers, unit, loop);
    heldByCall.set(call, held !== undefined && held.size > 0 ? held : undefined);
    return heldByCall.get(call);
  };
  const focus = options.focus;
  const reported = focus === undefined ? [...scans] : scans.filter((s) => focus.has(s.file));
  const graph = new CallGraph<AnalyzedSite>(
    scans,
    (scan) => byFile.get(scan.file) ?? [],
    (a) => functionKey(a.site.enclosingFunction, a.site.enclosingClass),
    (inner, call) => throughCall(inner, call, catalog, heldAt),
  );
  const autocommit = new AutocommitContext(scans, graph);
  const sites: AnalyzedSite[] = reported.flatMap((s) =>
    (byFile.get(s.file) ?? []).map((a) => withoutAutocommitLoops(withoutOwnTransactionLoops(a), autocommit)),
  );
  for (const scan of reported) {
    for (const call of scan.calls) {
      // A site still waiting for its table (a generic helper passing its model parameter on) is the callee's own
      // site again: it counts where a caller finally names the model.
      for (const seen of graph.throughCall(call))
        if (seen.site.tableParameter === undefined)
          sites.push(withoutAutocommitLoops(withoutOwnTransactionLoops(seen, call.loops.length), autocommit, call.loops.length));
    }
  }
  const byScope = new Map<string, AnalyzedTransaction>();
  for (const analyzed of sites) {
    // A savepoint's locks are held by the top-level transaction until it ends: count them there.
    let scope = analyzed.site.transaction;
    while (scope?.parent !== undefined) scope = scope.parent;
    if (scope === undefined) continue;
    const entry = byScope.get(scope.id) ?? { scope, file: analyzed.site.file, sites: [], plan: undefined };
    entry.sites.push(analyzed);
    byScope.set(scope.id, entry);
  }
  const transactions = [...byScope.values()];
  for (const txn of transactions) {
    txn.sites.sort(
      (a, b) => a.site.range.start.line - b.site.range.start.line || a.site.range.start.character - b.site.range.start.character,
    );
    if (catalog === undefined) continue;
    txn.plan = transactionPlan(txn.sites, catalog);
  }
  return { scans: reported, sites, transactions, catalog };
}
