/** cascading-row-locks: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { codeScan, loop, ruleTests, site, txn } from '../../support/rule-harness.js';

before(() => loadSqlParser());

const parent = site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { transaction: txn(1) });

ruleTests('cascading-row-locks', {
  valid: [
    {
      name: 'parent lock and one bulk update',
      input: codeScan([parent, site(4, 'UPDATE child SET v = 1 WHERE t_id = $1', { transaction: txn(1) })]),
    },
    {
      name: 'child locks in a loop without a parent lock',
      input: codeScan([site(4, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', { transaction: txn(1), loops: [loop(3)] })]),
    },
    {
      name: 'loop in another transaction',
      input: codeScan([
        parent,
        site(30, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', { transaction: txn(28), loops: [loop(29)], enclosingFunction: 'other' }),
      ]),
    },
    {
      // Each call of a function that opens its own transaction is a new transaction: the parent of one call and the
      // loop of another share the block's id only (saleor's two on_commit callbacks of one helper).
      name: 'two calls of a function that opens its own transaction',
      input: codeScan([
        site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { transaction: txn(40), enclosingFunction: 'complete_a' }),
        site(8, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', {
          transaction: txn(40),
          loops: [loop(44)],
          enclosingFunction: 'complete_b',
        }),
      ]),
    },
    {
      name: 'two calls of a function in another file that opens its own transaction',
      input: codeScan([
        site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { transaction: { ...txn(1), id: 'helpers.py#1:0' } }),
        site(5, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', {
          transaction: { ...txn(1), id: 'helpers.py#1:0' },
          loops: [loop(4)],
        }),
      ]),
    },
    {
      // saleor: a parent locked in the function's body, then on_commit(lambda: order_created(…)) whose callee locks
      // each gift card in its own transaction after the commit.
      name: 'a loop that runs in an on_commit callback',
      input: codeScan([
        site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE'),
        site(5, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', { loops: [loop(4)], afterCommit: true }),
      ]),
    },
    {
      name: 'same table locked again in the loop',
      input: codeScan([parent, site(4, 'SELECT * FROM t WHERE id = $1 FOR UPDATE', { transaction: txn(1), loops: [loop(3)] })]),
    },
  ],
  invalid: [
    {
      name: 'gateway pattern: parent FOR UPDATE, children FOR UPDATE in a loop',
      input: codeScan([parent, site(5, 'SELECT * FROM child WHERE id = $1 FOR UPDATE', { transaction: txn(1), loops: [loop(4)] })]),
      line: 6,
      messageId: 'cascade',
      message: /Cascading row locks: t is locked, then child rows are locked one per iteration/,
      related: 2,
    },
    {
      name: 'children updated one by one',
      input: codeScan([parent, site(5, 'UPDATE child SET v = 1 WHERE id = $1', { transaction: txn(1), loops: [loop(4)] })]),
      line: 6,
      messageId: 'cascade',
      message: /then child rows/,
    },
    {
      name: 'same function, no explicit transaction',
      input: codeScan([
        site(2, 'SELECT * FROM t WHERE id = $1 FOR UPDATE'),
        site(5, 'DELETE FROM child WHERE id = $1', { loops: [loop(4)] }),
      ]),
      line: 6,
      messageId: 'cascade',
      message: /Cascading/,
    },
  ],
});
