/**
 * The workload sampler's own cost with 5,000 distinct statements in pg_stat_statements: queries per sample, wall time
 * per sample, server time per sample (pg_stat_statements' own figures for the sampler's queries), the text read for
 * every statement called, and the ranking's CPU per statement (parse + custom and generic lock prediction).
 */
import { loadCatalog } from '../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../src/db/connection-target.js';
import { openServerSession } from '../src/db/server-session.js';
import { DEFAULT_SAFETY } from '../src/db/session.js';
import { OWN_QUERY_MARK, StatementsReader } from '../src/db/workload/statements-reader.js';
import { loadSqlParser } from '../src/core/sql/index.js';
import { rankWorkload } from '../src/core/workload/rank.js';
import { ratesBetween } from '../src/core/workload/statement-stats.js';
import { startCluster } from '../test/support/pg-cluster.js';

const STATEMENTS = Number(process.env['BENCH_STATEMENTS'] ?? 5000);
const SAMPLES = Number(process.env['BENCH_SAMPLES'] ?? 20);
const TABLES = 10;
const COLUMNS = 30;
const INDEXES_PER_TABLE = 20;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)] ?? 0;

/** Statement i: its own (table, select column, filter column) triple, so pg_stat_statements keeps 5,000 distinct rows. */
function statement(i: number): string {
  const table = i % TABLES;
  const pair = Math.floor(i / TABLES);
  return `SELECT c${pair % COLUMNS} FROM w${table} WHERE c${Math.floor(pair / COLUMNS) % COLUMNS} = ${i};`;
}

async function main(): Promise<void> {
  if (STATEMENTS > TABLES * COLUMNS * COLUMNS) throw new Error(`at most ${TABLES * COLUMNS * COLUMNS} distinct statements`);
  const cluster = await startCluster({
    settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.max': String(STATEMENTS + 1000) },
  });
  try {
    cluster.psql('CREATE DATABASE app');
    const columns = Array.from({ length: COLUMNS }, (_, c) => `c${c} int`).join(', ');
    const ddl = Array.from({ length: TABLES }, (_, t) => {
      const indexes = Array.from({ length: INDEXES_PER_TABLE }, (_, k) => `CREATE INDEX ON w${t} (c${k});`).join(' ');
      return `CREATE TABLE w${t} (id int PRIMARY KEY, ${columns}); ${indexes}`;
    }).join('\n');
    cluster.psql(`CREATE EXTENSION pg_stat_statements; ${ddl} ANALYZE;`, 'app');
    const workload = Array.from({ length: STATEMENTS }, (_, i) => statement(i)).join('\n');
    cluster.psql(`SELECT pg_stat_statements_reset(); ${workload}`, 'app');
    const distinct = Number(cluster.psql(`SELECT count(*) FROM pg_stat_statements WHERE query LIKE 'SELECT c%FROM w%'`, 'app').trim());

    const target = resolveConnectionTarget(cluster.urlFor('app'), {});
    if (target === undefined) throw new Error('no target');
    const session = await openServerSession(target, { ...DEFAULT_SAFETY, statementTimeoutMs: 60_000 });
    await loadSqlParser();
    const catalog = await loadCatalog(session);
    const reader = new StatementsReader(session);
    await reader.detect();
    await reader.sample(); // warm: the first sample plans the query
    reader.cost.queries = 0;
    reader.cost.totalMs = 0;
    const times: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await reader.sample();
      times.push(performance.now() - start);
    }
    const queriesPerSample = reader.cost.queries / SAMPLES;

    // A full interval in which every statement was called: two samples around the workload, then every text.
    const first = await reader.sample();
    cluster.psql(workload, 'app');
    const second = await reader.sample();
    const called = [...second.counters.values()].filter((c) => c.calls !== first.counters.get(c.queryId)?.calls);
    let t = performance.now();
    const texts = await reader.texts(called.map((c) => c.queryId));
    const textsMs = performance.now() - t;
    const rates = ratesBetween(first, second, texts).filter((r) => !r.query?.startsWith(OWN_QUERY_MARK));
    t = performance.now();
    const ranking = rankWorkload(rates, catalog, new Map());
    const rankMs = performance.now() - t;
    await session.close();

    // The server's own account of the sampler's queries (their texts start with the mark).
    const own = cluster
      .psql(
        `SELECT CASE WHEN query LIKE '%json_agg%' THEN 'sample' WHEN query LIKE '%= ANY%' THEN 'texts' ELSE 'other' END
                || E'\\t' || calls || E'\\t' || round(mean_exec_time::numeric, 2) || E'\\t' || round(max_exec_time::numeric, 2)
           FROM pg_stat_statements WHERE query LIKE '${OWN_QUERY_MARK}%' ORDER BY 1`,
        'app',
      )
      .trim()
      .split('\n')
      .map((line) => line.split('\t'));
    const serverSample = own.find(([kind]) => kind === 'sample');
    const serverTexts = own.find(([kind]) => kind === 'texts');

    console.log(`workload sampler on PostgreSQL ${cluster.major}: ${distinct} distinct statements in pg_stat_statements`);
    console.log(`queries per sample: ${queriesPerSample.toFixed(2)} (counters of every statement, no texts)`);
    console.log(
      `sample wall time: median ${median(times).toFixed(1)} ms, p95 ${p95(times).toFixed(1)} ms over ${SAMPLES} samples ` +
        `(server time: mean ${serverSample?.[2] ?? '?'} ms, max ${serverSample?.[3] ?? '?'} ms over ${serverSample?.[1] ?? '?'} calls)`,
    );
    console.log(
      `texts of the ${called.length} statements called in the interval: 1 query, ${textsMs.toFixed(1)} ms wall ` +
        `(server ${serverTexts?.[2] ?? '?'} ms)`,
    );
    console.log(
      `ranking: ${rates.length} statements (${ranking.statements.length} predicted, ${ranking.unpredictable.length} not) in ` +
        `${rankMs.toFixed(0)} ms: ${((rankMs / Math.max(1, rates.length)) * 1000).toFixed(0)} µs per statement ` +
        `(parse + custom and generic plan, ${ranking.statements[0]?.locksPerCall ?? '?'} locks per call)`,
    );
    console.log(`a workload run: ${queriesPerSample * 2 + 1} queries to sample and read texts (+ detect, catalog, index usage)`);
  } finally {
    cluster.stop();
  }
}

void main();
