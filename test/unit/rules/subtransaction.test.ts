/** subtransaction and subtransactions-in-loop: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { codeScan, loop, ruleTests } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('subtransaction', {
  valid: [
    { name: 'plain transaction', input: 'BEGIN;\nSELECT 1;\nCOMMIT;' },
    { name: 'DO block without EXCEPTION', input: 'DO $$ BEGIN PERFORM 1; END $$;' },
    { name: 'savepoint in a loop is the loop rule', input: codeScan([], [{ line: 4, loops: [loop(3)] }]) },
  ],
  invalid: [
    {
      name: 'SAVEPOINT',
      input: 'BEGIN;\nSAVEPOINT s1;\nCOMMIT;',
      line: 2,
      messageId: 'opens',
      message: /SAVEPOINT opens a subtransaction/,
    },
    {
      name: 'DO block with EXCEPTION',
      input: 'DO $$ BEGIN BEGIN PERFORM 1; EXCEPTION WHEN others THEN NULL; END; END $$;',
      line: 1,
      messageId: 'opens',
      message: /EXCEPTION block/,
    },
    {
      name: 'ORM nested transaction',
      input: codeScan([], [{ line: 9, kind: 'session.begin_nested()' }]),
      line: 10,
      messageId: 'opens',
      message: /session\.begin_nested\(\) opens a subtransaction/,
    },
  ],
});

ruleTests('subtransactions-in-loop', {
  valid: [
    { name: 'one savepoint', input: codeScan([], [{ line: 2 }]) },
    { name: 'SQL file savepoint', input: 'BEGIN;\nSAVEPOINT a;\nCOMMIT;' },
  ],
  invalid: [
    {
      name: 'begin_nested per iteration',
      input: codeScan([], [{ line: 5, loops: [loop(4)] }]),
      line: 6,
      messageId: 'perIteration',
      message: /inside a for loop: one subtransaction per iteration.*64/,
      related: 1,
    },
    {
      name: 'requires_new in each',
      input: codeScan([], [{ line: 8, kind: 'transaction(requires_new: true)', loops: [loop(7, 'each')] }]),
      line: 9,
      messageId: 'perIteration',
      message: /requires_new.*each loop/,
    },
  ],
});
