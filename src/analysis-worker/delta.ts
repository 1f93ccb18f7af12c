/**
 * A document's lint as a delta against the one the host already holds: every site, transaction, finding and problem
 * is keyed by its content, and only those the host does not have cross the thread; identical lock plans are sent as
 * one object. A keystroke in a 5,000-line file then posts the few sites it changed, not 3.5 MB the host's thread must
 * deserialise. The encoder (worker) and decoder (host) each keep one document's current set, in step as long as every
 * delta is decoded in the order it was encoded.
 */
import type { PortableAnalysis, PortableSite, PortableTransaction } from '../core/analyze/portable.js';
import type { LintProblem } from '../core/lint/lint.js';
import type { LockPlan } from '../core/lock-plan.js';
import type { Finding } from '../core/rules/types.js';

/** One file's lint as the editor shows it: portable sites and transactions, its findings and problems. */
export interface DocumentLint {
  analysis: PortableAnalysis;
  findings: Finding[];
  problems: LintProblem[];
}

/** A transaction whose sites are named by id (the sites travel once, in `sites`). */
export type TransactionEntry = Omit<PortableTransaction, 'sites'> & { siteIds: number[] };

export interface DocumentDelta {
  /** Entries new to the host, by id. */
  added: {
    sites: Array<[number, PortableSite]>;
    transactions: Array<[number, TransactionEntry]>;
    findings: Array<[number, Finding]>;
    problems: Array<[number, LintProblem]>;
  };
  /** The document's lint, in order, by id: everything the host holds that is not named here is dropped. */
  order: { sites: number[]; transactions: number[]; findings: number[]; problems: number[] };
}

type Kind = keyof DocumentDelta['order'];

/** Entries of a large delta posted ahead of it, each in its own message (deserialised in its own turn of the host's loop). */
export type DeltaPart = DocumentDelta['added'];

/**
 * Entries per part. The first lint of the bench's 5,000-line file is 1.8 MB in one message, 60–200 ms to deserialise
 * on the host's thread in one go; parts of this many entries (about 100–150 KB) take a few ms each.
 */
export const PART_ENTRIES = 100;

/** `delta` as parts to post first and the rest (its order and the last entries), which the decoder then decodes. */
export function splitDelta(delta: DocumentDelta, entries = PART_ENTRIES): { parts: DeltaPart[]; last: DocumentDelta } {
  const emptyPart = (): DeltaPart => ({ sites: [], transactions: [], findings: [], problems: [] });
  const parts: DeltaPart[] = [];
  let part = emptyPart();
  let size = 0;
  const spread = <T>(list: Array<[number, T]>, slot: (p: DeltaPart) => Array<[number, T]>): void => {
    for (const entry of list) {
      if (size === entries) {
        parts.push(part);
        part = emptyPart();
        size = 0;
      }
      slot(part).push(entry);
      size++;
    }
  };
  spread(delta.added.sites, (p) => p.sites);
  spread(delta.added.transactions, (p) => p.transactions);
  spread(delta.added.findings, (p) => p.findings);
  spread(delta.added.problems, (p) => p.problems);
  return { parts, last: { added: part, order: delta.order } };
}

/** Worker side: one document's entries the host holds, by content. */
export class DeltaEncoder {
  private held = new Map<string, number>();
  private nextId = 1;
  /**
   * Lock plans by content, numbered: a site's key names its plan by number instead of repeating the plan's JSON (1.6
   * KB of a 2.2 KB site key in the bench's file), and a plan object seen before is not stringified again — the
   * analysis shares one plan object per statement tree across lints (analyze.ts).
   */
  private readonly planIds = new Map<string, number>();
  private readonly planIdOf = new WeakMap<LockPlan, number>();
  /** Site keys by object: an unchanged statement's site is the same object lint after lint (scan/sql, portable.ts). */
  private readonly siteKeys = new WeakMap<PortableSite, string>();

  private planKey(plan: LockPlan | undefined): number {
    if (plan === undefined) return 0;
    let id = this.planIdOf.get(plan);
    if (id === undefined) {
      const json = JSON.stringify(plan);
      id = this.planIds.get(json);
      if (id === undefined) this.planIds.set(json, (id = this.planIds.size + 1));
      this.planIdOf.set(plan, id);
    }
    return id;
  }

