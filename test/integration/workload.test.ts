/**
 * `lockscope workload` on a throwaway cluster with pg_stat_statements loaded, driven by pgbench: a hot table with 24
 * indexes, a partitioned table read without its key, a cheap table. pgbench runs a fixed number of transactions between
 * the command's two samples, so the calls it counts are exact whatever the machine's load; the ranking, the calls/s
 * (against pg_stat_statements' own delta), the custom/generic split and the links to the fixture code are checked.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { loadGrammarFiles } from '../../src/db/grammar-files.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

const FIXTURE = join(__dirname, '..', 'fixtures', 'workload');
const APP_FILE = join(FIXTURE, 'shop_app.py');

/** Each pgbench script: one statement, run `calls` times by its own pgbench; `line` is its site in shop_app.py. */
const MIX = [
  { name: 'hot', calls: 200, script: '\\set id random(1, 500)\nSELECT id, c0 FROM hot_orders WHERE id = :id;\n', line: 6 },
  { name: 'scan', calls: 200, script: '\\set k random(1, 5)\nSELECT count(*) FROM events WHERE kind = :k;\n', line: 11 },
  { name: 'cheap', calls: 400, script: '\\set k random(1, 9)\nSELECT value FROM settings WHERE key = :k;\n', line: 20 },
  { name: 'day', calls: 40, script: '\\set d random(1, 12)\nSELECT id FROM events WHERE day = :d;\n', line: 16 },
];
const INTERVAL_SECONDS = 5;

let cluster: PgCluster;
let scriptDir: string;
const drivers: ChildProcess[] = [];

interface WorkloadJson {
  server: { fastPathSlots: number };
  interval: { seconds: number };
  statements: Array<{
    queryId: string;
    query: string;
    calls: number;
    callsPerSecond: number;
    locksPerCall: number;
    slowPathPerCall: number;
    locksPerSecond: number;
    custom: { locksPerCall: number };
    generic: { locksPerCall: number };
    relations: Array<{ relation: string; locks: number; indexes: string[]; partitions: string[] }>;
    sites: Array<{ file: string; line: number }>;
  }>;
  unpredictable: Array<{ query: string; reason: string }>;
  indexDiet: {
    tables: Array<{ table: string; drop: string[]; saves: { locksPerSecond: number; slowPathPerSecond: number } }>;
    candidates: Array<{ index: string; reasons: unknown[] }>;
  };
}

/**
 * Runs the CLI; with a `driveShare` of the mix's calls, the pgbench mix starts when the command reports its first sample and must finish
 * before the second, so every call falls in the interval.
 */
async function run(args: string[], driveShare = 0): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  let driving: Promise<void> | undefined;
  let driversDone = false;
  const code = await runCli(args, {
    stdout: (t) => (out += `${t}\n`),
    stderr: (t) => {
      err += `${t}\n`;
      if (driveShare > 0 && t.includes('sampling')) driving = drive(driveShare).then(() => void (driversDone = true));
    },
    env: {},
  });
  if (driveShare > 0) {
    assert.ok(driving, err);
    assert.ok(driversDone, `pgbench did not finish within the interval`);
    await driving;
  }
  return { code, out, err };
}

/** pg_stat_statements' own counters for the shop database, by query text. */
function ownCounters(): Map<string, number> {
  const rows = cluster.psql(
    `SELECT s.query || E'\\t' || s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'shop'`,
    'shop',
  );
  return new Map(
    rows
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .map(([query, calls]) => [query ?? '', Number(calls)]),
  );
}

