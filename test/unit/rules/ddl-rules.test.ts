/** ddl-without-lock-timeout and create-index-not-concurrently: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { ruleTests } from '../../support/rule-harness.js';

before(() => loadSqlParser());

ruleTests('ddl-without-lock-timeout', {
  valid: [
    { name: 'lock_timeout first', input: "SET lock_timeout = '3s';\nALTER TABLE t ADD COLUMN z int;" },
    { name: 'weak DDL (SET STATISTICS)', input: 'ALTER TABLE t ALTER COLUMN c SET STATISTICS 100;' },
    { name: 'CREATE INDEX CONCURRENTLY takes SUE', input: 'CREATE INDEX CONCURRENTLY t_c ON t (c);' },
  ],
  invalid: [
    {
      name: 'ADD COLUMN',
      input: 'ALTER TABLE t ADD COLUMN z int;',
      line: 1,
      messageId: 'noTimeout',
      message: /ALTER TABLE takes AccessExclusiveLock on t with no lock_timeout/,
    },
    {
      name: 'CREATE INDEX',
      input: 'SELECT 1;\nCREATE INDEX t_c ON t (c);',
      line: 2,
      messageId: 'noTimeout',
      message: /CREATE INDEX takes ShareLock/,
    },
    {
      name: 'lock_timeout in another transaction does not count',
      input: "BEGIN;\nSET LOCAL lock_timeout = '1s';\nCOMMIT;\nTRUNCATE t;",
      line: 4,
      messageId: 'noTimeout',
      message: /TRUNCATE takes AccessExclusiveLock/,
    },
  ],
});

ruleTests('create-index-not-concurrently', {
  valid: [
    { name: 'CONCURRENTLY', input: 'CREATE INDEX CONCURRENTLY t_c ON t (c);' },
    { name: 'other DDL', input: 'ALTER TABLE t ADD COLUMN z int;' },
  ],
  invalid: [
    {
      name: 'plain CREATE INDEX, with a fix',
      input: 'CREATE INDEX t_c ON t (c);',
      line: 1,
      messageId: 'blocksWrites',
      message: /takes ShareLock: inserts, updates and deletes wait/,
      fix: ' CONCURRENTLY',
    },
    {
      name: 'CREATE UNIQUE INDEX',
      input: '\n\nCREATE UNIQUE INDEX t_u ON t (c);',
      line: 3,
      messageId: 'blocksWrites',
      message: /ShareLock/,
      fix: ' CONCURRENTLY',
    },
  ],
});
