/**
 * Scans → analysis: each site's statements parsed and predicted against the catalog, transactions accumulated in
 * site order, and sites reached through calls to local helpers carried to the call (one level), so rules see
 * "this loop calls get_for_update(), which locks a row".
 */
import type { Catalog } from '../catalog.js';
import type { LockPlan } from '../lock-plan.js';
import { predictStatements } from '../predict/index.js';
import { parseSql } from '../sql/index.js';
import type { Statement } from '../statement.js';
import { quoteName } from '../scan/orm/synthesize.js';
import type { CallSite, FileScan, QuerySite, TransactionScope } from '../scan/types.js';

export interface AnalyzedSite {
  site: QuerySite;
  statements: Statement[];
  /** Per-site prediction (all its statements in one transaction), when a catalog is available. */
  plan: LockPlan | undefined;
  notes: string[];
  error: string | undefined;
  /** Set for a helper's site seen from a call: where the call is, and the loops/transaction around the call. */
  via: { callRange: QuerySite['range']; callee: string } | undefined;
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
  const parsed = parseSql(site.sql);
  if (!parsed.ok)
    return { site, statements: [], plan: undefined, notes: [], error: `SQL does not parse: ${parsed.error.message}`, via: undefined };
  // The table is the caller's argument: counted at each call (throughCall), not here.
  if (site.tableParameter !== undefined)
    return {
      site,
      statements: parsed.statements,
      plan: undefined,
      notes: [`the table is the model passed as ${site.tableParameter.name}: counted at each call`],
      error: undefined,
      via: undefined,
    };
  if (catalog === undefined) return { site, statements: parsed.statements, plan: undefined, notes: [], error: undefined, via: undefined };
  const prediction = predictStatements(parsed.statements, catalog, { txn: true });
  const error = prediction.statements.find((s) => s.error !== undefined)?.error;
  return {
    site,
    statements: parsed.statements,
    plan: prediction.transaction,
    notes: prediction.statements.flatMap((s) => s.notes),
    error,
    via: undefined,
  };
}

/** A helper's site as its caller sees it: at the call, inside the call's loops and transaction, with its table. */
function throughCall(inner: AnalyzedSite, call: CallSite, catalog: Catalog | undefined): AnalyzedSite | undefined {
  const site: QuerySite = {
    ...inner.site,
    file: call.file,
    range: call.range,
    loops: [...call.loops, ...inner.site.loops],
    transaction: inner.site.transaction ?? call.transaction,
    enclosingFunction: call.enclosingFunction,
    label: `${call.callee}(): ${inner.site.label}`,
  };
  const parameter = inner.site.tableParameter;
  if (parameter === undefined) return { ...inner, site, via: { callRange: inner.site.range, callee: call.callee } };
  const table = call.argumentTables?.[parameter.index];
  if (table === undefined) return undefined; // the caller passes something Lockscope cannot name
  const { tableParameter: _resolved, ...resolved } = {
    ...site,
    sql: site.sql.split(parameter.placeholder).join(quoteName(table)),
    label: `${call.callee}(${table}): ${inner.site.label}`,
  };
  return { ...analyzeSite(resolved, catalog), via: { callRange: inner.site.range, callee: call.callee } };
}

/** Sites by the function they are in, then by file: how calls find their callee's sites. */
type SitesByFunction = Map<string, Map<string, AnalyzedSite[]>>;

function indexByFunction(byFile: Map<string, AnalyzedSite[]>): SitesByFunction {
  const index: SitesByFunction = new Map();
  for (const [file, sites] of byFile) {
    for (const site of sites) {
      const name = site.site.enclosingFunction;
      if (name === undefined) continue;
      const files = index.get(name) ?? new Map<string, AnalyzedSite[]>();
      files.set(file, [...(files.get(file) ?? []), site]);
      index.set(name, files);
    }
  }
  return index;
}

/** Sites of the function a call names: in the caller's file first, else in the one other file that defines it. */
function calleeSites(call: CallSite, index: SitesByFunction): AnalyzedSite[] {
  const files = index.get(call.callee);
  if (files === undefined || call.callee === call.enclosingFunction) return [];
  const own = files.get(call.file);
  if (own !== undefined) return own;
  const directory = (file: string): string => file.slice(0, Math.max(0, file.replace(/\\/g, '/').lastIndexOf('/')));
  const candidates = [...files].filter(([file]) => call.sameDirectory !== true || directory(file) === directory(call.file));
  return candidates.length === 1 ? (candidates[0]?.[1] ?? []) : [];
}

export function analyze(scans: readonly FileScan[], catalog: Catalog | undefined): Analysis {
  const byFile = new Map<string, AnalyzedSite[]>();
  for (const scan of scans)
    byFile.set(
      scan.file,
      scan.sites.map((s) => analyzeSite(s, catalog)),
    );
  const sites: AnalyzedSite[] = [...byFile.values()].flat();
  const byFunction = indexByFunction(byFile);
  for (const scan of scans) {
    for (const call of scan.calls) {
      for (const inner of calleeSites(call, byFunction)) {
        const seen = throughCall(inner, call, catalog);
        if (seen !== undefined) sites.push(seen);
      }
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
    const statements = txn.sites.flatMap((s) => s.statements);
    if (statements.length > 0 && txn.sites.every((s) => s.error === undefined))
      txn.plan = predictStatements(statements, catalog, { txn: true }).transaction;
  }
  return { scans: [...scans], sites, transactions, catalog };
}
