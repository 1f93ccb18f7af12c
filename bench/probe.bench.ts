/**
 * The probe engine beside pgbench on the same query, clients and duration: a primary-key SELECT (pgbench -S) with
 * 8 clients, in both protocol modes (simple: literals in the text; prepared: parse once, bind per call). A plain
 * SELECT runs in read-only sessions, one statement per iteration like pgbench, never pipelined.
 *
 * The machine is shared and noisy, so each round runs the four measurements back to back and the ratios are taken
 * within a round; the order alternates (pgbench simple, probe prepared, probe simple, pgbench prepared, then the
 * reverse) so drift in the background load does not favour one side, and the summary is the median over rounds.
 * Target: probe ≥ 0.80 × pgbench's default (simple) mode.
 * Env: BENCH_CLIENTS (8), BENCH_SECONDS (10), BENCH_SCALE (10), BENCH_ROUNDS (4).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseParamSpec } from '../src/core/probe/params.js';
import { resolveConnectionTarget, type ConnectionTarget } from '../src/db/connection-target.js';
import { runProbe, type ProbeProtocol } from '../src/db/probe/engine.js';
import { CLUSTER_PASSWORD, startCluster } from '../test/support/pg-cluster.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const SCALE = Number(process.env['BENCH_SCALE'] ?? 10);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);

interface Round {
  pgSimple: number;
  pgPrepared: number;
  probeSimple: number;
  probePrepared: number;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};
const fmt = (n: number): string => n.toFixed(0).padStart(6);
const ratio = (a: number, b: number): string => (b > 0 ? a / b : 0).toFixed(2);

async function probe(target: ConnectionTarget, protocol: ProbeProtocol): Promise<number> {
  const result = await runProbe(target, {
    clients: CLIENTS,
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
  if (Object.keys(result.errors).length > 0) throw new Error(`probe errors: ${JSON.stringify(result.errors)}`);
  return result.tps;
}

async function main(): Promise<void> {
  const cluster = await startCluster();
  try {
    const env = { ...process.env, PGPASSWORD: CLUSTER_PASSWORD };
    const pgbench = (args: string[]): string =>
      execFileSync(
        join(cluster.binDir, 'pgbench'),
        ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', ...args, 'postgres'],
        { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
    const pgbenchTps = (mode: ProbeProtocol): number =>
      Number(/tps = ([\d.]+)/.exec(pgbench(['-S', '-n', '-M', mode, '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS)]))?.[1] ?? 0);
    pgbench(['-i', '-q', '-s', String(SCALE)]);
    const target = resolveConnectionTarget(cluster.url, {});
    if (target === undefined) throw new Error('no target');
    console.log(`primary-key SELECT, ${CLIENTS} clients, ${SECONDS} s per run, scale ${SCALE}, ${ROUNDS} rounds (tps)`);
    console.log(
      'round  pgbench-simple  probe-simple  probe-prepared  pgbench-prepared | simple/simple  prepared/simple  prepared/prepared',
    );
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r: Round = { pgSimple: 0, probeSimple: 0, probePrepared: 0, pgPrepared: 0 };
      const steps: Array<() => Promise<void>> = [
        async () => void (r.pgSimple = pgbenchTps('simple')),
        async () => void (r.probePrepared = await probe(target, 'prepared')),
        async () => void (r.probeSimple = await probe(target, 'simple')),
        async () => void (r.pgPrepared = pgbenchTps('prepared')),
      ];
      for (const step of i % 2 === 0 ? steps : [...steps].reverse()) await step();
      rounds.push(r);
      console.log(
        `${String(i + 1).padStart(5)}  ${fmt(r.pgSimple)}          ${fmt(r.probeSimple)}        ${fmt(r.probePrepared)}          ${fmt(r.pgPrepared)}           |  ${ratio(r.probeSimple, r.pgSimple)}           ${ratio(r.probePrepared, r.pgSimple)}             ${ratio(r.probePrepared, r.pgPrepared)}`,
      );
    }
    const med = (f: (r: Round) => number): number => median(rounds.map(f));
    console.log(
      `median tps: pgbench -M simple ${med((r) => r.pgSimple).toFixed(0)}, probe simple ${med((r) => r.probeSimple).toFixed(0)}, probe prepared ${med((r) => r.probePrepared).toFixed(0)}, pgbench -M prepared ${med((r) => r.pgPrepared).toFixed(0)}`,
    );
    console.log(`median ratio probe simple / pgbench -M simple:     ${med((r) => r.probeSimple / r.pgSimple).toFixed(2)}`);
    console.log(`median ratio probe prepared / pgbench -M prepared: ${med((r) => r.probePrepared / r.pgPrepared).toFixed(2)}`);
    const best = med((r) => r.probePrepared / r.pgSimple);
    console.log(
      `median ratio probe prepared / pgbench default (simple): ${best.toFixed(2)} (target ≥ 0.80: ${best >= 0.8 ? 'met' : 'NOT met'})`,
    );
  } finally {
    cluster.stop();
  }
}

void main();
