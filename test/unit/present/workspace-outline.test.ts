/** The side bar's outline of a workspace analysis: findings grouped by rule and the transactions that lock the most. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { findingsByRule, hottestTransactions } from '../../../src/core/present/workspace-outline.js';
import { runRules } from '../../../src/core/rules/index.js';
import { scanSqlText } from '../../../src/core/scan/sql/index.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { fixtureCatalog } from '../../support/rule-harness.js';

before(() => loadSqlParser());

// Three transactions: a cheap one, one on the 20-index table (21 locks, 5 slow-path), one on it and the 3 partitions
// with their indexes (28 locks: the partitioned parent's own index is not opened, 12 slow-path).
const SQL = [
  'BEGIN;',
  'SELECT * FROM t;',
  'COMMIT;',
  'BEGIN;',
  'SELECT * FROM hot;',
  'COMMIT;',
  'BEGIN;',
  'SELECT * FROM hot;',
  'SELECT * FROM ev;',
  'COMMIT;',
  'CREATE INDEX u_c9 ON u (c9);',
].join('\n');

const analysis = (): ReturnType<typeof analyze> => analyze([scanSqlText('/app/q.sql', SQL)], fixtureCatalog());

test('transactions rank by slow-path locks, then all locks, and stop at the limit', () => {
  const ranked = hottestTransactions(analysis(), 2).map((t) => [t.scope.range.start.line, t.plan?.totals.locks, t.plan?.totals.slowpath]);
  assert.deepEqual(ranked, [
    [6, 28, 12],
    [3, 21, 5],
  ]);
});

test('findings group by rule, worst severity first, each group in file and line order', () => {
  const a = analysis();
  const findings = runRules(a);
  const groups = findingsByRule(findings);
  assert.equal(
    groups.reduce((n, g) => n + g.findings.length, 0),
    findings.length,
  );
  const ids = groups.map((g) => g.ruleId);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.includes('hot-table-indexes') && ids.includes('create-index-not-concurrently'), ids.join(', '));
  const order = ['error', 'warning', 'info'];
  for (let i = 1; i < groups.length; i++) {
    assert.ok(order.indexOf(groups[i - 1]?.severity ?? '') <= order.indexOf(groups[i]?.severity ?? ''), ids.join(', '));
  }
  const hot = groups.find((g) => g.ruleId === 'hot-table-indexes');
  assert.deepEqual(
    hot?.findings.map((f) => f.range.start.line),
    [4, 7],
  );
});
