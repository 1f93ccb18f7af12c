/** partition-without-pruning: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { ruleTests } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('partition-without-pruning', {
  valid: [
    { name: 'constant key prunes', input: 'SELECT * FROM ev WHERE k = 5;' },
    { name: 'range on the key prunes', input: 'SELECT * FROM ev WHERE k >= 10 AND k < 20;' },
    { name: 'ONLY the parent', input: 'SELECT * FROM ONLY ev;' },
    { name: 'INSERT routes rows', input: 'INSERT INTO ev (k) VALUES (5);' },
  ],
  invalid: [
    {
      name: 'no condition',
      input: 'SELECT count(*) FROM ev;',
      line: 1,
      messageId: 'allPartitions',
      message: /Reads all 3 partitions of public\.ev.*no condition on k/,
    },
    {
      name: 'condition on another column',
      input: 'SELECT * FROM ev WHERE v = 1;',
      line: 1,
      messageId: 'allPartitions',
      message: /all 3 partitions/,
    },
    {
      name: 'run-time pruning only',
      input: '\nSELECT * FROM ev WHERE k = (SELECT 5);',
      line: 2,
      messageId: 'allPartitions',
      message: /all 3 partitions/,
    },
    {
      name: 'update without the key',
      input: 'UPDATE ev SET v = 1 WHERE v = 2;',
      line: 1,
      messageId: 'allPartitions',
      message: /all 3 partitions/,
    },
  ],
});
