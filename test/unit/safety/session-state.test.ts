/** Identity, read-only and timeout settings are refused; other SET commands roll back with the transaction. */
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { expectAll } from './harness.js';

before(() => loadSqlParser());

test('session state that changes who runs or what a transaction may do is refused', () => {
  expectAll([
    ['SET ROLE postgres', 'session-state'],
    ['SET LOCAL ROLE postgres', 'session-state'],
    ['RESET ROLE', 'session-state'],
    ["SET SESSION AUTHORIZATION 'postgres'", 'session-state'],
    ['RESET SESSION AUTHORIZATION', 'session-state'],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', 'session-state'],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'session-state'],
    ['SET default_transaction_read_only = off', 'session-state'],
    ['SET transaction_read_only TO off', 'session-state'],
    ['SET statement_timeout = 0', 'session-state'],
    ['SET LOCAL idle_in_transaction_session_timeout = 0', 'session-state'],
    ['SET lock_timeout = 0', 'session-state'],
    ["SET lock_timeout = '0'", 'session-state'],
    ['RESET ALL', 'session-state'],
    ['RESET statement_timeout', 'session-state'],
    ['DISCARD ALL', 'session-state'],
    ['DISCARD PLANS', 'session-state'],
    ["SET lock_timeout = '2s'", 'allowed'],
    ['SET LOCAL search_path = app, public', 'allowed'],
    ['SET work_mem = 65536', 'allowed'],
    ['SHOW statement_timeout', 'allowed'],
  ]);
});
