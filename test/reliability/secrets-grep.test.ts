/**
 * No output channel of the built CLI ever shows a password (#11): every command runs against a throwaway cluster with
 * one unique password spelled in every URL, keyword and environment form, on every failure path and one success;
 * stdout, stderr and every file left in the working directory are grepped for it.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { freePort, startCluster, type PgCluster } from '../support/pg-cluster.js';
import { CLI } from './faults-harness.js';

/** The unique part every spelling contains; the full password also holds every character URLs treat specially. */
const TOKEN = 'Zq7uniqLeakTok';
const PASSWORD = `${TOKEN}/x@y#z?w&v`;
const USER = 'leaky';

let cluster: PgCluster;
let workDir: string;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE ROLE ${USER} LOGIN SUPERUSER PASSWORD '${PASSWORD}'; CREATE TABLE t (id int PRIMARY KEY);`);
  workDir = mkdtempSync(join(tmpdir(), 'lockscope-secrets-'));
  writeFileSync(join(workDir, 'q.sql'), 'SELECT * FROM t WHERE id = 1;\nUPDATE t SET id = 2 WHERE id = 1;\n');
});
after(() => {
  cluster?.stop();
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

interface Target {
  name: string;
  /** --db argument, when the target is given on the command line. */
  db?: string;
  /** Extra environment (DATABASE_URL, PG* variables). */
  env?: Record<string, string>;
  /** The run is expected to reach the database and succeed (exit 0 or 1) for estimate. */
  connects: boolean;
}

async function targets(): Promise<Target[]> {
  const port = cluster.port;
  const closed = await freePort();
  const enc = encodeURIComponent(PASSWORD);
  const host = `127.0.0.1:${port}`;
  return [
    { name: 'encoded userinfo (success)', db: `postgres://${USER}:${enc}@${host}/postgres`, connects: true },
    { name: 'password query parameter (success)', db: `postgres://${USER}@${host}/postgres?password=${enc}`, connects: true },
    {
      name: 'PGPASSWORD (success)',
      env: { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: USER, PGDATABASE: 'postgres', PGPASSWORD: PASSWORD },
      connects: true,
    },
    { name: 'raw special characters', db: `postgres://${USER}:${PASSWORD}@${host}/postgres`, connects: false },
    { name: 'raw slash only', db: `postgres://${USER}:${TOKEN}/9@${host}/postgres`, connects: false },
    { name: 'wrong password', db: `postgres://${USER}:${TOKEN}wrong@${host}/postgres`, connects: false },
    {
      name: 'wrong password in the query',
      db: `postgresql://${USER}@${host}/postgres?sslmode=disable&password=${TOKEN}wrong`,
      connects: false,
    },
    { name: 'refused', db: `postgres://${USER}:${enc}@127.0.0.1:${closed}/postgres`, connects: false },
    { name: 'unknown database', db: `postgres://${USER}:${enc}@${host}/no_such_db`, connects: false },
    { name: 'unsupported scheme', db: `mysql://${USER}:${TOKEN}@${host}/postgres`, connects: false },
    { name: 'bad port', db: `postgres://${USER}:${TOKEN}@127.0.0.1:port/postgres`, connects: false },
    { name: 'libpq keyword string', db: `host=127.0.0.1 port=${port} user=${USER} password='${PASSWORD}'`, connects: false },
    { name: 'sslpassword parameter', db: `postgres://${USER}:${TOKEN}x@${host}/postgres?sslpassword=${TOKEN}`, connects: false },
    { name: 'DATABASE_URL', env: { DATABASE_URL: `postgres://${USER}:${TOKEN}#1@${host}/postgres` }, connects: false },
    {
      name: 'wrong PGPASSWORD',
      env: { PGHOST: '127.0.0.1', PGPORT: String(port), PGUSER: USER, PGPASSWORD: `${TOKEN}bad` },
      connects: false,
    },
  ];
}

/** Every command with arguments that make it talk to the database and finish in a few seconds. */
const COMMANDS: Array<{ name: string; args: string[] }> = [
  { name: 'server', args: ['server'] },
  { name: 'estimate', args: ['estimate', '--json', '--file', 'q.sql'] },
  { name: 'measure', args: ['measure', '--execute', 'UPDATE t SET id = 3 WHERE id = 1'] },
  { name: 'probe', args: ['probe', '--clients', '1', '--duration', '1', '--warmup', '0', '--json', 'SELECT 1'] },
  { name: 'scan sarif', args: ['scan', '.', '--format', 'sarif'] },
  { name: 'scan json', args: ['scan', '.', '--format', 'json'] },
  { name: 'activity', args: ['activity', '--json'] },
  { name: 'workload', args: ['workload', '--interval', '1', '--json'] },
];

interface Outcome {
  code: number | null;
  output: string;
}

function runCli(args: string[], env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--connect-timeout', '15'], {
      cwd: workDir,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Runs `jobs` with at most `width` at a time (the machine is shared). */
async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

test('no command prints the password on any failure path or on success', { timeout: 900_000 }, async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` first: dist/cli.js is missing');
  const all = await targets();
  const runs = all.flatMap((target) =>
    COMMANDS.map((command) => ({
      label: `${command.name} × ${target.name}`,
      target,
      command,
      args: [...command.args, ...(target.db !== undefined ? ['--db', target.db] : [])],
    })),
  );
  const outcomes = await pool(
    runs.map((run) => () => runCli(run.args, run.target.env ?? {})),
    3,
  );
  const leaks: string[] = [];
  const codes = new Map<string, Outcome>();
  runs.forEach((run, i) => {
    const { code, output } = outcomes[i]!;
    codes.set(run.label, outcomes[i]!);
    if (output.includes(TOKEN) || output.includes(encodeURIComponent(PASSWORD))) leaks.push(`${run.label}: ${output.slice(0, 400)}`);
    assert.ok(code !== null && [0, 1, 2, 3].includes(code), `${run.label}: exit ${code}\n${output.slice(0, 400)}`);
  });
  for (const name of readdirSync(workDir)) {
    if (readFileSync(join(workDir, name), 'utf8').includes(TOKEN)) leaks.push(`file ${name}`);
  }
  assert.deepEqual(leaks, []);
  // The grep means something only if the successful spellings really connected and the failures really failed.
  for (const target of all) {
    const { code, output } = codes.get(`estimate × ${target.name}`)!;
    assert.ok(target.connects ? code === 0 : code === 2 || code === 3, `estimate × ${target.name}: exit ${code}: ${output}`);
  }
  assert.ok(runs.length >= 90, `${runs.length} runs`);
});
