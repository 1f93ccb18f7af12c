/**
 * The escape corpus (issue #11): every way the audit found to make a write outlive Lockscope's rollback, and the rest
 * of each family, run through the built CLI (measure --execute, measure --execute --txn, measure's EXPLAIN path, probe,
 * probe --param) against a throwaway PostgreSQL. After each case nothing may have changed: table and sequence
 * checksums, large objects, prepared transactions, locks (advisory included), Lockscope sessions, stored settings, a
 * victim session, a witness file, notifications. Prints the counts.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { monitor } from './faults-harness.js';
import { ESCAPE_SCHEMA, WITNESS_FILE, runCase, settle, snapshot, type EscapeCase, type Snapshot } from './escape-harness.js';

const W = 'UPDATE t SET v = v + 1000';
const D = 'DELETE FROM audit';
const execTxn = (...sql: string[]): string[] => ['--execute', '--txn', ...sql];

/** Each refused statement goes through these paths (the measure ones with a write before it, as the audit did). */
function everyPath(family: string, sql: string): EscapeCase[] {
  return [
    { family, command: 'measure', args: execTxn(W, sql, D), expect: 'refused' },
    { family, command: 'measure', args: ['--execute', sql], expect: 'refused' },
    { family, command: 'measure', args: [sql], expect: 'refused' },
    { family, command: 'probe', args: [sql], expect: 'refused' },
  ];
}

