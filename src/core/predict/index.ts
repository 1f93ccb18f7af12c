/**
 * Lock prediction: statements + catalog → the relation locks each statement (and the transaction) takes, in
 * acquisition order, each marked fast path or main table. Pipeline per statement: query model → parse/rewrite/plan
 * requests (sequencer) → execute-phase additions → fast-path assignment (FastPathState, shared across --txn).
 * Works from the tree and model `parseSql` attached to each statement (nothing is parsed again); a statement's
 * requests do not depend on the transaction around it and are computed once per catalog; view definitions are
 * parsed once per catalog.
 */
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation, structuralOwner } from '../catalog.js';
import { totalsOf, type LockCause, type LockPlan, type PlannedLock } from '../lock-plan.js';
import type { RelationRole, Statement } from '../statement.js';
import { nodeAs } from '../sql/ast.js';
import { parseStatementTree } from '../sql/parse-sql.js';
import type { QueryLevel } from '../sql/query-level.js';
import { ModelBuilder } from '../sql/query-model.js';
import { ddlCompanions } from './ddl-companions.js';
import { dmlFacts, modifyingCtes } from './dml-facts.js';
import { executePhaseRequests } from './execute-phase.js';
import { FastPathState, type LockRequest } from './fast-path.js';
import { LockSequencer } from './sequencer.js';

export interface PredictOptions {
  /** All statements run in one transaction, in order: slots and held locks carry over. */
  txn: boolean;
  /** Predict a prepared statement's cached generic plan instead of a fresh (custom) plan. */
  generic?: boolean;
}

export interface StatementPrediction extends LockPlan {
  statement: Statement;
  /** Things the user should know: parameter-dependent partitions, unmodelled parts. */
  notes: string[];
  /** Set when prediction is impossible, e.g. a relation that does not exist. */
  error: string | undefined;
}

export interface Prediction {
  statements: StatementPrediction[];
  /** With txn: every lock the transaction holds at its end, in acquisition order. */
  transaction: LockPlan | undefined;
}

/** A statement's lock requests in acquisition order, before fast-path assignment. */
interface StatementWork {
  requests: LockRequest[];
  notes: string[];
  error: string | undefined;
}

/** A statement's work as predictStatements replays it: the statement's own requests apart from those COMMIT takes. */
interface ReadyWork {
  own: LockRequest[];
  atCommit: LockRequest[];
  notes: string[];
  error: string | undefined;
}

/**
 * What is worth keeping per catalog: parsed view definitions and each statement's requests (custom and generic),
 * keyed by the statement's tree: everything the requests depend on is derived from it, and the tree is the one
 * object a remembered parse shares between the statement copies it hands out (parse-memo.ts).
 */
interface CatalogWork {
  views: Map<number, ReturnType<typeof parseStatementTree>>;
  custom: WeakMap<object, ReadyWork>;
  generic: WeakMap<object, ReadyWork>;
}

const work = new WeakMap<Catalog, CatalogWork>();

function catalogWork(catalog: Catalog): CatalogWork {
  let entry = work.get(catalog);
  if (entry === undefined) {
    entry = { views: new Map(), custom: new WeakMap(), generic: new WeakMap() };
    work.set(catalog, entry);
  }
  return entry;
}

const DML_KINDS = new Set(['select', 'insert', 'update', 'delete', 'merge']);

const ROLE_CAUSES: Record<RelationRole, LockCause> = {
  read: 'from-item',
  'row-lock': 'row-lock-target',
  'write-target': 'statement-target',
  'ddl-target': 'ddl-target',
};

/** A fresh model of a view's definition (the sequencer expands each reference on its own); parsed once per catalog. */
function viewModelOf(catalog: Catalog): (view: CatalogRelation) => QueryLevel | undefined {
  const views = catalogWork(catalog).views;
  return (view) => {
    if (!views.has(view.oid)) views.set(view.oid, view.viewDefinition === undefined ? undefined : parseStatementTree(view.viewDefinition));
    const tree = views.get(view.oid);
    return tree === undefined ? undefined : new ModelBuilder().build(tree);
  };
}

