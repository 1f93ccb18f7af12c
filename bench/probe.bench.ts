/**
 * The probe engine beside pgbench on the same query, duration and clients (1, 8, 32, 128): a primary-key SELECT
 * (pgbench -S) in both protocol modes, like for like (probe simple vs `pgbench -M simple`, probe prepared vs
 * `pgbench -M prepared`). A plain SELECT runs in read-only sessions, one statement per iteration like pgbench, never
 * pipelined. Beside throughput, the client's CPU per transaction: the probe process's (process.cpuUsage over the
 * run, warm-up and wait sampler included) and pgbench's (user + system from /usr/bin/time), which is where a gap goes
 * on a 2-core machine: client and server share the cores, so CPU one client spends is CPU the backends lack. The
 * server's CPU per transaction too (the postmaster's children from /proc, ended backends through its cutime), and
 * pgbench running the probe's own transaction shape (BEGIN READ ONLY; SELECT; ROLLBACK, a custom script): what the
 * safety rule "every iteration rolled back" costs the server, apart from what the probe's client costs.
 *
 * The machine is shared and noisy, so each round runs the four measurements back to back and the ratios are taken
 * within a round; the order alternates (pgbench simple, probe prepared, probe simple, pgbench prepared, then the
 * reverse) so drift in the background load does not favour one side, and the summary is the median over rounds.
 * The load average is printed with every round.
 * Env: BENCH_CLIENT_LIST (1,8,32,128), BENCH_SECONDS (5), BENCH_SCALE (10), BENCH_ROUNDS (2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseParamSpec } from '../src/core/probe/params.js';
import { resolveConnectionTarget, type ConnectionTarget } from '../src/db/connection-target.js';
import { runProbe, type ProbeProtocol } from '../src/db/probe/engine.js';
import { CLUSTER_PASSWORD, startCluster } from '../test/support/pg-cluster.js';

const CLIENT_LIST = (process.env['BENCH_CLIENT_LIST'] ?? '1,8,32,128').split(',').map(Number);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 5);
const SCALE = Number(process.env['BENCH_SCALE'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 2);

/** One run: transactions per second, the client's and the server's CPU microseconds per transaction. */
interface Run {
  tps: number;
  cpuUsPerTxn: number;
  serverUsPerTxn: number;
}

interface Round {
  pgSimple: Run;
  pgPrepared: Run;
  /** pgbench running the probe's transaction shape: BEGIN READ ONLY; the SELECT; ROLLBACK. */
  wrappedSimple: Run;
  wrappedPrepared: Run;
  probeSimple: Run;
  probePrepared: Run;
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const fmt = (n: number): string => n.toFixed(0).padStart(6);
const ratio = (a: number, b: number): string => (b > 0 ? a / b : 0).toFixed(2);

async function probe(target: ConnectionTarget, protocol: ProbeProtocol, clients: number, postmaster: number): Promise<Run> {
  const before = process.cpuUsage();
  const children = childCount(postmaster);
  const serverBefore = serverCpuUs(postmaster);
  const result = await runProbe(target, {
    clients,
    durationSeconds: SECONDS,
    warmupSeconds: 1,
    thinkTimeMs: 0,
    statements: ['SELECT abalance FROM pgbench_accounts WHERE aid = $1'],
    params: [parseParamSpec(`int:1..${SCALE * 100000}`)],
    statementTimeoutMs: 10_000,
    lockTimeoutMs: 5_000,
    readOnly: true,
    protocol,
  });
  const cpu = process.cpuUsage(before);
  await settled(postmaster, children);
  const server = serverCpuUs(postmaster) - serverBefore;
  if (Object.keys(result.errors).length > 0) throw new Error(`probe errors: ${JSON.stringify(result.errors)}`);
  const transactions = Math.max(1, result.transactions);
  return { tps: result.tps, cpuUsPerTxn: (cpu.user + cpu.system) / transactions, serverUsPerTxn: server / transactions };
}

const cpuUs = (r: Run): string => `${r.cpuUsPerTxn.toFixed(1).padStart(5)} + ${r.serverUsPerTxn.toFixed(0).padStart(3)}`;

/** Clock ticks per second of /proc's CPU times (USER_HZ). */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** The postmaster's live children (backends of a run that just ended may still be exiting). */
function childCount(postmaster: number): number {
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) n++;
    } catch {
      // ended meanwhile
    }
  }
  return n;
}

