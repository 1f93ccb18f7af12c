/** Shared by the faults-*.test.ts files: runs the built CLI as a child process and watches its sessions on the server. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliRun {
  pid: number;
  /** Resolves when the process has exited: its code (null when a signal killed it), output and exit time. */
  exited: Promise<{ code: number | null; stdout: string; stderr: string; at: number }>;
  kill(signal: NodeJS.Signals): void;
}

/** Starts `node dist/cli.js ...args` with only PATH in its environment (no DATABASE_URL or PG* from the test's). */
export function startCli(args: string[]): CliRun {
  if (!existsSync(CLI)) throw new Error('run `npm run build` first: dist/cli.js is missing');
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env['PATH'] ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string; at: number }>((resolve) =>
    child.once('close', (code) => resolve({ code, stdout, stderr, at: performance.now() })),
  );
  return { pid: child.pid ?? -1, exited, kill: (signal) => void child.kill(signal) };
}

/** Polls `check` every 25 ms until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A monitoring connection of the test itself (application_name faults-monitor, never counted as Lockscope's). */
export async function monitor(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'faults-monitor' });
  client.on('error', () => undefined); // the server is killed under it on purpose
  await client.connect();
  return client;
}

/** Backend pids of Lockscope's sessions matching `where` (SQL over pg_stat_activity a), excluding the monitor. */
export async function lockscopePids(client: pg.Client, where = 'true'): Promise<number[]> {
  const result = await client.query<{ pid: number }>(
    `SELECT a.pid FROM pg_stat_activity a WHERE a.application_name LIKE 'lockscope%' AND a.pid <> pg_backend_pid() AND (${where})`,
  );
  return result.rows.map((r) => r.pid);
}

/** How many of `pids` still have a session, and how many of those are running a statement. */
export async function leftovers(client: pg.Client, pids: number[]): Promise<{ sessions: number; running: number }> {
  const result = await client.query<{ sessions: string; running: string }>(
    `SELECT count(*) AS sessions, count(*) FILTER (WHERE state = 'active') AS running FROM pg_stat_activity WHERE pid = ANY($1)`,
    [pids],
  );
  const row = result.rows[0];
  return { sessions: Number(row?.sessions ?? 0), running: Number(row?.running ?? 0) };
}

/** Where each long command is recognisable mid-run in pg_stat_activity (a = pg_stat_activity). */
export const MID_RUN = {
  probe: `a.application_name = 'lockscope-probe'`,
  activity: `a.application_name = 'lockscope' AND a.query LIKE '%WITH act AS%'`,
  measure: `a.application_name = 'lockscope' AND a.query LIKE '%pg_sleep%'`,
  // estimate reads the catalog in one short query: the test holds a lock the catalog query needs, so it waits there.
  estimate: `a.application_name = 'lockscope' AND a.wait_event_type = 'Lock'`,
} as const;

/** The catalog the estimate's catalog query reads and nothing else here touches (see MID_RUN.estimate). */
export const HOLD_FOR_ESTIMATE = 'LOCK TABLE pg_catalog.pg_partitioned_table IN ACCESS EXCLUSIVE MODE';

export type LongCommand = keyof typeof MID_RUN;

/**
 * The arguments of each long command against `url`, long enough to be interrupted mid-run. A generous connect timeout:
 * on a loaded machine a SCRAM login alone can take seconds, and the faults under test come after the connection.
 */
export function longCommandArgs(command: LongCommand, url: string, probeSeconds = 15): string[] {
  return [...commandArgs(command, url, probeSeconds), '--connect-timeout', '30'];
}

function commandArgs(command: LongCommand, url: string, probeSeconds: number): string[] {
  switch (command) {
    case 'probe':
      return [
        'probe',
        '--db',
        url,
        '--clients',
        '2',
        '--duration',
        String(probeSeconds),
        '--warmup',
        '0',
        'SELECT v FROM t WHERE id = $1',
        '--param',
        'int:1..100',
      ];
    case 'activity':
      return ['activity', '--db', url, '--watch', '0.3'];
    case 'measure':
      // Each statement stays under the 5 s statement_timeout; together they run 24 s.
      return ['measure', '--db', url, '--execute', '--txn', ...Array.from({ length: 6 }, () => 'SELECT pg_sleep(4)')];
    case 'estimate':
      return ['estimate', '--db', url, 'SELECT v FROM t WHERE id = 1'];
  }
}

export const COMMANDS: LongCommand[] = ['probe', 'activity', 'measure', 'estimate'];

export interface Running {
  runs: Record<LongCommand, CliRun>;
  pids: Record<LongCommand, number[]>;
  probeStartedAt: number;
  holder: pg.Client;
}

/** Starts the four commands and returns once each is mid-run (estimate waiting on the lock the holder keeps). */
export async function startAll(url: string, mon: pg.Client, probeSeconds: number): Promise<Running> {
  const runs = {} as Record<LongCommand, CliRun>;
  const pids = {} as Record<LongCommand, number[]>;
  for (const command of ['probe', 'activity', 'measure'] as const) runs[command] = startCli(longCommandArgs(command, url, probeSeconds));
  let probeStartedAt = 0;
  for (const command of ['probe', 'activity', 'measure'] as const) {
    pids[command] = await waitFor(`${command} mid-run`, async () => {
      const found = await lockscopePids(mon, MID_RUN[command]);
      return found.length >= (command === 'probe' ? 2 : 1) ? found : undefined;
    });
    // The probe's clock starts when its sessions are connected (a slow machine may take seconds to start the CLI).
    if (command === 'probe') probeStartedAt = performance.now();
  }
  const holder = await monitor(url);
  await holder.query('BEGIN');
  await holder.query(HOLD_FOR_ESTIMATE);
  runs.estimate = startCli(longCommandArgs('estimate', url));
  pids.estimate = await waitFor('estimate waiting on the catalog lock', async () => {
    const found = await lockscopePids(mon, MID_RUN.estimate);
    return found.length > 0 ? found : undefined;
  });
  return { runs, pids, probeStartedAt, holder };
}
