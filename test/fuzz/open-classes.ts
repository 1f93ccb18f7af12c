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
  why: string;
}

export const OPEN_CLASSES: readonly OpenClass[] = [
  {
    cls: /^ddl-(drop-index|rename|add-foreign-key|analyze|vacuum-analyze)/,
    detail: /\//,
    why: 'partitioned DDL does not recurse into partitions',
  },
  { cls: /^ddl-add-foreign-key/, why: 'ADD FOREIGN KEY on a partitioned table: validation of each partition' },
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
      (o.extraOnly !== true || outcome.missing.length === 0),
  );
}
