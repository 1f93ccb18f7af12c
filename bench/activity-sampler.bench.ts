/** The activity sampler's own cost: queries per second it issues at its default interval and their mean time. */
import pg from 'pg';
import { ActivitySampler } from '../src/db/activity/sampler.js';
import { resolveConnectionTarget } from '../src/db/connection-target.js';
import { openServerSession } from '../src/db/server-session.js';
import { startCluster } from '../test/support/pg-cluster.js';

const DEFAULT_INTERVAL_SECONDS = 1;
const SESSIONS = Number(process.env['BENCH_SESSIONS'] ?? 100);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 50);

async function main(): Promise<void> {
  const cluster = await startCluster();
  const clients: pg.Client[] = [];
  try {
    cluster.psql('CREATE DATABASE app');
    cluster.psql(
      `CREATE TABLE t (id int PRIMARY KEY, v int); INSERT INTO t SELECT g, g FROM generate_series(1, 1000) g;
                  ${Array.from({ length: 20 }, (_, i) => `CREATE INDEX t_v${i} ON t ((v + ${i}));`).join('\n')}`,
      'app',
    );
    // A busy-looking server: every client holds a transaction with 21 relation locks (5 of them slow-path).
    for (let i = 0; i < SESSIONS; i++) {
      const client = new pg.Client({ connectionString: cluster.urlFor('app'), application_name: `bench-${i}` });
      await client.connect();
      await client.query('BEGIN');
      await client.query('SELECT * FROM t WHERE id = $1', [i + 1]);
      clients.push(client);
    }
    const target = resolveConnectionTarget(cluster.urlFor('app'), {});
    if (target === undefined) throw new Error('no target');
    const session = await openServerSession(target);
    const sampler = new ActivitySampler(session);
    await sampler.sample(); // warm: version lookup and plan caching
    sampler.cost.queries = 0;
    sampler.cost.totalMs = 0;
    const times: number[] = [];
    let sessionsSeen = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      const snapshot = await sampler.sample();
      times.push(performance.now() - start);
      sessionsSeen = snapshot.sessions.length;
    }
    await session.close();
    times.sort((a, b) => a - b);
    const mean = sampler.cost.totalMs / sampler.cost.queries;
    const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
    console.log(`activity sampler on PostgreSQL ${cluster.major}, ${sessionsSeen} other sessions each holding 22 relation locks`);
    console.log(`samples: ${SAMPLES}, queries per sample: ${(sampler.cost.queries / SAMPLES).toFixed(2)}`);
    console.log(
      `query time: mean ${mean.toFixed(2)} ms, median ${(times[Math.floor(times.length / 2)] ?? 0).toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`,
    );
    console.log(
      `at the default interval of ${DEFAULT_INTERVAL_SECONDS}s: ${(sampler.cost.queries / SAMPLES / DEFAULT_INTERVAL_SECONDS).toFixed(2)} queries/s, server time ${((mean / (DEFAULT_INTERVAL_SECONDS * 1000)) * 100).toFixed(2)}% of one backend`,
    );
  } finally {
    for (const client of clients) await client.end().catch(() => undefined);
    cluster.stop();
  }
}

void main();