const missingError = (names: string[]): string => `relation ${names.map((n) => `"${n}"`).join(', ')} does not exist`;

function dmlRequests(statement: Statement, model: QueryLevel, catalog: Catalog, generic: boolean): StatementWork {
  const viewModel = viewModelOf(catalog);
  const sequencer = new LockSequencer(catalog, { locksPartitionedIndexes: catalog.profile.versionNum >= 160000, generic, viewModel });
  sequencer.run(model);
  const notes = [...sequencer.notes];
  if (sequencer.unknown.length > 0) return { requests: [], notes, error: missingError(sequencer.unknown) };
  const requests = [...sequencer.requests];
  if (nodeAs(statement.ast, 'ExplainStmt') === undefined) {
    const ctes = modifyingCtes(statement.ast);
    for (const cte of model.ctes) {
      const body = ctes.get(cte.name);
      if (body === undefined || cte.query.target === undefined) continue;
      const target = sequencer.relationOf(cte.query.target);
      const planned = sequencer.requests;
      requests.push(...executePhaseRequests({ catalog, command: cte.query.command, target, facts: dmlFacts(body, false), notes, planned }));
    }
    const target = model.target === undefined ? undefined : sequencer.relationOf(model.target);
    requests.push(
      ...executePhaseRequests({
        catalog,
        command: model.command,
        target,
        facts: dmlFacts(statement.ast),
        notes,
        planned: sequencer.requests,
      }),
    );
  }
  return { requests, notes, error: undefined };
}

function ddlRequests(statement: Statement, catalog: Catalog): StatementWork {
  const requests: LockRequest[] = [];
  const missing: string[] = [];
  for (const ref of statement.relations) {
    const relation = resolveRelation(catalog, ref.schema, ref.name);
    if (relation === undefined) {
      // CREATE statements name relations that do not exist yet; only existing ones are locked.
      if (ref.role !== 'ddl-target' || !/^CREATE/i.test(statement.command))
        missing.push(ref.schema !== undefined ? `${ref.schema}.${ref.name}` : ref.name);
      continue;
    }
    requests.push({ relation, mode: ref.mode, phase: 'plan', cause: ROLE_CAUSES[ref.role], owner: undefined, reason: ref.reason });
  }
  if (missing.length > 0) return { requests: [], notes: [], error: missingError(missing) };
  const viewModel = viewModelOf(catalog);
  const sequenced = (model: QueryLevel | undefined): LockRequest[] => {
    if (model === undefined) return [];
    const sequencer = new LockSequencer(catalog, {
      locksPartitionedIndexes: catalog.profile.versionNum >= 160000,
      generic: false,
      viewModel,
    });
    sequencer.run(model);
    return sequencer.requests;
  };
  // REFRESH MATERIALIZED VIEW plans and runs the view's query like a SELECT (refresh_matview_datafill); a foreign
  // key's validation runs a query of PostgreSQL's own (RI_Initial_Check), planned like any other.
  const viewQuery = (view: CatalogRelation): LockRequest[] => sequenced(viewModel(view));
  const internalQuery = (sql: string): LockRequest[] => {
    const tree = parseStatementTree(sql);
    return sequenced(tree === undefined ? undefined : new ModelBuilder().build(tree));
  };
  requests.push(...ddlCompanions(catalog, statement.ast, viewQuery, internalQuery));
  const notes = [
    "Relations the statement creates are listed under the names PostgreSQL gives them; a new table's TOAST table is named pg_toast.pg_toast_<table> (its OID is not known before). Transient heaps of rewrites are dropped again and not listed.",
  ];
  return { requests, notes, error: undefined };
}

