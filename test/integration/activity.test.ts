/** Activity sampling against real situations on a PostgreSQL cluster: each appears in the output and goes away. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import {
  blockingTree,
  idleInTransaction,
  overflowedSubxacts,
  sessionsWithSlowPathLocks,
  waitCategory,
} from '../../src/core/activity/analysis.js';
import { ActivitySampler } from '../../src/db/activity/sampler.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { openServerSession } from '../../src/db/server-session.js';
import type { SqlSession } from '../../src/db/session.js';
import { runActivityCommand } from '../../src/cli/commands/activity.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let observer: SqlSession;
let sampler: ActivitySampler;
const actors: pg.Client[] = [];

async function actor(name: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: cluster.urlFor('app'), application_name: name });
  await client.connect();
  actors.push(client);
  return client;
}

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 100; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  cluster = await startCluster();
  cluster.psql('CREATE DATABASE app');
  const indexes = Array.from({ length: 20 }, (_, i) => `CREATE INDEX wide_c${i}_idx ON wide (c${i});`).join('\n');
  const columns = Array.from({ length: 20 }, (_, i) => `c${i} int`).join(', ');
  cluster.psql(
    `CREATE TABLE accounts (id int PRIMARY KEY, balance int); INSERT INTO accounts VALUES (1, 100), (2, 50);
                CREATE TABLE wide (id int PRIMARY KEY, ${columns}); ${indexes}`,
    'app',
  );
  const target = resolveConnectionTarget(cluster.urlFor('app'), {});
  assert.ok(target);
  observer = await openServerSession(target);
  sampler = new ActivitySampler(observer);
});

after(async () => {
  for (const client of actors) await client.end().catch(() => undefined);
  await observer?.close();
  cluster?.stop();
});

test('a session blocked by another one’s FOR UPDATE shows in the blocking tree, and the holder as idle in transaction', async () => {
  const holder = await actor('holder');
  const waiter = await actor('waiter');
  await holder.query('BEGIN');
  await holder.query('SELECT * FROM accounts WHERE id = 1 FOR UPDATE');
  const waiting = waiter.query('UPDATE accounts SET balance = balance + 1 WHERE id = 1');
  const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;

  const snapshot = await until(async () => {
    const s = await sampler.sample();
    return s.sessions.some((x) => x.blockedBy.includes(holderPid ?? -1)) ? s : undefined;
  }, 'the waiter to block');
  const tree = blockingTree(snapshot.sessions);
  assert.equal(tree.length, 1);
  assert.equal(tree[0]?.session.pid, holderPid);
  const blocked = tree[0]?.waiting[0]?.session;
  assert.equal(blocked?.applicationName, 'waiter');
  assert.equal(blocked?.waitEventType, 'Lock');
  assert.equal(blocked?.waitEvent, 'transactionid');
  assert.equal(waitCategory(blocked?.waitEventType, blocked?.waitEvent, blocked?.state), 'Lock');
  const idle = idleInTransaction(snapshot);
  assert.deepEqual(
    idle.map((s) => s.pid),
    [holderPid],
  );
  assert.ok((idle[0]?.relationLocks ?? 0) >= 2, 'the holder holds accounts and its index');

  let text = '';
  await runActivityCommand(
    { stdout: (t) => (text += t), stderr: () => undefined, env: {} },
    { db: cluster.urlFor('app'), json: false, watchSeconds: undefined, count: undefined },
  );
  assert.match(text, new RegExp(`■ pid ${holderPid} \\[idle in transaction\\]`));
  assert.match(text, /└ pid \d+ \[active waiting Lock:transactionid\]/);

  await holder.query('COMMIT');
  await waiting;
  const after = await until(async () => {
    const s = await sampler.sample();
    return blockingTree(s.sessions).length === 0 && idleInTransaction(s).length === 0 ? s : undefined;
  }, 'the blocking to end');
  assert.equal(after.sessions.filter((s) => s.blockedBy.length > 0).length, 0);
});

test('a transaction holding more than 16 relation locks shows its slow-path locks, per backend and per table', async () => {
  const wide = await actor('wide-reader');
  await wide.query('BEGIN');
  await wide.query('SELECT * FROM wide WHERE id = 1');
  const pid = (await wide.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
  const snapshot = await sampler.sample();
  const holder = sessionsWithSlowPathLocks(snapshot).find((s) => s.pid === pid);
  assert.ok(holder, 'the wide reader is listed');
  // wide + 21 indexes = 22 relations; PG 15 has 16 slots, so 6 go to the main lock table.
  assert.equal(holder.relationLocks, 22);
  assert.equal(holder.slowPathRelationLocks, 6);
  assert.equal(
    snapshot.slowPathByRelation.reduce((n, r) => n + r.slowPathLocks, 0),
    6,
  );
  await wide.query('COMMIT');
  const after = await sampler.sample();
  assert.equal(sessionsWithSlowPathLocks(after).length, 0);
  assert.deepEqual(after.slowPathByRelation, []);
});

test('subtransaction reporting follows the server version, and the SLRU row is found by its version’s name', async () => {
  const snapshot = await sampler.sample();
  assert.equal(snapshot.subxactSupported, cluster.major >= 16);
  assert.equal(snapshot.subtransSlru?.name, cluster.major >= 17 ? 'subtransaction' : 'Subtrans');
  let text = '';
  await runActivityCommand(
    { stdout: (t) => (text += t), stderr: () => undefined, env: {} },
    { db: cluster.urlFor('app'), json: false, watchSeconds: undefined, count: undefined },
  );
  if (cluster.major < 16) assert.match(text, /reported from PostgreSQL 16 on/);
});

test('--watch samples repeatedly with one session and stops when told', async () => {
  const lines: string[] = [];
  const code = await runActivityCommand(
    { stdout: (t) => lines.push(t), stderr: () => undefined, env: {} },
    { db: cluster.urlFor('app'), json: true, watchSeconds: 0.2, count: 3 },
  );
  assert.equal(code, 0);
  assert.equal(lines.length, 3);
  // JSON Lines: one sample per line.
  for (const line of lines) assert.ok(!line.includes('\n') && (JSON.parse(line) as { database: string }).database === 'app', line);
  const sessions = await observer.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name = 'lockscope' AND pid <> pg_backend_pid()`,
  );
  assert.equal(sessions[0]?.n, '0', 'the watch session was closed');
});

test('PostgreSQL 18 (embedded): more than 64 subtransactions overflow the backend cache, and it clears at transaction end', async () => {
  const db = await openEmbeddedSession({ schemaSql: 'CREATE TABLE t (id int);' });
  try {
    const embedded = new ActivitySampler(db);
    await db.query('BEGIN');
    // Each entry into a PL/pgSQL block with EXCEPTION opens a subtransaction; the INSERT gives it an XID.
    await db.query(
      `DO $$ BEGIN FOR i IN 1..70 LOOP BEGIN INSERT INTO t VALUES (i); EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$`,
    );
    const during = await embedded.sample();
    assert.equal(during.subxactSupported, true);
    assert.equal(during.subtransSlru?.name, 'subtransaction');
    const over = overflowedSubxacts(during);
    assert.equal(over.length, 1);
    assert.equal(over[0]?.subxactCount, 64);
    assert.equal(over[0]?.subxactOverflowed, true);
    await db.query('ROLLBACK');
    const afterwards = await embedded.sample();
    assert.equal(overflowedSubxacts(afterwards).length, 0);
  } finally {
    await db.close();
  }
});
