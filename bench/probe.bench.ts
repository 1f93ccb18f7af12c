/**
 * The probe engine beside pgbench on the same query, duration and clients (1, 8, 32, 128): a primary-key SELECT
 * (pgbench -S) in both protocol modes, like for like (probe simple vs `pgbench -M simple`, probe prepared vs
 * `pgbench -M prepared`). A plain SELECT runs in read-only sessions, one statement per iteration like pgbench, never
 * pipelined. Beside throughput, the client's CPU per transaction: the probe process's (process.cpuUsage over the
 * run, warm-up and wait sampler included) and pgbench's (user + system from /usr/bin/time), which is where a gap goes
 * on a 2-core machine: client and server share the cores, so CPU one client spends is CPU the backends lack.
 *
 * The machine is shared and noisy, so each round runs the four measurements back to back and the ratios are taken
 * within a round; the order alternates (pgbench simple, probe prepared, probe simple, pgbench prepared, then the
 * reverse) so drift in the background load does not favour one side, and the summary is the median over rounds.
 * The load average is printed with every round.
 * Env: BENCH_CLIENT_LIST (1,8,32,128), BENCH_SECONDS (5), BENCH_SCALE (10), BENCH_ROUNDS (2).
 */
import { execFileSync, spawnSync } from 'node:child_process';
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

/** One run: transactions per second and the client's CPU microseconds per transaction. */
interface Run {
  tps: number;
  cpuUsPerTxn: number;
}

interface Round {
  pgSimple: Run;
  pgPrepared: Run;
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

async function probe(target: ConnectionTarget, protocol: ProbeProtocol, clients: number): Promise<Run> {
  const before = process.cpuUsage();
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
  if (Object.keys(result.errors).length > 0) throw new Error(`probe errors: ${JSON.stringify(result.errors)}`);
  return { tps: result.tps, cpuUsPerTxn: (cpu.user + cpu.system) / Math.max(1, result.transactions) };
}

const cpuUs = (r: Run): string => r.cpuUsPerTxn.toFixed(1).padStart(5);

async function main(): Promise<void> {
  const cluster = await startCluster({ settings: { max_connections: String(Math.max(...CLIENT_LIST) * 2 + 20) } });
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
    const pgbench = (mode: ProbeProtocol, clients: number): Run => {
      const args = pgbenchArgs(['-S', '-n', '-M', mode, '-c', String(clients), '-j', String(Math.min(clients, 2)), '-T', String(SECONDS)]);
      const run = spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', ...args], { encoding: 'utf8', env });
      const tps = Number(/tps = ([\d.]+)/.exec(run.stdout)?.[1] ?? 0);
      const transactions = Number(/actually processed: (\d+)/.exec(run.stdout)?.[1] ?? 0);
      // A run that processed nothing (connections not made in time on a loaded machine) is said, and has no ratio.
      if (transactions === 0)
        console.log(`pgbench -M ${mode} with ${clients} clients processed nothing: ${run.stdout.trim().split('\n').slice(-3).join(' / ')}`);
      const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(run.stderr);
      const seconds = cpu === null ? 0 : Number(cpu[1]) + Number(cpu[2]);
      return { tps, cpuUsPerTxn: (seconds * 1e6) / Math.max(1, transactions) };
    };
    const target = resolveConnectionTarget(cluster.url, {});
    if (target === undefined) throw new Error('no target');
    console.log(
      `primary-key SELECT, ${SECONDS} s per run, scale ${SCALE}, ${ROUNDS} rounds per client count (tps; client CPU µs per transaction)`,
    );
    const summary: string[] = [];
    for (const clients of CLIENT_LIST) {
      console.log(`${clients} clients`);
      console.log('round  pgbench-simple      probe-simple        probe-prepared      pgbench-prepared    | simple  prepared  load');
      const rounds: Round[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        const zero: Run = { tps: 0, cpuUsPerTxn: 0 };
        const r: Round = { pgSimple: zero, probeSimple: zero, probePrepared: zero, pgPrepared: zero };
        const steps: Array<() => Promise<void>> = [
          async () => void (r.pgSimple = pgbench('simple', clients)),
          async () => void (r.probePrepared = await probe(target, 'prepared', clients)),
          async () => void (r.probeSimple = await probe(target, 'simple', clients)),
          async () => void (r.pgPrepared = pgbench('prepared', clients)),
        ];
        for (const step of i % 2 === 0 ? steps : [...steps].reverse()) await step();
        rounds.push(r);
        const cell = (run: Run): string => `${fmt(run.tps)} (${cpuUs(run)} µs)`;
        console.log(
          `${String(i + 1).padStart(5)}  ${cell(r.pgSimple)}  ${cell(r.probeSimple)}  ${cell(r.probePrepared)}  ${cell(r.pgPrepared)}  |  ${ratio(r.probeSimple.tps, r.pgSimple.tps)}    ${ratio(r.probePrepared.tps, r.pgPrepared.tps)}   ${loadavg()[0]?.toFixed(2)}`,
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
            .padStart(5)}`,
      );
    }
    console.log('median over rounds; CPU is the client process, µs per transaction (probe / pgbench)');
    console.log('clients  simple/simple  prepared/prepared  cpu simple        cpu prepared');
    for (const line of summary) console.log(line);
  } finally {
    cluster.stop();
  }
}

void main();
