/**
 * Mismatch classes the fuzzer finds that the predictor does not model yet, each with the reason. The fixed-seed run
 * in `npm test` fails on a mismatch in any other class; a class leaves this list when its fix lands (with a
 * regression case in test/integration/accuracy/regressions.ts). The long run (`npm run fuzz`) reports all classes.
 */
import type { CaseOutcome } from './differential.js';

export interface OpenClass {
  /** Matches FuzzCase.cls. */
  cls: RegExp;
  /** Matches FuzzCase.detail (strategy/type) when only some key types are open. */
  detail?: RegExp;
  /** Only when every differing lock matches (a class defined by its symptom, e.g. one lock on the parent). */
  locks?: RegExp;
  /** Only when every differing lock is predicted and not taken (the prediction assumed rows the seeded data lacks). */
  extraOnly?: boolean;
  /**
   * Only when the measured OIDs of the relations the statement created explain the case exactly (CaseOutcome's
   * createdStrongLocks: replayed with them, the prediction equals pg_locks).
   */
  createdStrongLocks?: boolean;
  why: string;
}

export const OPEN_CLASSES: readonly OpenClass[] = [
  {
    cls: /^ddl-(drop-index|rename|analyze|vacuum-analyze)/,
    detail: /\//,
    why: 'partitioned DDL does not recurse into partitions',
  },
  {
    // Measured on the fixed seed (schema 0, PGlite 18, database OID 5): REFRESH's transient heap got OID 16669, whose
    // lock tag falls in the same of the 1,024 partitions as fz.q1_p1_k_n_idx (16543); re-run with the heap at 16672,
    // every lock matched. Now verified case by case: the prediction replayed with the created relations' real OIDs
    // must equal pg_locks.
    cls: /^ddl-/,
    createdStrongLocks: true,
    why: "a strong lock on a relation the statement creates (REFRESH's or CLUSTER's transient heap, a new table or index) whose OID is not known before it runs: a weak lock whose lock tag hashes into the same one of PostgreSQL's 1,024 FastPathStrongRelationLocks partitions goes to the main lock table (lock.c), and in PostgreSQL 15 the slot it leaves goes to a later lock. Counted here only when the prediction replayed with the measured OIDs equals pg_locks",
  },
  {
    cls: /^exec-(update|delete)/,
    locks: /^fz\.q\d+\w* AccessShareLock /,
    extraOnly: true,
    why: "partition constraint of an updated row: checking it (generate_partition_qual) locks the parent of the row's leaf in AccessShareLock. Lockscope predicts the parent of every leaf that may hold a row the statement or a SET NULL / SET DEFAULT action updates; when the seeded data has no such row there (a DELETE whose key no row references, a hash partition no seeded row hashes to), PostgreSQL checks nothing",
  },
];

export function openClassOf(outcome: CaseOutcome): OpenClass | undefined {
  const { cls, detail } = outcome.fuzzCase;
  const differing = [...outcome.missing, ...outcome.extra];
  return OPEN_CLASSES.find(
    (o) =>
      o.cls.test(cls) &&
      (o.detail === undefined || o.detail.test(detail)) &&
      (o.locks === undefined || (differing.length > 0 && differing.every((k) => o.locks?.test(k) === true))) &&
      (o.extraOnly !== true || outcome.missing.length === 0) &&
      (o.createdStrongLocks !== true || outcome.createdStrongLocks === true),
  );
}