const HOSTILE = "x'); COMMIT; DELETE FROM audit; --";
const CASES: EscapeCase[] = [
  // Transaction control inside --txn or in one multi-statement string.
  ...['COMMIT', 'END', 'COMMIT AND CHAIN', 'ABORT', 'ROLLBACK', 'ROLLBACK AND CHAIN', "PREPARE TRANSACTION 'esc'"].map(
    (sql): EscapeCase => ({ family: 'transaction-control', command: 'measure', args: execTxn(W, sql, D), expect: 'refused' }),
  ),
  { family: 'transaction-control', command: 'measure', args: execTxn('START TRANSACTION', W, 'COMMIT'), expect: 'refused' },
  { family: 'transaction-control', command: 'measure', args: execTxn('ROLLBACK', D), expect: 'refused' },
  { family: 'transaction-control', command: 'measure', args: execTxn(`${W}; COMMIT; ${D}`), expect: 'refused' },
  { family: 'transaction-control', command: 'measure', args: ['--execute', `${W}; COMMIT; ${D}`], expect: 'refused' },
  { family: 'transaction-control', command: 'measure', args: [`${W}; COMMIT; ${D}`], expect: 'refused' },
  ...["COMMIT PREPARED 'esc'", "ROLLBACK PREPARED 'esc'", 'SAVEPOINT s', 'RELEASE SAVEPOINT s', 'ROLLBACK TO SAVEPOINT s', 'BEGIN'].map(
    (sql): EscapeCase => ({ family: 'transaction-control', command: 'measure', args: execTxn(W, sql), expect: 'refused' }),
  ),
  { family: 'transaction-control', command: 'probe', args: [W, 'COMMIT'], expect: 'refused' },
  { family: 'transaction-control', command: 'probe', args: [`${W}; END; ${D}`], expect: 'refused' },
  // Procedural code that commits.
  ...everyPath('procedural-code', 'DO $$ BEGIN UPDATE t SET v = 0; COMMIT; DELETE FROM audit; END $$'),
  ...everyPath('procedural-code', 'CALL commit_then_write()'),
  { family: 'procedural-code', command: 'measure', args: execTxn(`PREPARE p AS ${D}`, 'EXECUTE p'), expect: 'refused' },
  // Session identity and characteristics, then a write.
  { family: 'session-state', command: 'measure', args: execTxn('SET ROLE other', W), expect: 'refused' },
  { family: 'session-state', command: 'measure', args: execTxn('SET SESSION AUTHORIZATION other', W), expect: 'refused' },
  { family: 'session-state', command: 'probe', args: ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', W], expect: 'refused' },
  { family: 'session-state', command: 'probe', args: ['SET default_transaction_read_only = off', W], expect: 'refused' },
  { family: 'session-state', command: 'measure', args: execTxn('RESET ALL', W), expect: 'refused' },
  { family: 'session-state', command: 'measure', args: execTxn('RESET ROLE', W), expect: 'refused' },
  { family: 'session-state', command: 'measure', args: execTxn('DISCARD ALL', W), expect: 'refused' },
  { family: 'session-state', command: 'measure', args: execTxn('SET TRANSACTION READ WRITE', W), expect: 'refused' },
  // Outside the database: programs, files, notifications.
  ...everyPath('outside-io', `COPY t TO PROGRAM 'touch ${WITNESS_FILE}'`),
  { family: 'outside-io', command: 'measure', args: ['--execute', `COPY t TO '${WITNESS_FILE}'`], expect: 'refused' },
  { family: 'outside-io', command: 'measure', args: ['--execute', "COPY audit FROM PROGRAM 'echo 9'"], expect: 'refused' },
  { family: 'outside-io', command: 'measure', args: ['--execute', "NOTIFY chan, 'x'"], expect: 'refused' },
  { family: 'outside-io', command: 'measure', args: ['--execute', 'LISTEN chan'], expect: 'refused' },
  { family: 'outside-io', command: 'probe', args: ['COPY t FROM STDIN'], expect: 'refused' },
  // Functions with effects outside the transaction (the read-only probe path included).
  ...everyPath('outside-effect-function', "SELECT set_config('default_transaction_read_only', 'off', false)"),
  ...everyPath('outside-effect-function', "SELECT lo_import('/etc/hostname')"),
  ...everyPath('outside-effect-function', "SELECT pg_notify('chan', 'x')"),
  { family: 'outside-effect-function', command: 'probe', args: ['SELECT pg_advisory_lock(42)'], expect: 'refused' },
  ...everyPath(
    'outside-effect-function',
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'escape-victim'",
  ),
  ...[
    "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = 'escape-victim'",
    'SELECT pg_reload_conf()',
    'SELECT pg_rotate_logfile()',
    "SELECT dblink_exec('dbname=postgres', 'DELETE FROM audit')",
    'SELECT lo_create(0)',
    'SELECT pg_try_advisory_lock(7)',
    "SELECT pg_read_file('postgresql.conf')",
    "SELECT pg_ls_dir('.')",
    "SELECT query_to_xml('DELETE FROM audit', true, false, '')",
    'SELECT * FROM t WHERE EXISTS (SELECT pg_advisory_lock(1))',
    'WITH x AS (SELECT lo_create(0)) SELECT * FROM x',
    "UPDATE t SET note = pg_notify('chan', 'x')::text",
  ].map((sql): EscapeCase => ({ family: 'outside-effect-function', command: 'measure', args: ['--execute', sql], expect: 'refused' })),
  // Commands PostgreSQL cannot run in (or roll back from) a transaction.
  ...[
    'VACUUM t',
    'CHECKPOINT',
    'CREATE DATABASE escape_db',
    "ALTER SYSTEM SET work_mem = '1GB'",
    'CREATE INDEX CONCURRENTLY ti ON t (v)',
  ].map((sql): EscapeCase => ({ family: 'non-transactional', command: 'measure', args: ['--execute', sql], expect: 'refused' })),
  // Parameters: a value that would close a literal runs as data, rolled back; `$1` inside a string is no parameter.
  { family: 'parameters', command: 'probe', args: ["UPDATE t SET note = 'a$1' WHERE id = 1", '--param', HOSTILE], expect: 'runs' },
  { family: 'parameters', command: 'probe', args: ['UPDATE t SET note = $1 WHERE id = 1', '--param', HOSTILE], expect: 'runs' },
  { family: 'parameters', command: 'probe', args: ['UPDATE t SET note = $1 WHERE id = 1', '--param', `\\${HOSTILE}`], expect: 'runs' },
  { family: 'parameters', command: 'probe', args: ['UPDATE t SET v = v-$1 WHERE id = 1', '--param=-1'], expect: 'runs' },
  {
    family: 'parameters',
    command: 'probe',
    args: ['UPDATE t SET note = $1 WHERE id = 1', '--param', HOSTILE, '--protocol', 'prepared'],
    expect: 'runs',
  },
  // Ordinary work: runs, and is rolled back.
  { family: 'rolled-back', command: 'measure', args: ['--execute', W], expect: 'runs' },
  { family: 'rolled-back', command: 'measure', args: execTxn(W, D), expect: 'runs' },
  { family: 'rolled-back', command: 'measure', args: [W], expect: 'runs' },
  { family: 'rolled-back', command: 'probe', args: [W], expect: 'runs' },
  { family: 'rolled-back', command: 'probe', args: ['SELECT v FROM t WHERE id = $1', '--param', 'int:1..50'], expect: 'runs' },
  { family: 'rolled-back', command: 'probe', args: ['SELECT pg_advisory_xact_lock(5), v FROM t WHERE id = 1'], expect: 'runs' },
  // What PostgreSQL cannot roll back, allowed with a warning: sequences.
  { family: 'sequence-advances', command: 'measure', args: ['--execute', "SELECT nextval('t_id_seq')"], expect: 'warns' },
  { family: 'sequence-advances', command: 'probe', args: ['INSERT INTO t (v) VALUES (1)'], expect: 'warns' },
];

let cluster: PgCluster;
let victim: pg.Client;
let mon: pg.Client;
let victimPid = 0;
const notifications: string[] = [];

before(async () => {
  rmSync(WITNESS_FILE, { force: true });
  cluster = await startCluster();
  cluster.psql(ESCAPE_SCHEMA);
  victim = new pg.Client({ connectionString: cluster.url, application_name: 'escape-victim' });
  victim.on('error', () => undefined);
  await victim.connect();
  victimPid = Number((await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid);
  mon = await monitor(cluster.url);
  mon.on('notification', (n) => notifications.push(`${n.channel}:${n.payload ?? ''}`));
  await mon.query('LISTEN chan');
});

after(async () => {
  await victim?.end().catch(() => undefined);
  await mon?.end().catch(() => undefined);
  cluster?.stop();
  rmSync(WITNESS_FILE, { force: true });
});

/** What must be equal before and after a case (sequences excepted where a warning says they advance). */
function comparable(s: Snapshot, withSequences: boolean): Snapshot {
  return withSequences ? s : { ...s, checksums: { ...s.checksums, t_id_seq: '(advances, warned)' } };
}

test(`escape corpus: ${CASES.length} cases through the built CLI leave nothing behind`, async (t) => {
  const baseline = snapshot(cluster, victimPid);
  assert.equal(baseline.victimAlive, true);
  const counts = { refused: 0, runs: 0, warns: 0, persisted: 0, sessions: 0, locks: 0, prepared: 0 };
  const started = performance.now();
  for (const c of CASES) {
    const label = `${c.family}: ${c.command} ${c.args.join(' ')}`;
    const result = await runCase(cluster.url, c);
    await settle(mon);
    const now = snapshot(cluster, victimPid);
    if (JSON.stringify(now.checksums) !== JSON.stringify(baseline.checksums) && c.expect !== 'warns') counts.persisted++;
    counts.sessions += now.lockscopeSessions;
    counts.locks += now.locks;
    counts.prepared += now.preparedXacts;
    if (c.expect === 'refused') {
      assert.equal(result.code, 2, `${label}: exit ${result.code}\n${result.stderr}`);
      assert.match(result.stderr, /Refused "|drop "|Refusing/, `${label}: ${result.stderr}`);
    } else {
      assert.equal(result.code, 0, `${label}: exit ${result.code}\n${result.stderr}`);
      if (c.expect === 'warns') assert.match(result.stderr, /warning: .*(sequence|nextval)/, `${label}: ${result.stderr}`);
      else assert.doesNotMatch(result.stderr, /warning:/, label);
    }
    counts[c.expect]++;
    assert.deepEqual(comparable(now, c.expect !== 'warns'), comparable(baseline, c.expect !== 'warns'), label);
    assert.deepEqual(notifications, [], `${label}: a notification was delivered`);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const summary =
    `escape corpus: ${CASES.length} cases (${counts.refused} refused, ${counts.runs} ran and were rolled back, ` +
    `${counts.warns} warned about sequences) in ${seconds} s; persisted ${counts.persisted}, sessions left ${counts.sessions}, ` +
    `locks left ${counts.locks}, prepared transactions ${counts.prepared}`;
  t.diagnostic(summary);
  console.log(summary);
  assert.deepEqual([counts.persisted, counts.sessions, counts.locks, counts.prepared], [0, 0, 0, 0]);
});
