/**
 * Lock-engine speed on a generated schema of 2,000 tables and 20,000 indexes: catalog load time (query and decode
 * apart, with the backend's CPU for the query and the lookup index's build), statements estimated per second
 * (parse + predict; cold, then warm, wall and CPU), and the same run's measure rate (EXPLAIN + pg_locks) beside it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { catalogFromText, catalogText, loadCatalog } from '../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../src/db/connection-target.js';
import { measureLocks } from '../src/db/measure.js';
import { openServerSession } from '../src/db/server-session.js';
import { DEFAULT_SAFETY } from '../src/db/session.js';
import { structuralOwner } from '../src/core/catalog.js';
import { predictStatements } from '../src/core/predict/index.js';
import { loadSqlParser, parseSql } from '../src/core/sql/index.js';
import { parseMemo } from '../src/core/sql/parse-sql.js';
import { startCluster } from '../test/support/pg-cluster.js';
import { createWideSchema, statementMix } from './support/wide-schema.js';

const TABLES = Number(process.env['BENCH_TABLES'] ?? 2000);
const INDEXES_PER_TABLE = Number(process.env['BENCH_INDEXES_PER_TABLE'] ?? 10);
const STATEMENTS = Number(process.env['BENCH_STATEMENTS'] ?? 5000);
const MEASURED = Number(process.env['BENCH_MEASURED'] ?? 500);

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const load = (): string => loadavg()[0]?.toFixed(2) ?? '?';
/** Clock ticks per second of /proc's CPU times (USER_HZ). */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
/** CPU milliseconds a local backend has used (utime + stime of /proc/<pid>/stat): the query's cost on the server. */
const backendCpuMs = (pid: number): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS;
};
const RUNS = Number(process.env['BENCH_CATALOG_RUNS'] ?? 5);

async function main(): Promise<void> {
  const cluster = await startCluster({ settings: { max_locks_per_transaction: '256' } });
  try {
    cluster.psql('CREATE DATABASE bench');
    let t = performance.now();
    createWideSchema(cluster, 'bench', TABLES, INDEXES_PER_TABLE);
    console.log(
      `schema: ${TABLES} tables, ${TABLES * INDEXES_PER_TABLE} indexes, generated in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const target = resolveConnectionTarget(cluster.urlFor('bench'), {});
    if (target === undefined) throw new Error('no target');
    const session = await openServerSession(target, { ...DEFAULT_SAFETY, statementTimeoutMs: 120_000 });
    // Query (one round trip, the JSON text as it comes) and decode (JSON.parse, relations, name and oid maps) apart;
    // the backend's CPU for the query from /proc (the cluster is local); then the lookup index the predictor builds
    // on its first structural lookup.
    const backend = (await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid ?? 0;
    const queries: number[] = [];
    const serverCpu: number[] = [];
    const decodes: number[] = [];
    const decodeCpu: number[] = [];
    const lookups: number[] = [];
    let textBytes = 0;
    let catalog = await loadCatalog(session);
    for (let i = 0; i < RUNS; i++) {
      const server = backendCpuMs(backend);
      t = performance.now();
      const text = await catalogText(session);
      queries.push(performance.now() - t);
      serverCpu.push(backendCpuMs(backend) - server);
      textBytes = Buffer.byteLength(text);
      t = performance.now();
      const cpu = cpuMs();
      catalog = catalogFromText(text, session.kind);
      decodeCpu.push(cpuMs() - cpu);
      decodes.push(performance.now() - t);
      t = performance.now();
      structuralOwner(catalog, 0);
      lookups.push(performance.now() - t);
    }
    const loads = queries.map((q, i) => q + (decodes[i] ?? 0));
    const heapMb = process.memoryUsage().heapUsed / 1024 / 1024;
    console.log(
      `catalog load: ${catalog.relations.size} relations in one query (${(textBytes / 1e6).toFixed(2)} MB of JSON), median ${median(loads).toFixed(0)} ms (runs: ${loads.map((x) => x.toFixed(0)).join(', ')} ms) = query ${median(queries).toFixed(0)} ms (server CPU ${median(serverCpu).toFixed(0)} ms) + decode ${median(decodes).toFixed(0)} ms (decode CPU ${median(decodeCpu).toFixed(0)} ms); lookup index ${median(lookups).toFixed(0)} ms on first use; heap ${heapMb.toFixed(0)} MB (load average ${load()})`,
    );

    await loadSqlParser();
    const statements = statementMix(STATEMENTS, TABLES);
    // Warm-up: as many other statements (another seed) as are timed, so the JIT has compiled the parse and predict
    // paths; that first pass is the cold figure. Then the timed run: parse + predict per statement, as the editor does
    // on each change.
    const estimatePass = (texts: string[]): { locks: number; seconds: number; cpuSeconds: number } => {
      const start = performance.now();
      const cpu = cpuMs();
      let locks = 0;
      for (const sql of texts) {
        const parsed = parseSql(sql);
        if (!parsed.ok) throw new Error(parsed.error.message);
        locks += predictStatements(parsed.statements, catalog, { txn: false }).statements[0]?.totals.locks ?? 0;
      }
      return { locks, seconds: (performance.now() - start) / 1000, cpuSeconds: (cpuMs() - cpu) / 1000 };
    };
    const cold = estimatePass(statementMix(STATEMENTS, TABLES, 7));
    console.log(
      `estimate, cold (the process's first ${STATEMENTS} statements): ${(STATEMENTS / cold.seconds).toFixed(0)} statements/s wall, ${(STATEMENTS / cold.cpuSeconds).toFixed(0)}/s of CPU`,
    );
    // The warm-up's texts are remembered: forgotten, so every statement timed is parsed and predicted afresh.
    parseMemo.clear();
    const warm = estimatePass(statements);
    const estimateRate = STATEMENTS / warm.seconds;
    console.log(
      `estimate: ${STATEMENTS} statements (${warm.locks} predicted locks) in ${warm.seconds.toFixed(2)} s = ${estimateRate.toFixed(0)} statements/s (${(STATEMENTS / warm.cpuSeconds).toFixed(0)}/s of CPU; load average ${load()})`,
    );
    // The editor's case: the same texts again (an unchanged statement after a keystroke) are remembered.
    t = performance.now();
    for (const sql of statements) predictStatements(parseSql(sql).statements, catalog, { txn: false });
    console.log(
      `re-estimate of the same ${STATEMENTS} texts (remembered parse and prediction): ${(STATEMENTS / ((performance.now() - t) / 1000)).toFixed(0)} statements/s`,
    );

    const measuredStatements = statements.slice(0, MEASURED);
    t = performance.now();
    await measureLocks(session, measuredStatements, catalog, { execute: false, txn: false });
    const measureSeconds = (performance.now() - t) / 1000;
    const measureRate = MEASURED / measureSeconds;
    console.log(
      `measure: ${MEASURED} statements (BEGIN; EXPLAIN; pg_locks; ROLLBACK) in ${measureSeconds.toFixed(2)} s = ${measureRate.toFixed(0)} statements/s`,
    );
    console.log(
      `ratio: estimate is ${(estimateRate / measureRate).toFixed(1)}x the measure rate, and needs no server round trip per statement`,
    );
    await session.close();
  } finally {
    cluster.stop();
  }
}

void main();
