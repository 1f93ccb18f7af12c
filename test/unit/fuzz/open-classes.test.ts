/** The fuzzer's open classes: which mismatches a class covers, by its symptom (table-driven). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseOutcome } from '../../fuzz/differential.js';
import { openClassOf } from '../../fuzz/open-classes.js';

function outcome(cls: string, missing: string[], extra: string[], createdStrongLocks?: boolean): CaseOutcome {
  return {
    ...(createdStrongLocks === undefined ? {} : { createdStrongLocks }),
    fuzzCase: { cls, detail: 'plain', sql: 'SELECT 1', measure: 'execute' },
    target: 'pg18',
    exact: false,
    missing,
    extra,
    error: undefined,
  };
}

const cases: { name: string; outcome: CaseOutcome; open: boolean }[] = [
  {
    name: 'DDL: flags the measured OIDs of created relations explain (replayed with them, the prediction equals pg_locks)',
    outcome: outcome(
      'ddl-refresh-matview',
      ['fz.i AccessShareLock slow', 'fz.j AccessShareLock fast'],
      ['fz.i AccessShareLock fast', 'fz.j AccessShareLock slow'],
      true,
    ),
    open: true,
  },
  {
    name: 'DDL: a demoted lock the created relations do not explain is a mismatch',
    outcome: outcome('ddl-refresh-matview', ['fz.i AccessShareLock slow'], ['fz.i AccessShareLock fast'], false),
    open: false,
  },
  {
    name: 'DDL: the same swap without the check is a mismatch',
    outcome: outcome(
      'ddl-cluster',
      ['fz.i AccessShareLock slow', 'fz.j AccessShareLock fast'],
      ['fz.i AccessShareLock fast', 'fz.j AccessShareLock slow'],
    ),
    open: false,
  },
  {
    name: 'DML: never this class (no relation is created), even when flagged',
    outcome: outcome('select-join', ['fz.i AccessShareLock slow'], ['fz.i AccessShareLock fast'], true),
    open: false,
  },
  {
    name: "UPDATE: a parent's AccessShareLock predicted and not taken",
    outcome: outcome('exec-update', [], ['fz.q1_p0 AccessShareLock fast']),
    open: true,
  },
  {
    name: "UPDATE: a parent's AccessShareLock taken and not predicted",
    outcome: outcome('exec-update', ['fz.q1_p0 AccessShareLock fast'], []),
    open: false,
  },
];

for (const c of cases) {
  test(c.name, () => {
    assert.equal(openClassOf(c.outcome) !== undefined, c.open);
  });
}
