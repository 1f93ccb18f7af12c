/** One SQL classifier for every scanner: the cases the four old regexes disagreed on, and English that is not SQL. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readsAsSql } from '../../../src/core/sql/reads-as-sql.js';

const cases: Array<[text: string, sql: boolean, why: string]> = [
  ['SELECT * FROM t', true, 'plain SELECT'],
  ['  select 1', true, 'lower case, leading blanks'],
  ['(SELECT 1) UNION (SELECT 2)', true, 'opening parenthesis'],
  ['SHOW lock_timeout', true, 'SHOW (Python missed it)'],
  ['PREPARE q AS SELECT 1', true, 'PREPARE (Ruby and Go missed it)'],
  ['START TRANSACTION ISOLATION LEVEL SERIALIZABLE', true, 'START TRANSACTION (Ruby missed it)'],
  ['-- fetch the order\nSELECT * FROM orders', true, 'a leading line comment (Ruby missed it)'],
  ['/* hint */ UPDATE t SET a = 1', true, 'a leading block comment (Ruby missed it)'],
  ['( -- c\n /* d */ (SELECT 1))', true, 'parentheses and comments interleaved (Python and JS read one order only)'],
  ['END', true, 'END alone commits'],
  ['abort transaction;', true, 'ABORT TRANSACTION'],
  ['WITH x AS (SELECT 1) SELECT * FROM x', true, 'WITH'],
  ['VALUES (1), (2)', true, 'VALUES'],
  ['Start here', false, 'START that is not START TRANSACTION (Go took it)'],
  ['End of list', false, 'END in English (JS took it)'],
  ['Selection cleared', false, 'a word that only begins with a keyword'],
  ['settings.json', false, 'a file name'],
  ['hello world', false, 'prose'],
  ['', false, 'empty'],
  ['-- only a comment', false, 'a comment and nothing else'],
  ['/* unterminated', false, 'an unterminated comment'],
  ['$1', false, 'a placeholder'],
];

for (const [text, sql, why] of cases) {
  test(`reads as SQL: ${why}`, () => {
    assert.equal(readsAsSql(text), sql, JSON.stringify(text));
  });
}
