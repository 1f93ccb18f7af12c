/** Commands PostgreSQL runs outside any transaction are refused even on a disposable database. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll } from './harness.js';

before(() => loadSqlParser());

test('non-transactional commands are refused', () => {
  for (const disposable of [false, true])
    expectAll(
      [
        ['CREATE DATABASE x', 'non-transactional'],
        ['DROP DATABASE x', 'non-transactional'],
        ["ALTER SYSTEM SET work_mem = '1GB'", 'non-transactional'],
        ["CREATE TABLESPACE ts LOCATION '/tmp'", 'non-transactional'],
        ['DROP TABLESPACE ts', 'non-transactional'],
        ['CHECKPOINT', 'non-transactional'],
        ['VACUUM t', 'non-transactional'],
        ['VACUUM (ANALYZE) t', 'non-transactional'],
        ['CREATE INDEX CONCURRENTLY i ON t (v)', 'non-transactional'],
        ['DROP INDEX CONCURRENTLY i', 'non-transactional'],
        ['REINDEX TABLE CONCURRENTLY t', 'non-transactional'],
        ['REINDEX DATABASE postgres', 'non-transactional'],
        ['CLUSTER', 'non-transactional'],
        ["CREATE SUBSCRIPTION s CONNECTION 'host=x' PUBLICATION p", 'non-transactional'],
        ['DROP SUBSCRIPTION s', 'non-transactional'],
        ['ANALYZE t', 'allowed'],
        ['CREATE INDEX i ON t (v)', 'allowed'],
        ['REINDEX TABLE t', 'allowed'],
      ],
      { purpose: 'execute', disposable },
    );
});