before(async () => {
  await Promise.all([loadSqlParser(), loadGrammarFiles()]);
  cluster = await startCluster({ settings: { shared_preload_libraries: 'pg_stat_statements' } });
  cluster.psql('CREATE DATABASE shop; CREATE DATABASE bare;');
  const columns = Array.from({ length: 23 }, (_, i) => `c${i} int`).join(', ');
  // c22's index is on c0 (a duplicate of c0's); none of them is ever scanned.
  const indexes = Array.from({ length: 23 }, (_, i) => `CREATE INDEX hot_orders_c${i}_idx ON hot_orders (c${i === 22 ? 0 : i});`).join(
    '\n',
  );
  const partitions = Array.from(
    { length: 12 },
    (_, i) => `CREATE TABLE events_${i + 1} PARTITION OF events FOR VALUES FROM (${i + 1}) TO (${i + 2});`,
  ).join('\n');
  cluster.psql(
    `CREATE EXTENSION pg_stat_statements;
     CREATE TABLE hot_orders (id int PRIMARY KEY, ${columns}); ${indexes}
     INSERT INTO hot_orders (id, c0) SELECT g, g FROM generate_series(1, 500) g;
     CREATE TABLE events (id int, day int, kind int) PARTITION BY RANGE (day); ${partitions}
     INSERT INTO events SELECT g, 1 + g % 12, g % 5 FROM generate_series(1, 2000) g;
     CREATE TABLE settings (key int PRIMARY KEY, value text);
     INSERT INTO settings SELECT g, 'v' FROM generate_series(1, 9) g;
     ANALYZE;`,
    'shop',
  );
  // A unique index built concurrently over duplicate values fails and stays behind, invalid (but still locked).
  assert.throws(() => cluster.psql('CREATE UNIQUE INDEX CONCURRENTLY settings_value_idx ON settings (value)', 'shop'), /could not create/);
  scriptDir = mkdtempSync(join(tmpdir(), 'lockscope-workload-'));
  for (const item of MIX) writeFileSync(join(scriptDir, `${item.name}.sql`), item.script);
});

/** Starts one pgbench per script; resolves when all have run their transactions (rejects if one fails). */
function drive(share: number): Promise<void> {
  const pgbench = join(cluster.binDir, 'pgbench');
  return Promise.all(
    MIX.map(
      (item) =>
        new Promise<void>((resolve, reject) => {
          const args = ['-n', '-c', '1', '-j', '1', '-t', String(Math.ceil(item.calls * share)), '-f', join(scriptDir, `${item.name}.sql`)];
          const child = spawn(pgbench, [...args, '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', 'shop'], {
            stdio: ['ignore', 'ignore', 'pipe'],
          });
          drivers.push(child);
          let stderr = '';
          child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`pgbench ${item.name}: ${code} ${stderr}`))));
        }),
    ),
  ).then(() => undefined);
}

after(() => {
  for (const child of drivers) if (child.exitCode === null) child.kill('SIGINT');
  cluster?.stop();
  if (scriptDir !== undefined) rmSync(scriptDir, { recursive: true, force: true });
});

