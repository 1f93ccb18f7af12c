/** row-lock-without-timeout: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { ruleTests } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('row-lock-without-timeout', {
  valid: [
    { name: 'NOWAIT', input: 'SELECT * FROM t WHERE id = 1 FOR UPDATE NOWAIT;' },
    { name: 'SKIP LOCKED', input: 'SELECT * FROM t FOR UPDATE SKIP LOCKED LIMIT 10;' },
    {
      name: 'lock_timeout set first in the transaction',
      input: "BEGIN;\nSET LOCAL lock_timeout = '2s';\nSELECT * FROM t WHERE id = 1 FOR UPDATE;\nCOMMIT;",
    },
    { name: 'no row lock', input: 'SELECT * FROM t;' },
  ],
  invalid: [
    {
      name: 'plain FOR UPDATE, with a SKIP LOCKED fix',
      input: 'SELECT * FROM t WHERE id = 1 FOR UPDATE;',
      line: 1,
      messageId: 'waitsForever',
      message: /waits as long as the holder/,
      fix: ' SKIP LOCKED',
    },
    {
      name: 'FOR SHARE OF in a transaction',
      input: 'BEGIN;\nSELECT * FROM t JOIN child ON true FOR SHARE OF t;\nCOMMIT;',
      line: 2,
      messageId: 'waitsForever',
      message: /no NOWAIT, SKIP LOCKED or lock_timeout/,
    },
    {
      name: 'lock_timeout set after the lock does not count',
      input: "BEGIN;\nSELECT * FROM t FOR UPDATE;\nSET LOCAL lock_timeout = '2s';\nCOMMIT;",
      line: 2,
      messageId: 'waitsForever',
      message: /waits/,
    },
  ],
});
