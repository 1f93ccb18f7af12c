/**
 * Valid SQL of any size is analysed, not refused (#18): a 19 MB multi-row INSERT and a 50 MB file predict exactly the
 * locks of their small equivalents (the same statements with a handful of rows), and PostgreSQL's pg_locks, read by
 * `measure --execute` on a throwaway cluster, shows that lock set for the small equivalent.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let url: string;
let workDir: string;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE TABLE accounts (id int PRIMARY KEY);
    CREATE TABLE audit (id int PRIMARY KEY);
    CREATE TABLE events (id bigserial PRIMARY KEY, account_id int REFERENCES accounts, note text);
    CREATE INDEX events_note_idx ON events (note);
    CREATE TABLE tags (name text PRIMARY KEY, weight int);
    INSERT INTO accounts SELECT generate_series(0, 999); INSERT INTO audit VALUES (1);`);
  url = cluster.urlFor('postgres');
  workDir = mkdtempSync(join(tmpdir(), 'lockscope-huge-'));
});
after(() => {
  cluster?.stop();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

/** An INSERT into events of about `megabytes` MB (or `rows` rows), one row near the end reading audit. */
function eventsInsert(size: { megabytes: number } | { rows: number }): string {
  const rows = 'rows' in size ? size.rows : Math.floor((size.megabytes * 1024 * 1024) / 26);
  const values = Array.from({ length: rows }, (_, i) =>
    i === rows - 2 ? `((SELECT id FROM audit LIMIT 1), 'from audit')` : `(${i % 1000}, 'event note ${i}')`,
  );
  return `INSERT INTO events (account_id, note) VALUES ${values.join(',\n')}`;
}

function tagsInsert(size: { megabytes: number } | { rows: number }): string {
  const rows = 'rows' in size ? size.rows : Math.floor((size.megabytes * 1024 * 1024) / 22);
  const values = Array.from({ length: rows }, (_, i) => `('tag-${i}', ${i})`);
  return `INSERT INTO tags VALUES ${values.join(', ')} ON CONFLICT (name) DO UPDATE SET weight = excluded.weight`;
}

interface LockDoc {
  statements: Array<{ sql: string; locks: Array<{ relation: string; mode: string }> }>;
}

/** Each statement's locks as sorted "relation mode" lines, from `estimate` or `measure` JSON on a file. */
async function locksOf(command: 'estimate' | 'measure', sql: string, extra: string[] = []): Promise<string[][]> {
  const file = join(workDir, `${command}-${sql.length}.sql`);
  writeFileSync(file, sql);
  let out = '';
  let err = '';
  const code = await runCli([command, '--db', url, '--json', ...extra, '--file', file], {
    stdout: (t) => (out += `${t}\n`),
    stderr: (t) => (err += `${t}\n`),
    env: {},
  });
  rmSync(file);
  assert.ok(code === 0 || code === 1, `${command} exit ${code}: ${err.slice(0, 500)}`);
  const doc = JSON.parse(out) as LockDoc;
  return doc.statements.map((s) => s.locks.map((l) => `${l.relation} ${l.mode}`).sort());
}

const small = `${eventsInsert({ rows: 4 })};\n${tagsInsert({ rows: 3 })};\nUPDATE tags SET weight = 0 WHERE name = 'tag-1';\n`;

test('the small equivalent: estimate predicts what pg_locks shows', async () => {
  const predicted = await locksOf('estimate', small);
  const measured = await locksOf('measure', small, ['--execute']);
  assert.deepEqual(predicted, measured);
  // The row reading audit is part of it: a reduction that dropped it would lose this lock.
  assert.ok(predicted[0]?.includes('public.audit AccessShareLock'), predicted[0]?.join(', '));
});

test('a 19 MB INSERT predicts the locks of its 4-row equivalent', async () => {
  const big = `${eventsInsert({ megabytes: 19 })};\n`;
  assert.ok(big.length > 19 * 1024 * 1024);
  const [bigLocks] = await locksOf('estimate', big);
  const [smallLocks] = await locksOf('estimate', small);
  assert.deepEqual(bigLocks, smallLocks);
});

test('a 50 MB file of two huge INSERTs and an UPDATE predicts the locks of the small file', async () => {
  const big = `${eventsInsert({ megabytes: 25 })};\n${tagsInsert({ megabytes: 25 })};\nUPDATE tags SET weight = 0 WHERE name = 'tag-1';\n`;
  assert.ok(big.length >= 50 * 1024 * 1024, `${big.length}`);
  assert.deepEqual(await locksOf('estimate', big), await locksOf('estimate', small));
});