test('workload ranks the hot table, then the partition scan, then the cheap table; calls/s match pg_stat_statements', async () => {
  const before = ownCounters();
  const { code, out, err } = await run(
    ['workload', '--db', cluster.urlFor('shop'), '--interval', String(INTERVAL_SECONDS), '--json', FIXTURE],
    1,
  );
  const afterCounts = ownCounters();
  assert.equal(code, 0, err);
  const doc = JSON.parse(out) as WorkloadJson;
  assert.equal(doc.server.fastPathSlots, 16);
  // The server's clock between the samples: the sleep plus the first sample's own time (long on a loaded machine).
  assert.ok(doc.interval.seconds >= INTERVAL_SECONDS - 0.05 && doc.interval.seconds < INTERVAL_SECONDS + 3, `${doc.interval.seconds} s`);

  const find = (table: string, text: string): WorkloadJson['statements'][number] => {
    const found = doc.statements.find((s) => s.query.includes(table) && s.query.includes(text));
    assert.ok(found, `${table} ${text} ranked: ${doc.statements.map((s) => s.query).join(' | ')}`);
    return found;
  };
  const hot = find('hot_orders', 'id =');
  const scan = find('events', 'kind =');
  const cheap = find('settings', 'key =');
  const day = find('events', 'day =');
  const order = doc.statements.map((s) => s.queryId);
  assert.deepEqual(
    [hot, scan, cheap, day].map((s) => order.indexOf(s.queryId)),
    [0, 1, 2, 3],
    `order: ${doc.statements.map((s) => s.query).join(' | ')}`,
  );

  // Locks per call from the catalog: the table and its 24 indexes; the parent and 12 partitions; the table and its key.
  assert.deepEqual([hot.locksPerCall, hot.slowPathPerCall], [25, 9]);
  assert.equal(hot.relations[0]?.indexes.length, 24);
  assert.deepEqual([scan.locksPerCall, scan.slowPathPerCall], [13, 0]);
  assert.equal(scan.relations[0]?.partitions.length, 12);
  assert.deepEqual([cheap.locksPerCall, cheap.slowPathPerCall], [3, 0]);
  // The partition key as a parameter: a custom plan opens one partition, a generic plan every one.
  assert.deepEqual([day.custom.locksPerCall, day.generic.locksPerCall], [2, 13]);

  // calls/s: pg_stat_statements' own delta over the interval (within 10 %), and exactly the calls pgbench made.
  for (const [statement, item] of [
    [hot, MIX[0]],
    [scan, MIX[1]],
    [cheap, MIX[2]],
    [day, MIX[3]],
  ] as const) {
    const own = ((afterCounts.get(statement.query) ?? 0) - (before.get(statement.query) ?? 0)) / doc.interval.seconds;
    assert.ok(Math.abs(statement.callsPerSecond - own) <= 0.1 * own, `${statement.query}: ${statement.callsPerSecond} vs ${own}/s`);
    assert.equal(statement.calls, item?.calls, statement.query);
    assert.ok(Math.abs(statement.locksPerSecond - statement.locksPerCall * statement.callsPerSecond) < 1e-6);
  }

  // Each statement links to the fixture function that sends it (fingerprints match across %s, :id and $1).
  for (const [statement, item] of [
    [hot, MIX[0]],
    [scan, MIX[1]],
    [cheap, MIX[2]],
    [day, MIX[3]],
  ] as const) {
    assert.deepEqual(
      statement.sites.map((s) => [s.file, s.line]),
      [[APP_FILE, item?.line]],
      statement.query,
    );
  }
  // Index diet: hot_orders' 23 secondary indexes are unused (one also a duplicate), settings has an invalid one.
  const diet = doc.indexDiet;
  const hotDiet = diet.tables.find((t) => t.table === 'public.hot_orders');
  assert.equal(hotDiet?.drop.length, 23);
  assert.ok(!hotDiet?.drop.includes('public.hot_orders_pkey'));
  // Without them the point read takes 2 locks, all fast-path: 23 locks and 9 slow-path acquisitions per call saved.
  assert.ok(Math.abs((hotDiet?.saves.slowPathPerSecond ?? 0) - 9 * hot.callsPerSecond) < 1e-6, JSON.stringify(hotDiet));
  assert.ok(Math.abs((hotDiet?.saves.locksPerSecond ?? 0) - 23 * hot.callsPerSecond) < 1e-6, JSON.stringify(hotDiet));
  const reasonsOf = (index: string): unknown[] | undefined => diet.candidates.find((c) => c.index === index)?.reasons;
  assert.deepEqual(reasonsOf('public.hot_orders_c22_idx'), [{ kind: 'unused' }, { kind: 'duplicate', of: 'public.hot_orders_c0_idx' }]);
  assert.deepEqual(reasonsOf('public.hot_orders_c3_idx'), [{ kind: 'unused' }]);
  assert.deepEqual(reasonsOf('public.settings_value_idx'), [{ kind: 'invalid' }]);
  assert.equal(reasonsOf('public.settings_pkey'), undefined);

  // The sampler's own queries are not part of the workload.
  assert.ok(!doc.statements.some((s) => s.query.includes('lockscope')));
});

test('workload text names the tables and indexes responsible and the code site', async () => {
  const { code, out, err } = await run(['workload', '--db', cluster.urlFor('shop'), '--interval', '3', '--top', '3', FIXTURE], 0.2);
  assert.equal(code, 0, err);
  assert.match(out, /public\.hot_orders: 25 locks \(24 indexes\), 9 slow-path/);
  assert.match(out, /public\.events: 13 locks \(12 partitions\), 0 slow-path/);
  assert.match(out, /code: .*shop_app\.py:7:/);
  assert.match(out, /public\.hot_orders \(24 indexes\): drop 23 → saves/);
  assert.match(out, /public\.settings_value_idx {2}invalid/);
});

test('without pg_stat_statements in the database, workload says how to enable it (exit 2)', async () => {
  const { code, err } = await run(['workload', '--db', cluster.urlFor('bare'), '--interval', '1']);
  assert.equal(code, 2);
  assert.match(err, /pg_stat_statements is not installed in this database/);
  assert.match(err, /CREATE EXTENSION pg_stat_statements/);
  assert.doesNotMatch(err, /internal error/);
});
