/** hot-table-indexes: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { ruleTests } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('hot-table-indexes', {
  valid: [
    { name: 'table with one index', input: 'SELECT * FROM t;' },
    { name: 'DDL on the hot table', input: 'ALTER TABLE hot ADD COLUMN z int;' },
    { name: 'unknown relation', input: 'SELECT * FROM nowhere;' },
  ],
  invalid: [
    {
      name: 'read of the hot table',
      input: 'SELECT * FROM hot;',
      line: 1,
      messageId: 'manyIndexes',
      message: /public\.hot has 20 indexes: every statement that plans it takes 21 relation locks/,
    },
    {
      name: 'hot table twice in one statement reported once',
      input: 'SELECT * FROM hot a JOIN hot b ON a.id = b.id;',
      line: 1,
      messageId: 'manyIndexes',
      message: /20 indexes/,
    },
    {
      name: 'insert into the hot table',
      input: 'SELECT 1;\nINSERT INTO hot (id) VALUES (1);',
      line: 2,
      messageId: 'manyIndexes',
      message: /20 indexes/,
    },
  ],
});
