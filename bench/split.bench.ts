/**
 * Splitting and parsing large SQL inputs (#18): time and peak memory at three sizes of many statements and of one
 * huge statement; linear growth shows as a constant time per statement / per MB. Each case runs in its own process
 * so its peak RSS is its own. Run: node --import tsx bench/split.bench.ts
 */
import { spawnSync } from 'node:child_process';
import { loadSqlParser, parseSql } from '../src/core/sql/index.js';
import { statementRanges } from '../src/core/sql/statement-boundaries.js';

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
  const totalMs = performance.now() - started;
  const result = outcome.ok
    ? `${outcome.statements.length} statements`
    : `${outcome.statements.length} statements, ${outcome.error.message}`;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      kind,
      size,
      megabytes: +(text.length / 1024 / 1024).toFixed(1),
      ranges: ranges.length,
      splitMs: Math.round(splitMs),
      totalMs: Math.round(totalMs),
      peakMb: Math.round(peakMb),
      result,
    }),
  );
}

function main(): void {
  const kind = process.env['SPLIT_BENCH_KIND'];
  if (kind !== undefined) {
    void runCase(kind, Number(process.env['SPLIT_BENCH_SIZE']));
    return;
  }
  const cases = [
    ...STATEMENT_COUNTS.map((n) => ['statements', n] as const),
    ...STATEMENT_MEGABYTES.map((mb) => ['huge-insert-mb', mb] as const),
  ];
  console.log('kind            size     MB   split ms   total ms   per unit   peak RSS   result');
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
    const r = JSON.parse(line) as { megabytes: number; splitMs: number; totalMs: number; peakMb: number; result: string };
    const unit =
      caseKind === 'statements' ? `${((r.totalMs / size) * 1000).toFixed(0)} µs/stmt` : `${(r.totalMs / r.megabytes).toFixed(0)} ms/MB`;
    console.log(
      `${caseKind.padEnd(15)} ${String(size).padStart(7)} ${r.megabytes.toFixed(1).padStart(6)} ${String(r.splitMs).padStart(10)} ${String(r.totalMs).padStart(10)} ${unit.padStart(12)} ${`${r.peakMb} MB`.padStart(10)}   ${r.result}`,
    );
  }
}

main();
