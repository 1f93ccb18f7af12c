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
    { name: 'UPDATE outside a loop', input: codeScan([site(2, 'UPDATE t SET v = 1 WHERE id = $1')]) },
    {
      name: 'INSERT in a loop (no existing row is locked)',
      input: codeScan([site(3, 'INSERT INTO t (v) VALUES ($1)', { loops: [loop(2)] })]),
    },
  ],
  invalid: [
    {
      name: 'FOR UPDATE per iteration',
      input: codeScan([site(4, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { loops: [loop(3)] })]),
      line: 5,
      messageId: 'perIteration',
      message: /Row lock on t inside a loop: one SELECT … FOR UPDATE per iteration/,
      related: 1,
    },
    {
      name: 'FOR SHARE in a nested loop',
      input: codeScan([site(6, 'SELECT * FROM child WHERE id = $1 FOR SHARE', { loops: [loop(2), loop(4, 'while')] })]),
      line: 7,
      messageId: 'perIteration',
      message: /FOR SHARE per iteration/,
    },
    {
      name: 'UPDATE per iteration (promised by the rule, missed before)',
      input: codeScan([site(4, 'UPDATE child SET v = 1 WHERE id = $1', { loops: [loop(3)] })]),
      line: 5,
      messageId: 'perIteration',
      message: /Row lock on child inside a loop: one UPDATE per iteration/,
      related: 1,
    },
    {
      name: 'DELETE per iteration',
      input: codeScan([site(4, 'DELETE FROM child WHERE id = $1', { loops: [loop(3, 'while')] })]),
      line: 5,
      messageId: 'perIteration',
      message: /one DELETE per iteration/,
    },
    {
      name: 'FOR NO KEY UPDATE spelled as SQL spells it (was "FOR NO KEY-UPDATE")',
      input: codeScan([site(4, 'SELECT * FROM t WHERE id = $1 FOR NO KEY UPDATE', { loops: [loop(3)] })]),
      line: 5,
      messageId: 'perIteration',
      message: /one SELECT … FOR NO KEY UPDATE per iteration/,
    },
    {
      name: 'FOR KEY SHARE',
      input: codeScan([site(4, 'SELECT * FROM t WHERE id = $1 FOR KEY SHARE', { loops: [loop(3)] })]),
      line: 5,
      messageId: 'perIteration',
      message: /one SELECT … FOR KEY SHARE per iteration/,
    },
  ],
});
