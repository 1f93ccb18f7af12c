/**
 * Commands PostgreSQL runs outside any transaction (or refuses inside one) and so cannot roll back: CREATE/DROP
 * DATABASE and TABLESPACE, ALTER SYSTEM, VACUUM, CHECKPOINT, the CONCURRENTLY forms of index commands, REINDEX of a
 * whole database or system, and subscriptions. Refused even with --disposable: they change more than the database.
 */
import { defElems } from '../../sql/ast.js';
import type { GuardFinding, GuardRule } from '../types.js';
import { judgeNodes, nodesOf } from '../walk.js';

const refuse = (what: string): GuardFinding => ({
  rule: 'non-transactional',
  severity: 'refuse',
  reason: `${what} runs outside any transaction block, so it cannot be rolled back.`,
});

/** Statement tags that are never transactional, with the name used in the message. */
const NEVER_TRANSACTIONAL = [
  ['CreatedbStmt', 'CREATE DATABASE'],
  ['DropdbStmt', 'DROP DATABASE'],
  ['AlterSystemStmt', 'ALTER SYSTEM (it writes postgresql.auto.conf)'],
  ['CreateTableSpaceStmt', 'CREATE TABLESPACE'],
  ['DropTableSpaceStmt', 'DROP TABLESPACE'],
  ['CheckPointStmt', 'CHECKPOINT'],
  ['CreateSubscriptionStmt', 'CREATE SUBSCRIPTION'],
  ['AlterSubscriptionStmt', 'ALTER SUBSCRIPTION'],
  ['DropSubscriptionStmt', 'DROP SUBSCRIPTION'],
] as const;

export const nonTransactional: GuardRule = (stmt) => [
  ...NEVER_TRANSACTIONAL.flatMap(([tag, what]) => nodesOf(stmt, tag).map(() => refuse(what))),
  // ANALYZE alone may run in a transaction; VACUUM may not.
  ...judgeNodes(stmt, 'VacuumStmt', (v) => (v.is_vacuumcmd === true ? refuse('VACUUM') : undefined)),
  ...judgeNodes(stmt, 'IndexStmt', (i) => (i.concurrent === true ? refuse('CREATE INDEX CONCURRENTLY') : undefined)),
  ...judgeNodes(stmt, 'DropStmt', (d) => (d.concurrent === true ? refuse('DROP INDEX CONCURRENTLY') : undefined)),
  ...judgeNodes(stmt, 'ReindexStmt', (r) => {
    if (r.kind === 'REINDEX_OBJECT_DATABASE' || r.kind === 'REINDEX_OBJECT_SYSTEM') return refuse('REINDEX DATABASE/SYSTEM');
    return defElems(r.params).has('concurrently') ? refuse('REINDEX CONCURRENTLY') : undefined;
  }),
  ...judgeNodes(stmt, 'ClusterStmt', (c) => (c.relation === undefined ? refuse('CLUSTER without a table') : undefined)),
];
