/**
 * Splitting, parsing and estimating large SQL inputs (#18): time and peak memory at three sizes of many statements and
 * of one huge INSERT; linear growth shows as a constant time per statement / per MB. Each case runs in its own process
 * so its peak RSS is its own: it splits and parses the text (core), then runs `lockscope estimate --schema --file
 * --json` on it end to end (embedded PGlite catalog from a schema file, predictions, JSON written to a counter).
 * Run: node --import tsx bench/split.bench.ts   (SPLIT_BENCH_ONLY=statements|huge-insert-mb for one kind)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/main.js';
import { loadSqlParser, parseSql } from '../src/core/sql/index.js';
import { parseMemo } from '../src/core/sql/parse-sql.js';
import { statementRanges } from '../src/core/sql/statement-boundaries.js';

const SCHEMA = `CREATE TABLE accounts (id int PRIMARY KEY, balance int);
CREATE TABLE orders (id int PRIMARY KEY, note text);
CREATE TABLE events (id int, payload text);
CREATE TABLE t (id int PRIMARY KEY, label text);
`;

const STATEMENT_COUNTS = [10_000, 30_000, 100_000];
const STATEMENT_MEGABYTES = [5, 20, 50];

function manyStatements(count: number): string {
  const kinds = [
    (i: number) => `UPDATE accounts SET balance = balance - ${i} WHERE id = ?;`,
    (i: number) => `SELECT * FROM orders WHERE id = $1 AND note <> 'n;${i}';`,
    (i: number) => `INSERT INTO events VALUES (${i}, $$x;y$$); -- ${i}`,
  ];
  return Array.from({ length: count }, (_, i) => kinds[i % kinds.length]!(i)).join('\n');
}

function hugeInsert(megabytes: number): string {
  const rows = Math.floor((megabytes * 1024 * 1024) / 20);
  return `INSERT INTO t VALUES ${Array.from({ length: rows }, (_, i) => `(${i}, 'abcdefgh')`).join(',')};`;
}

async function runCase(kind: string, size: number): Promise<void> {
  await loadSqlParser();
  const text = kind === 'statements' ? manyStatements(size) : hugeInsert(size);
  const started = performance.now();
  const ranges = statementRanges(text);
  const splitMs = performance.now() - started;
  const outcome = parseSql(text);
  const parseMs = performance.now() - started;
  const result = outcome.ok
    ? `${outcome.statements.length} statements`
    : `${outcome.statements.length} statements, ${outcome.error.message}`;
  // The estimate run parses again from the file, as a user's run does: nothing remembered from the parse above.
  parseMemo.clear();
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-split-bench-'));
  let estimateMs = -1;
  let estimated = '';
  try {
    writeFileSync(join(dir, 'schema.sql'), SCHEMA);
    writeFileSync(join(dir, 'input.sql'), text);
    let jsonBytes = 0;
    let err = '';
    const t = performance.now();
    const code = await runCli(['estimate', '--schema', join(dir, 'schema.sql'), '--file', join(dir, 'input.sql'), '--json'], {
      stdout: (chunk) => (jsonBytes += chunk.length),
      stderr: (chunk) => (err += chunk),
      env: {},
    });
    estimateMs = performance.now() - t;
    estimated = code === 0 ? `exit 0, ${(jsonBytes / 1024 / 1024).toFixed(1)} MB JSON` : `exit ${code}: ${err.slice(0, 200)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      kind,
      size,
      megabytes: +(text.length / 1024 / 1024).toFixed(1),
      ranges: ranges.length,
      splitMs: Math.round(splitMs),
      parseMs: Math.round(parseMs),
      estimateMs: Math.round(estimateMs),
      peakMb: Math.round(peakMb),
      result,
      estimated,
    }),
  );
}

function main(): void {
  const kind = process.env['SPLIT_BENCH_KIND'];
  if (kind !== undefined) {
    void runCase(kind, Number(process.env['SPLIT_BENCH_SIZE'])).then(() => process.exit(0));
    return;
  }
  const only = process.env['SPLIT_BENCH_ONLY'];
  const cases = [
    ...STATEMENT_COUNTS.map((n) => ['statements', n] as const),
    ...STATEMENT_MEGABYTES.map((mb) => ['huge-insert-mb', mb] as const),
  ].filter(([k]) => only === undefined || k === only);
  console.log(`load average ${loadavg()[0]?.toFixed(1)} at start`);
  console.log('kind              size     MB   split ms   parse ms  estimate ms   per unit (parse + estimate)   peak RSS   result');
  for (const [caseKind, size] of cases) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', __filename], {
      env: { ...process.env, SPLIT_BENCH_KIND: caseKind, SPLIT_BENCH_SIZE: String(size) },
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || line === '') {
      console.log(`${caseKind} ${size}: failed (${child.status}) ${child.stderr.slice(0, 300)}`);
      continue;
    }
    const r = JSON.parse(line) as {
      megabytes: number;
      splitMs: number;
      parseMs: number;
      estimateMs: number;
      peakMb: number;
      result: string;
      estimated: string;
    };
    const per = (ms: number): string =>
      caseKind === 'statements' ? `${((ms / size) * 1000).toFixed(0)} µs/stmt` : `${(ms / r.megabytes).toFixed(0)} ms/MB`;
    console.log(
      `${caseKind.padEnd(15)} ${String(size).padStart(7)} ${r.megabytes.toFixed(1).padStart(6)} ${String(r.splitMs).padStart(10)} ${String(r.parseMs).padStart(10)} ${String(r.estimateMs).padStart(12)}   ${`${per(r.parseMs)} + ${per(r.estimateMs)}`.padStart(27)} ${`${r.peakMb} MB`.padStart(10)}   ${r.result}; estimate ${r.estimated}`,
    );
  }
  console.log(`load average ${loadavg()[0]?.toFixed(1)} at end`);
}

main();
