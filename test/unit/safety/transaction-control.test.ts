/** Transaction control of every kind is refused, under every purpose and with --disposable too. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll, type Expected } from './harness.js';

before(() => loadSqlParser());

const ROWS: ReadonlyArray<readonly [string, Expected]> = [
  ['COMMIT', 'transaction-control'],
  ['END', 'transaction-control'],
  ['commit work', 'transaction-control'],
  ['COMMIT AND CHAIN', 'transaction-control'],
  ['ROLLBACK', 'transaction-control'],
  ['ROLLBACK AND CHAIN', 'transaction-control'],
  ['ABORT', 'transaction-control'],
  ['BEGIN', 'transaction-control'],
  ['BEGIN ISOLATION LEVEL SERIALIZABLE', 'transaction-control'],
  ['START TRANSACTION READ WRITE', 'transaction-control'],
  ['SAVEPOINT s1', 'transaction-control'],
  ['RELEASE SAVEPOINT s1', 'transaction-control'],
  ['ROLLBACK TO SAVEPOINT s1', 'transaction-control'],
  ["PREPARE TRANSACTION 'x'", 'transaction-control'],
  ["COMMIT PREPARED 'x'", 'transaction-control'],
  ["ROLLBACK PREPARED 'x'", 'transaction-control'],
  ['SET TRANSACTION READ WRITE', 'session-state'],
  ['SELECT 1', 'allowed'],
  ["UPDATE t SET note = 'COMMIT' WHERE id = 1", 'allowed'],
];

test('transaction control is refused for every purpose, disposable or not', () => {
  for (const purpose of ['explain', 'execute', 'probe'] as const)
    for (const disposable of [false, true]) expectAll(ROWS, { purpose, disposable });
});

test('several statements in one text are refused: each is sent alone', () => {
  expectAll([
    ['UPDATE t SET v = 1; COMMIT; DELETE FROM t', 'one-statement'],
    ['SELECT 1; SELECT 2', 'one-statement'],
    ['', 'one-statement'],
    ['SELEC 1', 'does-not-parse'],
  ]);
});