/** Waits (up to 3 s) until the run's backends have exited and been reaped, so their CPU is in the postmaster's cutime. */
async function settled(postmaster: number, children: number): Promise<void> {
  for (let i = 0; i < 30 && childCount(postmaster) > children; i++) await new Promise((r) => setTimeout(r, 100));
}

/**
 * CPU microseconds the server has used so far: the postmaster's own and its reaped children's (ended backends, from
 * /proc/<pid>/stat cutime + cstime), plus every live child's (backends, background workers).
 */
function serverCpuUs(postmaster: number): number {
  const fields = (pid: string): string[] | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return undefined; // ended between the listing and the read: its time is in the postmaster's cutime now
    }
  };
  // After the command name: state ppid … utime(14) stime(15) cutime(16) cstime(17), 1-based in proc(5).
  const own = fields(String(postmaster));
  let ticks = own === undefined ? 0 : [11, 12, 13, 14].reduce((a, i) => a + Number(own[i]), 0);
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const f = fields(pid);
    if (f !== undefined && Number(f[1]) === postmaster) ticks += Number(f[11]) + Number(f[12]);
  }
  return (ticks * 1e6) / TICKS;
}

async function main(): Promise<void> {
  const cluster = await startCluster({ settings: { max_connections: String(Math.max(...CLIENT_LIST) * 2 + 20) } });
  // pgbench's script for the probe's shape lives in a folder of its own, removed with the cluster.
  const scriptDir = mkdtempSync(join(tmpdir(), 'lockscope-probe-bench-'));
  try {
    const env = { ...process.env, PGPASSWORD: CLUSTER_PASSWORD };
    const pgbenchArgs = (args: string[]): string[] => [
      join(cluster.binDir, 'pgbench'),
      '-h',
      '127.0.0.1',
      '-p',
      String(cluster.port),
      '-U',
      'postgres',
      ...args,
      'postgres',
    ];
    const [pgbenchBin, ...initArgs] = pgbenchArgs(['-i', '-q', '-s', String(SCALE)]);
    execFileSync(pgbenchBin as string, initArgs, { env, stdio: 'ignore' });
    /** pgbench under /usr/bin/time: its tps, and its user + system CPU over the transactions it processed. */
    const postmaster = Number(readFileSync(join(cluster.psql('SHOW data_directory').trim(), 'postmaster.pid'), 'utf8').split('\n')[0]);
    // The probe's safety rule puts every iteration in BEGIN READ ONLY … ROLLBACK: the same shape run by pgbench (three
    // statements and three round trips where the probe needs one) shows what the rule itself costs the server.
    const wrappedScript = join(scriptDir, 'wrapped.sql');
    writeFileSync(
      wrappedScript,
      `\\set aid random(1, ${SCALE * 100000})\nBEGIN READ ONLY;\nSELECT abalance FROM pgbench_accounts WHERE aid = :aid;\nROLLBACK;\n`,
    );
    const pgbench = async (mode: ProbeProtocol, clients: number, wrapped = false): Promise<Run> => {
      const children = childCount(postmaster);
      const serverBefore = serverCpuUs(postmaster);
      const args = pgbenchArgs([
        ...(wrapped ? ['-f', wrappedScript] : ['-S']),
        '-n',
        '-M',
        mode,
        '-c',
        String(clients),
        '-j',
        String(Math.min(clients, 2)),
        '-T',
        String(SECONDS),
      ]);
      const run = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', ...args], { encoding: 'utf8', env });
      const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? 0);
      const transactions = Number(/actually processed: (\d+)/.exec(run.stdout)?.[1] ?? 0);
      // A run that processed nothing (connections not made in time on a loaded machine) is said, and has no ratio.
      if (transactions === 0)
        console.log(`pgbench -M ${mode} with ${clients} clients processed nothing: ${run.stdout.trim().split('\n').slice(-3).join(' / ')}`);
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
      const seconds = cpu === null ? 0 : Number(cpu[1]) + Number(cpu[2]);
      await settled(postmaster, children);
      const server = serverCpuUs(postmaster) - serverBefore;
      return { tps, cpuUsPerTxn: (seconds * 1e6) / Math.max(1, transactions), serverUsPerTxn: server / Math.max(1, transactions) };
    };
    const target = resolveConnectionTarget(cluster.url, {});
    if (target === undefined) throw new Error('no target');
    console.log(
      `primary-key SELECT, ${SECONDS} s per run, scale ${SCALE}, ${ROUNDS} rounds per client count (tps; client + server CPU µs per transaction)`,
    );
    const summary: string[] = [];
    for (const clients of CLIENT_LIST) {
      console.log(`${clients} clients`);
      console.log(
        'round  pgbench-simple            probe-simple              probe-prepared            pgbench-prepared          | simple  prepared  load',
      );
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const zero: Run = { tps: 0, cpuUsPerTxn: 0, serverUsPerTxn: 0 };
        const r: Round = {
          pgSimple: zero,
          probeSimple: zero,
          probePrepared: zero,
          pgPrepared: zero,
          wrappedSimple: zero,
          wrappedPrepared: zero,
        };
        const steps: Array<() => Promise<void>> = [
          async () => void (r.pgSimple = await pgbench('simple', clients)),
          async () => void (r.probePrepared = await probe(target, 'prepared', clients, postmaster)),
          async () => void (r.probeSimple = await probe(target, 'simple', clients, postmaster)),
          async () => void (r.pgPrepared = await pgbench('prepared', clients)),
          async () => void (r.wrappedSimple = await pgbench('simple', clients, true)),
          async () => void (r.wrappedPrepared = await pgbench('prepared', clients, true)),
        ];
        for (const step of i % 2 === 0 ? steps : [...steps].reverse()) await step();
        rounds.push(r);
        const cell = (run: Run): string => `${fmt(run.tps)} (${cpuUs(run)} µs)`;
        console.log(
          `${String(i + 1).padStart(5)}  ${cell(r.pgSimple)}  ${cell(r.probeSimple)}  ${cell(r.probePrepared)}  ${cell(r.pgPrepared)}  |  ${ratio(r.probeSimple.tps, r.pgSimple.tps)}    ${ratio(r.probePrepared.tps, r.pgPrepared.tps)}   ${loadavg()[0]?.toFixed(2)}; same shape: pgbench BEGIN/SELECT/ROLLBACK ${cell(r.wrappedSimple)} simple, ${cell(r.wrappedPrepared)} prepared; probe / it ${ratio(r.probeSimple.tps, r.wrappedSimple.tps)} and ${ratio(r.probePrepared.tps, r.wrappedPrepared.tps)}`,
        );
      }
      const med = (f: (r: Round) => number): number => median(rounds.map(f));
      summary.push(
        `${String(clients).padStart(7)}  ${med((r) => r.probeSimple.tps / r.pgSimple.tps)
          .toFixed(2)
          .padStart(13)}  ${med((r) => r.probePrepared.tps / r.pgPrepared.tps)
          .toFixed(2)
          .padStart(17)}  ` +
          `${med((r) => r.probeSimple.cpuUsPerTxn)
            .toFixed(1)
            .padStart(9)} / ${med((r) => r.pgSimple.cpuUsPerTxn)
            .toFixed(1)
            .padStart(5)}  ` +
          `${med((r) => r.probePrepared.cpuUsPerTxn)
            .toFixed(1)
            .padStart(9)} / ${med((r) => r.pgPrepared.cpuUsPerTxn)
            .toFixed(1)
            .padStart(5)}  ` +
          `${med((r) => r.probeSimple.serverUsPerTxn).toFixed(0)} / ${med((r) => r.pgSimple.serverUsPerTxn).toFixed(0)}  ` +
          `${med((r) => r.probePrepared.serverUsPerTxn).toFixed(0)} / ${med((r) => r.pgPrepared.serverUsPerTxn).toFixed(0)}  ` +
          `${med((r) => r.wrappedSimple.tps / r.pgSimple.tps).toFixed(2)} ${med((r) => r.wrappedPrepared.tps / r.pgPrepared.tps).toFixed(2)}  ` +
          `${med((r) => r.probeSimple.tps / r.wrappedSimple.tps).toFixed(2)} ${med((r) => r.probePrepared.tps / r.wrappedPrepared.tps).toFixed(2)}`,
      );
    }
    console.log('median over rounds; CPU µs per transaction (probe / pgbench) of the client process and of the server');
    console.log(
      'clients  simple/simple  prepared/prepared  cpu simple        cpu prepared      server simple  server prepared  pgbench same shape / -S  probe / same shape',
    );
    for (const line of summary) console.log(line);
  } finally {
    cluster.stop();
    rmSync(scriptDir, { recursive: true, force: true });
  }
}

void main();
