/**
 * The probe engine beside pgbench on the same query, clients and duration: a primary-key SELECT (pgbench -S) with
 * 8 clients. Prints both throughputs and the ratio (target ≥ 0.8). A plain SELECT runs in read-only sessions, one
 * statement per iteration like pgbench; anything else is wrapped in BEGIN … ROLLBACK, still one round trip.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { parseParamSpec } from '../src/core/probe/params.js';
import { resolveConnectionTarget } from '../src/db/connection-target.js';
import { runProbe } from '../src/db/probe/engine.js';
import { CLUSTER_PASSWORD, startCluster } from '../test/support/pg-cluster.js';

const CLIENTS = Number(process.env['BENCH_CLIENTS'] ?? 8);
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 10);
const SCALE = Number(process.env['BENCH_SCALE'] ?? 10);

async function main(): Promise<void> {
  const cluster = await startCluster();
  try {
    const env = { ...process.env, PGPASSWORD: CLUSTER_PASSWORD };
    const pgbench = (args: string[]): string => execFileSync(join(cluster.binDir, 'pgbench'), ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', ...args, 'postgres'], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
    pgbench(['-i', '-q', '-s', String(SCALE)]);
    const pg = pgbench(['-S', '-n', '-c', String(CLIENTS), '-j', '2', '-T', String(SECONDS)]);
    const pgTps = Number(/tps = ([\d.]+)/.exec(pg)?.[1] ?? 0);
    const target = resolveConnectionTarget(cluster.url, {});
    if (target === undefined) throw new Error('no target');
    const probe = await runProbe(target, {
      clients: CLIENTS, durationSeconds: SECONDS, warmupSeconds: 1, thinkTimeMs: 0,
      statements: ['SELECT abalance FROM pgbench_accounts WHERE aid = $1'], params: [parseParamSpec(`int:1..${SCALE * 100000}`)],
      statementTimeoutMs: 10_000, lockTimeoutMs: 5_000, readOnly: true,
    });
    console.log(`pgbench -S: ${CLIENTS} clients, ${SECONDS} s: ${pgTps.toFixed(0)} tps`);
    console.log(`lockscope probe (same query, read-only sessions): ${probe.tps.toFixed(0)} tps, p50 ${probe.latencyMs.p50.toFixed(2)} ms, p99 ${probe.latencyMs.p99.toFixed(2)} ms`);
    console.log(`ratio probe / pgbench: ${(probe.tps / pgTps).toFixed(2)} (target ≥ 0.80)`);
  } finally {
    cluster.stop();
  }
}

void main();
