/** slow-path-locks: valid and invalid cases. */
import { before } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import type { FileScan } from '../../../src/core/scan/types.js';
import { codeScan, fixtureCatalog, ruleTests, site, txn } from '../../support/rule-harness.js';

before(() => loadSqlParser());

/** A hot-table read in a file at `file`. */
const migrationScan = (file: string): FileScan => ({
  ...codeScan([site(3, 'SELECT * FROM hot WHERE id = 1', { file })]),
  file,
});

ruleTests('slow-path-locks', {
  valid: [
    { name: 'small table', input: 'SELECT * FROM t WHERE id = 1;' },
    { name: 'hot table on PostgreSQL 18 (64 slots)', input: 'SELECT * FROM hot WHERE id = 1;', catalog: fixtureCatalog(180006) },
    { name: 'strong DDL locks are main-table by design', input: 'ALTER TABLE t ADD COLUMN z int;' },
    { name: 'single-site transaction reported once, at the site', input: codeScan([site(3, 'SELECT * FROM t', { transaction: txn(1) })]) },
    {
      // A migration that creates its tables and then links them (hoppscotch's init migration): no traffic yet.
      name: 'DDL on tables created earlier in the file',
      input:
        'CREATE TABLE hot (id int PRIMARY KEY, c1 int);\nALTER TABLE hot ADD CONSTRAINT hot_c1_fkey FOREIGN KEY (c1) REFERENCES hot (id);',
    },
    {
      // A one-off migration (mcp-context-forge's Alembic versions/, hoppscotch's prisma/migrations/): run once by one
      // session, its slow-path locks contend with nothing.
      name: 'hot table in an Alembic migration',
      input: migrationScan('alembic/versions/14ac_add_user_context.py'),
    },
    { name: 'hot table in a Django migration', input: migrationScan('shop/migrations/0042_backfill.py') },
    { name: 'hot table in a SQL migration folder', input: migrationScan('prisma/migrations/20251203_cascade/migration.sql') },
  ],
  invalid: [
    {
      name: 'the same statement in application code',
      input: migrationScan('app/services/orders.py'),
      line: 4,
      messageId: 'statement',
      message: /5 do not fit/,
    },
    {
      name: 'hot table: 21 locks, 5 slow on PostgreSQL 15',
      input: 'SELECT * FROM hot WHERE id = 1;',
      line: 1,
      messageId: 'statement',
      message: /21 locks on 21 relations: 5 do not fit the fast path.*5 on public\.hot/,
    },
    { name: 'hot table updated', input: '\nUPDATE hot SET c1 = 1 WHERE id = 1;', line: 2, messageId: 'statement', message: /5 do not fit/ },
    {
      name: 'the same DDL on a table the file did not create',
      input: 'ALTER TABLE hot ADD CONSTRAINT hot_c1_fkey FOREIGN KEY (c1) REFERENCES hot (id);',
      line: 1,
      messageId: 'statement',
      message: /do not fit the fast path/,
    },
    {
      name: 'transaction past the slots across sites',
      input: codeScan([
        site(3, 'SELECT * FROM t JOIN child ON true', { transaction: txn(1) }),
        site(5, 'SELECT * FROM ev', { transaction: txn(1) }),
        site(7, 'SELECT * FROM u', { transaction: txn(1) }),
      ]),
      line: 2,
      messageId: 'transaction',
      message: /This transaction .*3 queries.*slow-path/,
      related: 3,
    },
  ],
});
