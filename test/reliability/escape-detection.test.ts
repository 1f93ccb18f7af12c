/**
 * The backstop behind the guard: if a statement does get out of Lockscope's transaction (here sent with the guard
 * bypassed), the transaction status after it says so and everything stops with TransactionEscapedError — on
 * PostgreSQL (ReadyForQuery's status byte, through pg and through the probe's own wire loop) and on PGlite.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { TransactionEscapedError } from '../../src/core/safety/index.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { inRolledBackTransaction, sendUserStatement } from '../../src/db/measure.js';
import { ProbeStats } from '../../src/db/probe/client-loop-stats.js';
import { IterationSource, startClientLoop } from '../../src/db/probe/client-loop.js';
import { openServerSession } from '../../src/db/server-session.js';
import { DEFAULT_SAFETY, type SqlSession } from '../../src/db/session.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;

before(async () => {
  await loadSqlParser();
  cluster = await startCluster();
  cluster.psql('CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0);');
});
after(() => cluster?.stop());

/** BEGIN; UPDATE; COMMIT (unguarded) must throw TransactionEscapedError at the COMMIT; the UPDATE before it commits. */
async function escapeThrough(session: SqlSession): Promise<unknown> {
  try {
    await inRolledBackTransaction(session, 'BEGIN READ WRITE', async () => {
      await sendUserStatement(session, 'UPDATE t SET v = v + 1');
      await sendUserStatement(session, 'COMMIT');
      await sendUserStatement(session, 'UPDATE t SET v = v + 100');
    });
  } catch (error) {
    return error;
  }
  return undefined;
}

test('server session: a COMMIT slipped past the guard is caught by the status check, and nothing after it runs', async () => {
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  const session = await openServerSession(target, { ...DEFAULT_SAFETY, readOnly: false });
  try {
    const error = await escapeThrough(session);
    assert.ok(error instanceof TransactionEscapedError, String(error));
    assert.match(error.message, /TRANSACTION ESCAPED after "COMMIT"/);
  } finally {
    await session.close();
  }
  // The statement before the COMMIT did commit (that is why the guard refuses COMMIT); the one after never ran.
  assert.equal(cluster.psql('SELECT v FROM t WHERE id = 1').trim(), '1');
  cluster.psql('UPDATE t SET v = 0');
});

test('embedded session (PGlite): the same escape is caught', async () => {
  const session = await openEmbeddedSession({ schemaSql: 'CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t VALUES (1, 0);' });
  try {
    const error = await escapeThrough(session);
    assert.ok(error instanceof TransactionEscapedError, String(error));
    const rows = await session.query<{ v: number }>('SELECT v FROM t WHERE id = 1');
    assert.equal(rows[0]?.v, 1);
  } finally {
    await session.close();
  }
});

test('probe loop: a statement that ends the transaction stops the loop through control.escaped', async () => {
  const client = new pg.Client({ connectionString: cluster.url, application_name: 'lockscope-probe-escape' });
  client.on('error', () => undefined);
  await client.connect();
  const escapes: string[] = [];
  const end = performance.now() + 5000;
  const stats = new ProbeStats(performance.now(), end);
  // Unguarded on purpose: COMMIT as the probe's statement.
  const source = new IterationSource(['UPDATE t SET v = v + 1', 'COMMIT', 'UPDATE t SET v = v + 100'], [], 'simple', false);
  await startClientLoop(
    client,
    source,
    { stopped: (now) => now >= end || escapes.length > 0, thinkTimeMs: 0, escaped: (sql, status) => escapes.push(`${sql}:${status}`) },
    stats,
  ).done;
  await client.end().catch(() => undefined);
  assert.deepEqual(escapes, ['COMMIT:I']);
  assert.equal(stats.transactions, 0);
  // One iteration's first UPDATE committed before the COMMIT was seen; the statement after it was never sent.
  assert.equal(cluster.psql('SELECT v FROM t WHERE id = 1').trim(), '1');
});