/** An index or TOAST relation locked without a stated owner belongs to its table. */
function withStructuralOwners(requests: LockRequest[], catalog: Catalog): LockRequest[] {
  return requests.map((r) => {
    if (r.owner !== undefined) return r;
    const kind = r.relation.relkind;
    if (kind !== 'index' && kind !== 'partitioned-index' && kind !== 'toast') return r;
    return { ...r, owner: structuralOwner(catalog, r.relation.oid) };
  });
}

/** Requests of one statement (cached per catalog, statement and plan kind), split once into its own and COMMIT's. */
function statementWork(statement: Statement, catalog: Catalog, generic: boolean): ReadyWork {
  const cache = generic ? catalogWork(catalog).generic : catalogWork(catalog).custom;
  const cached = cache.get(statement.ast);
  if (cached !== undefined) return cached;
  let result: StatementWork = { requests: [], notes: [], error: undefined };
  if (DML_KINDS.has(statement.kind) && statement.model !== undefined) result = dmlRequests(statement, statement.model, catalog, generic);
  else if (statement.kind === 'ddl') result = ddlRequests(statement, catalog);
  const requests = withStructuralOwners(result.requests, catalog);
  const ready: ReadyWork = {
    own: requests.filter((r) => r.atCommit !== true),
    atCommit: requests.filter((r) => r.atCommit === true),
    notes: result.notes,
    error: result.error,
  };
  cache.set(statement.ast, ready);
  return ready;
}

function planOf(locks: PlannedLock[], catalog: Catalog): LockPlan {
  return { locks, totals: totalsOf(locks), profile: catalog.profile };
}

export function predictStatements(statements: readonly Statement[], catalog: Catalog, options: PredictOptions): Prediction {
  let state = new FastPathState(catalog.profile, catalog.databaseOid);
  /** The locks of the last transaction a COMMIT or ROLLBACK ended, reported when nothing follows it. */
  let ended: PlannedLock[] = [];
  const results: StatementPrediction[] = [];
  /** Deferred foreign-key checks of the transaction so far: COMMIT takes their locks (none without --txn). */
  let atCommit: LockRequest[] = [];
  for (const statement of statements) {
    if (!options.txn) state = new FastPathState(catalog.profile, catalog.databaseOid);
    const work = statementWork(statement, catalog, options.generic === true);
    const { notes, error } = work;
    const action = statement.details.transactionAction;
    if (work.atCommit.length > 0) atCommit.push(...work.atCommit);
    let requests = work.own;
    if (options.txn && action === 'commit' && atCommit.length > 0)
      requests = [...requests, ...atCommit.map((r) => ({ ...r, reason: `${r.reason}, at COMMIT` }))];
    if (!options.txn || action === 'commit' || action === 'rollback') atCommit = [];
    const seen = new Set<PlannedLock>();
    const locks: PlannedLock[] = [];
    const released: LockRequest[] = [];
    for (const request of requests) {
      const heldBefore = state.holds(request);
      const lock = state.acquire(request);
      // A transient lock taken here is released at statement end; one held before stays held.
      if (request.transient === true) {
        if (!heldBefore) released.push(request);
        continue;
      }
      if (seen.has(lock)) continue;
      seen.add(lock);
      // An earlier statement of the transaction took it: free now, and it keeps the slot (or not) it got then.
      locks.push(heldBefore ? { ...lock, phase: request.phase, reason: `${request.reason} (already held by the transaction)` } : lock);
    }
    for (const request of released)
      if (!locks.some((l) => l.relationOid === request.relation.oid && l.mode === request.mode)) state.release(request);
    results.push({ ...planOf(locks, catalog), statement, notes: [...notes], error });
    // COMMIT / ROLLBACK end the transaction: every lock is released and the slots are free again.
    if (options.txn && (action === 'commit' || action === 'rollback')) {
      ended = [...state.acquired];
      state = new FastPathState(catalog.profile, catalog.databaseOid);
    }
  }
  const last = state.acquired.length > 0 ? [...state.acquired] : ended;
  return { statements: results, transaction: options.txn ? planOf(last, catalog) : undefined };
}
