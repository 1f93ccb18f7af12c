/**
 * An analysis as it crosses from the analysis worker to the editor: sites, plans, transactions and findings without
 * parse trees, query models, scans or the catalog, so posting it between threads copies what the hover, CodeLens and
 * diagnostics read and nothing else. An AnalyzedSite is a PortableSite, so presenters take either.
 */
import type { Statement } from '../statement.js';
import type { QuerySite } from '../scan/types.js';
import type { Analysis, AnalyzedSite, AnalyzedTransaction } from './analyze.js';

/** What a presenter reads of a statement: its command tag and text (the tree stays where it was parsed). */
export type PortableStatement = Pick<Statement, 'command' | 'sql'>;

export type PortableQuerySite = Omit<QuerySite, 'parsed'>;

export interface PortableSite extends Omit<AnalyzedSite, 'site' | 'statements'> {
  site: PortableQuerySite;
  statements: PortableStatement[];
}

export interface PortableTransaction extends Omit<AnalyzedTransaction, 'sites'> {
  sites: PortableSite[];
}

export interface PortableAnalysis {
  sites: PortableSite[];
  transactions: PortableTransaction[];
}

function portableQuerySite(site: QuerySite): PortableQuerySite {
  // Copied field by field: `parsed` (SQL files' parse trees) must not travel.
  const { parsed: _parsed, ...rest } = site;
  return rest;
}

/**
 * The portable copy of `analysis`. A site shared by the site list and a transaction stays one object, so the
 * structured clone sends it once and the receiver can compare sites by identity.
 */
/** Copies made, per analysed site: an analysis reusing a site object (an unchanged statement) reuses its copy too. */
const copies = new WeakMap<AnalyzedSite, PortableSite>();

export function portableAnalysis(analysis: Analysis): PortableAnalysis {
  const copy = (a: AnalyzedSite): PortableSite => {
    let out = copies.get(a);
    if (out === undefined) {
      out = {
        site: portableQuerySite(a.site),
        statements: a.statements.map((s) => ({ command: s.command, sql: s.sql })),
        plan: a.plan,
        notes: a.notes,
        error: a.error,
        via: a.via,
      };
      copies.set(a, out);
    }
    return out;
  };
  return {
    sites: analysis.sites.map(copy),
    transactions: analysis.transactions.map((t) => ({ scope: t.scope, file: t.file, plan: t.plan, sites: t.sites.map(copy) })),
  };
}