  encode(lint: DocumentLint): DocumentDelta {
    const next = new Map<string, number>();
    const delta: DocumentDelta = {
      added: { sites: [], transactions: [], findings: [], problems: [] },
      order: { sites: [], transactions: [], findings: [], problems: [] },
    };
    const plans = new Map<number, LockPlan>();
    /** One object per distinct plan, so the structured clone writes it once. */
    const shared = (plan: LockPlan | undefined): LockPlan | undefined => {
      if (plan === undefined) return undefined;
      const id = this.planKey(plan);
      const known = plans.get(id);
      if (known !== undefined) return known;
      plans.set(id, plan);
      return plan;
    };
    const idOf = <T>(kind: Kind, key: string, entry: T, add: (id: number, entry: T) => void): number => {
      const full = `${kind}\u0000${key}`;
      let id = next.get(full) ?? this.held.get(full);
      if (id === undefined) {
        id = this.nextId++;
        add(id, entry);
      }
      next.set(full, id);
      return id;
    };
    const withPlan = (entry: { plan: LockPlan | undefined }): string =>
      `${this.planKey(entry.plan)}\u0000${JSON.stringify({ ...entry, plan: undefined })}`;
    const siteIds = new Map<PortableSite, number>();
    const siteId = (site: PortableSite): number => {
      let id = siteIds.get(site);
      if (id === undefined) {
        let key = this.siteKeys.get(site);
        if (key === undefined) this.siteKeys.set(site, (key = withPlan(site)));
        id = idOf('sites', key, site, (i, s) => delta.added.sites.push([i, { ...s, plan: shared(s.plan) }]));
        siteIds.set(site, id);
      }
      return id;
    };
    for (const site of lint.analysis.sites) delta.order.sites.push(siteId(site));
    for (const t of lint.analysis.transactions) {
      const entry: TransactionEntry = { scope: t.scope, file: t.file, plan: t.plan, siteIds: t.sites.map(siteId) };
      delta.order.transactions.push(
        idOf('transactions', withPlan(entry), entry, (i, e) => delta.added.transactions.push([i, { ...e, plan: shared(e.plan) }])),
      );
    }
    for (const f of lint.findings)
      delta.order.findings.push(idOf('findings', JSON.stringify(f), f, (i, e) => delta.added.findings.push([i, e])));
    for (const p of lint.problems)
      delta.order.problems.push(idOf('problems', JSON.stringify(p), p, (i, e) => delta.added.problems.push([i, e])));
    this.held = next;
    return delta;
  }
}

/** Thrown when a delta names an entry the decoder does not hold: the two sides are out of step (a bug). */
export class DeltaMismatchError extends Error {
  override readonly name = 'DeltaMismatchError';
}

/** Host side: one document's entries, by id. */
export class DeltaDecoder {
  private sites = new Map<number, PortableSite>();
  private transactions = new Map<number, TransactionEntry>();
  private findings = new Map<number, Finding>();
  private problems = new Map<number, LintProblem>();

  /** Takes a part of the next delta ahead of it (splitDelta): its entries are held until that delta names them. */
  accept(part: DeltaPart): void {
    for (const [id, entry] of part.sites) this.sites.set(id, entry);
    for (const [id, entry] of part.transactions) this.transactions.set(id, entry);
    for (const [id, entry] of part.findings) this.findings.set(id, entry);
    for (const [id, entry] of part.problems) this.problems.set(id, entry);
  }

  decode(delta: DocumentDelta): DocumentLint {
    const pick = <T>(held: Map<number, T>, added: Array<[number, T]>, order: number[], kind: Kind): [Map<number, T>, T[]] => {
      for (const [id, entry] of added) held.set(id, entry);
      const kept = new Map<number, T>();
      const list = order.map((id) => {
        const entry = held.get(id);
        if (entry === undefined)
          throw new DeltaMismatchError(`the analysis worker named ${kind} entry ${id}, which this side does not hold`);
        kept.set(id, entry);
        return entry;
      });
      return [kept, list];
    };
    // Sites named only by a transaction (a helper's site through a call) are kept too.
    for (const [id, site] of delta.added.sites) this.sites.set(id, site);
    const [transactions, transactionList] = pick(this.transactions, delta.added.transactions, delta.order.transactions, 'transactions');
    const siteOrder = [...new Set([...delta.order.sites, ...transactionList.flatMap((t) => t.siteIds)])];
    const [sites] = pick(this.sites, [], siteOrder, 'sites');
    const [findings, findingList] = pick(this.findings, delta.added.findings, delta.order.findings, 'findings');
    const [problems, problemList] = pick(this.problems, delta.added.problems, delta.order.problems, 'problems');
    this.sites = sites;
    this.transactions = transactions;
    this.findings = findings;
    this.problems = problems;
    const site = (id: number): PortableSite => {
      const found = sites.get(id);
      if (found === undefined) throw new DeltaMismatchError(`the analysis worker named site ${id}, which this side does not hold`);
      return found;
    };
    return {
      analysis: {
        sites: delta.order.sites.map(site),
        transactions: transactionList.map(({ siteIds, ...t }) => ({ ...t, sites: siteIds.map(site) })),
      },
      findings: findingList,
      problems: problemList,
    };
  }
}
