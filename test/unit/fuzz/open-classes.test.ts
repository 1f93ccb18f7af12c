/** The fuzzer's open classes: which mismatches a class covers, by its symptom (table-driven). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CaseOutcome } from '../../fuzz/differential.js';
import { openClassOf } from '../../fuzz/open-classes.js';

function outcome(cls: string, missing: string[], extra: string[]): CaseOutcome {
  return {
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
    name: 'DDL: one weak lock demoted to the main table (a transient relation shares its strong-lock partition)',
    outcome: outcome('ddl-refresh-matview', ['fz.i AccessShareLock slow'], ['fz.i AccessShareLock fast']),
    open: true,
  },
  {
    name: 'DDL: a lock predicted slow and taken fast is not that class',
    outcome: outcome('ddl-refresh-matview', ['fz.i AccessShareLock fast'], ['fz.i AccessShareLock slow']),
    open: false,
  },
  {
    name: 'DDL: a missing lock beside a demoted one is not that class',
    outcome: outcome('ddl-cluster', ['fz.i AccessShareLock slow', 'fz.t ShareLock slow'], ['fz.i AccessShareLock fast']),
    open: false,
  },
  {
    name: 'DDL: a demoted lock of another relation is not that class',
    outcome: outcome('ddl-cluster', ['fz.i AccessShareLock slow'], ['fz.j AccessShareLock fast']),
    open: false,
  },
  {
    name: 'DML: a demoted lock is not open (no relation is created)',
    outcome: outcome('select-join', ['fz.i AccessShareLock slow'], ['fz.i AccessShareLock fast']),
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
