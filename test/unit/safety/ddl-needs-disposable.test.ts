/** DDL in a load probe needs --disposable; under EXPLAIN or one rolled-back execution it is measured as asked. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll, type Expected } from './harness.js';

before(() => loadSqlParser());

const DDL = ['ALTER TABLE t ADD COLUMN c int', 'CREATE INDEX i ON t (v)', 'TRUNCATE t', 'DROP TABLE t', 'LOCK TABLE t'];

test('probe: DDL refused unless disposable', () => {
  expectAll(
    DDL.map((sql) => [sql, 'ddl-needs-disposable'] as const),
    { purpose: 'probe', disposable: false },
  );
  expectAll(
    DDL.map((sql) => [sql, 'allowed'] as const),
    { purpose: 'probe', disposable: true },
  );
});

test('measure (execute, explain): DDL is allowed and rolled back', () => {
  const rows: Array<readonly [string, Expected]> = DDL.map((sql) => [sql, 'allowed'] as const);
  expectAll(rows, { purpose: 'execute' });
  expectAll(rows, { purpose: 'explain' });
});
