/** row-lock-in-loop: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { codeScan, loop, ruleTests, site } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('row-lock-in-loop', {
  valid: [
    { name: 'row lock outside a loop', input: codeScan([site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE')]) },
    { name: 'plain read in a loop', input: codeScan([site(3, 'SELECT * FROM t WHERE id = $1', { loops: [loop(2)] })]) },
    { name: 'SQL file FOR UPDATE (no loops in SQL)', input: 'SELECT * FROM t FOR UPDATE;' },
  ],
  invalid: [
    {
      name: 'FOR UPDATE per iteration',
      input: codeScan([site(4, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { loops: [loop(3)] })]),
      line: 5,
      message: /Row lock on t inside a loop: one SELECT … FOR UPDATE per iteration/,
      related: 1,
    },
    {
      name: 'FOR SHARE in a nested loop',
      input: codeScan([site(6, 'SELECT * FROM child WHERE id = $1 FOR SHARE', { loops: [loop(2), loop(4, 'while')] })]),
      line: 7,
      message: /FOR SHARE per iteration/,
    },
  ],
});
