/** Calls of functions with effects outside the transaction are refused wherever they sit in the tree. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll } from './harness.js';

before(() => loadSqlParser());

test('outside-effect functions are refused anywhere in the tree, disposable or not', () => {
  for (const disposable of [false, true])
    for (const purpose of ['explain', 'execute', 'probe'] as const)
      expectAll(
        [
          ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity', 'outside-effect-function'],
          ['SELECT pg_cancel_backend(42)', 'outside-effect-function'],
          ['SELECT pg_catalog.pg_reload_conf()', 'outside-effect-function'],
          ['SELECT pg_rotate_logfile()', 'outside-effect-function'],
          ["SELECT dblink_exec('dbname=postgres', 'DELETE FROM t')", 'outside-effect-function'],
          ["SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS x(a int)", 'outside-effect-function'],
          ["SELECT lo_import('/etc/hosts')", 'outside-effect-function'],
          ["SELECT lo_export(1234, '/tmp/x')", 'outside-effect-function'],
          ['SELECT lo_unlink(1234)', 'outside-effect-function'],
          ['SELECT pg_advisory_lock(1)', 'outside-effect-function'],
          ['SELECT pg_try_advisory_lock_shared(1)', 'outside-effect-function'],
          ['SELECT pg_advisory_unlock_all()', 'outside-effect-function'],
          ["SELECT pg_notify('chan', 'x')", 'outside-effect-function'],
          ["SELECT set_config('default_transaction_read_only', 'off', false)", 'outside-effect-function'],
          ["SELECT set_config('search_path', 'x', false)", 'outside-effect-function'],
          ["SELECT set_config('role', 'postgres', true)", 'outside-effect-function'],
          ["SELECT set_config(name, 'x', true) FROM names", 'outside-effect-function'],
          ["SELECT pg_read_file('/etc/passwd')", 'outside-effect-function'],
          ["SELECT pg_read_binary_file('/etc/passwd')", 'outside-effect-function'],
          ["SELECT pg_ls_dir('.')", 'outside-effect-function'],
          ["SELECT pg_stat_file('postgresql.conf')", 'outside-effect-function'],
          ["SELECT pg_file_write('x', 'y', false)", 'outside-effect-function'],
          ['SELECT pg_stat_reset()', 'outside-effect-function'],
          ["SELECT query_to_xml('DELETE FROM t', true, false, '')", 'outside-effect-function'],
          // In sublinks, CTEs, DML and defaults of created tables.
          ['SELECT 1 WHERE EXISTS (SELECT pg_terminate_backend(1))', 'outside-effect-function'],
          ['WITH x AS (SELECT pg_advisory_lock(7)) SELECT * FROM x', 'outside-effect-function'],
          ["UPDATE t SET v = pg_notify('c', 'x')::text", 'outside-effect-function'],
          ['EXPLAIN ANALYZE SELECT pg_cancel_backend(1)', 'outside-effect-function'],
          // The transaction-level advisory locks go with the rollback; local set_config of an ordinary setting too.
          ['SELECT pg_advisory_xact_lock(1)', 'allowed'],
          ['SELECT pg_try_advisory_xact_lock_shared(1)', 'allowed'],
          ["SELECT set_config('search_path', 'app', true)", 'allowed'],
          ['SELECT now(), pg_backend_pid(), current_setting($1)', 'allowed'],
        ],
        { purpose, disposable },
      );
});

test('a default that calls such a function is refused too (DDL on a disposable database)', () => {
  expectAll([['CREATE TABLE x (id int DEFAULT pg_cancel_backend(1)::int)', 'outside-effect-function']], {
    purpose: 'probe',
    disposable: true,
  });
});
