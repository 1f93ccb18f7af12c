/**
 * Lock prediction: statements + catalog → the relation locks each statement (and the transaction) takes, in
 * acquisition order, each marked fast path or main table. Pipeline per statement: query model → parse/rewrite/plan
 * requests (sequencer) → execute-phase additions → fast-path assignment (FastPathState, shared across --txn).
 * Needs the SQL parser loaded (loadSqlParser) before the first call.
 */
import { parseSync } from 'libpg-query';
import type { Node } from '@pgsql/types';
import type { Catalog, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import { totalsOf, type LockPlan, type PlannedLock } from '../lock-plan.js';
import type { Statement } from '../statement.js';
import { unwrap } from './ast.js';
import { ddlCompanions } from './ddl-companions.js';
import { dmlFacts } from './dml-facts.js';
import { executePhaseRequests } from './execute-phase.js';
import { FastPathState, type LockRequest } from './fast-path.js';
import { ModelBuilder, type QueryLevel } from './query-model.js';
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

const DML_KINDS = new Set(['select', 'insert', 'update', 'delete', 'merge']);

function firstNode(sql: string): Node | undefined {
  try {
    return parseSync(sql).stmts?.[0]?.stmt;
  } catch {
    return undefined;
  }
}

function viewModel(definition: string): QueryLevel | undefined {
  const node = firstNode(definition);
  return node === undefined ? undefined : new ModelBuilder().build(node);
}

/** Requests of one statement, or an error message. */
function requestsFor(
  statement: Statement,
  catalog: Catalog,
  options: PredictOptions,
  notes: string[],
): { requests: LockRequest[]; error?: string } {
  const node = firstNode(statement.sql);
  if (node === undefined) return { requests: [], error: 'the statement does not parse' };
  const isExplain = unwrap(node, 'ExplainStmt') !== undefined;
  if (DML_KINDS.has(statement.kind)) {
    const model = new ModelBuilder().build(node);
    if (model === undefined) return { requests: [] };
    const sequencer = new LockSequencer(catalog, {
      locksPartitionedIndexes: catalog.profile.versionNum >= 160000,
      generic: options.generic === true,
      viewModel,
    });
    sequencer.run(model);
    notes.push(...sequencer.notes);
    if (sequencer.unknown.length > 0) {
      return { requests: [], error: `relation ${sequencer.unknown.map((n) => `"${n}"`).join(', ')} does not exist` };
    }
    const requests = [...sequencer.requests];
    if (!isExplain) {
      const target = model.target === undefined ? undefined : sequencer.relationOf(model.target);
      requests.push(...executePhaseRequests({ catalog, command: model.command, target, facts: dmlFacts(node), notes }));
    }
    return { requests };
  }
  if (statement.kind === 'ddl') {
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
      requests.push({ relation, mode: ref.mode, phase: 'plan', reason: ref.reason });
    }
    if (missing.length > 0) return { requests: [], error: `relation ${missing.map((n) => `"${n}"`).join(', ')} does not exist` };
    const viewRelations = (definition: string): CatalogRelation[] => {
      const model = viewModel(definition);
      if (model === undefined) return [];
      const sequencer = new LockSequencer(catalog, { locksPartitionedIndexes: false, generic: true, viewModel });
      sequencer.run(model);
      return sequencer.requests.map((r) => r.relation);
    };
    requests.push(...ddlCompanions(catalog, node, viewRelations));
    notes.push(
      'Objects the statement creates (new indexes, tables, rewritten heaps) are locked too but have no name yet; they are not listed.',
    );
    return { requests };
  }
  return { requests: [] };
}

function planOf(locks: PlannedLock[], catalog: Catalog): LockPlan {
  return { locks, totals: totalsOf(locks), profile: catalog.profile };
}

export function predictStatements(statements: readonly Statement[], catalog: Catalog, options: PredictOptions): Prediction {
  let state = new FastPathState(catalog.profile);
  /** The locks of the last transaction a COMMIT or ROLLBACK ended, reported when nothing follows it. */
  let ended: PlannedLock[] = [];
  const results: StatementPrediction[] = [];
  for (const statement of statements) {
    if (!options.txn) state = new FastPathState(catalog.profile);
    const notes: string[] = [];
    const { requests, error } = requestsFor(statement, catalog, options, notes);
    const seen = new Set<PlannedLock>();
    const locks: PlannedLock[] = [];
    for (const request of requests) {
      const heldBefore = state.holds(request);
      const lock = state.acquire(request);
      if (seen.has(lock)) continue;
      seen.add(lock);
      // An earlier statement of the transaction took it: free now, and it keeps the slot (or not) it got then.
      locks.push(heldBefore ? { ...lock, phase: request.phase, reason: `${request.reason} (already held by the transaction)` } : lock);
    }
    results.push({ ...planOf(locks, catalog), statement, notes, error });
    const action = statement.details.transactionAction;
    // COMMIT / ROLLBACK end the transaction: every lock is released and the slots are free again.
    if (options.txn && (action === 'commit' || action === 'rollback')) {
      ended = [...state.acquired];
      state = new FastPathState(catalog.profile);
    }
  }
  const last = state.acquired.length > 0 ? [...state.acquired] : ended;
  return { statements: results, transaction: options.txn ? planOf(last, catalog) : undefined };
}
