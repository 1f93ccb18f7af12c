/**
 * Scan benches. First the real-size tree (#13): a generated application of 6,000 files and over 600,000 lines
 * (bench/support/real-size-tree.ts) scanned end to end by `lockscope scan --schema … --format json` in a process of
 * its own — the built dist/cli.js users run (`npm run build` first; the sources through tsx when it is absent or
 * BENCH_CLI=tsx) — cold, with the schema's catalog kept, and warm, printing wall, CPU, peak RSS and the per-phase
 * figures of --timings against the targets (≤ 15 s, ≤ 600 MB); BENCH_APP=PATH scans a real checkout the same way
 * (the field study's saleor, say). Then throughput on a generated tree of 5,000 small files
 * (Python, Ruby, TypeScript, Go and SQL, a few query sites each): files/s and lines/s, cold (first pass, grammars just
 * loaded) and warm; then the scan of examples/ against the embedded default database, end to end.
 * BENCH_REAL_FILES sets the real-size tree's file count; BENCH_ONLY=real runs only the real-size part.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyze } from '../src/core/analyze/analyze.js';
import { runRules } from '../src/core/rules/index.js';
import { scanFiles } from '../src/core/scan/registry.js';
import { loadSqlParser } from '../src/core/sql/index.js';
import { filesToScan } from '../src/cli/scan-files.js';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { generateRealSizeTree } from './support/real-size-tree.js';
import { runCli } from '../src/cli/main.js';
import { loadTestGrammars } from '../test/support/grammars.js';

const FILES = Number(process.env['BENCH_FILES'] ?? 5000);

const TEMPLATES: Record<string, (i: number) => string> = {
  'models.py': (i) =>
    `from sqlalchemy.orm import DeclarativeBase, relationship\n\nclass Order${i}(Base):\n    __tablename__ = "orders"\n    items = relationship("Item${i}")\n\nclass Item${i}(Base):\n    __tablename__ = "order_items"\n`,
  'orm.py': (i) =>
    `from sqlalchemy import select, update\n\ndef cancel_${i}(session, order_id):\n    with session.begin():\n        order = session.get(Order${i - 1}, order_id, with_for_update=True)\n        for item in order.items:\n            session.execute(select(Item${i - 1}).where(Item${i - 1}.id == item.id).with_for_update())\n        session.execute(update(Order${i - 1}).where(Order${i - 1}.id == order_id).values(status="cancelled"))\n`,
  py: (i) =>
    `from sqlalchemy import text\n\ndef handler_${i}(session, ids):\n    with session.begin():\n        session.execute(text("SELECT * FROM orders WHERE id = :id FOR UPDATE"), {"id": ids[0]})\n        for order_id in ids:\n            session.execute(text("UPDATE order_items SET quantity = 1 WHERE order_id = :id"), {"id": order_id})\n    return len(ids)\n`,
  rb: (i) =>
    `class Service${i}\n  def call(ids)\n    ActiveRecord::Base.transaction do\n      ActiveRecord::Base.connection.execute("SELECT * FROM orders WHERE id = 1 FOR UPDATE")\n      ids.each { |id| ActiveRecord::Base.connection.execute("UPDATE order_items SET quantity = 1 WHERE order_id = #{id}") }\n    end\n  end\nend\n`,
  ts: (i) =>
    `import { Pool } from 'pg';\n\nexport async function handler${i}(pool: Pool, ids: number[]): Promise<void> {\n  await pool.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [ids[0]]);\n  for (const id of ids) {\n    await pool.query('UPDATE order_items SET quantity = 1 WHERE order_id = $1', [id]);\n  }\n}\n`,
  go: (i) =>
    `package handlers\n\nimport "database/sql"\n\nfunc Handler${i}(db *sql.DB, ids []int) error {\n\ttx, err := db.Begin()\n\tif err != nil {\n\t\treturn err\n\t}\n\tfor _, id := range ids {\n\t\tif _, err := tx.Exec("UPDATE order_items SET quantity = 1 WHERE order_id = $1", id); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn tx.Commit()\n}\n`,
  sql: () => `BEGIN;\nSELECT * FROM orders WHERE id = 1 FOR UPDATE;\nUPDATE order_items SET quantity = 1 WHERE order_id = 1;\nCOMMIT;\n`,
};

function generate(root: string): { files: number; lines: number } {
  const kinds = Object.keys(TEMPLATES);
  let lines = 0;
  for (let i = 0; i < FILES; i++) {
    const kind = kinds[i % kinds.length] as string;
    const dir = join(root, `pkg${Math.floor(i / 100)}`);
    mkdirSync(dir, { recursive: true });
    const text = (TEMPLATES[kind] as (i: number) => string)(i);
    lines += text.split('\n').length;
    writeFileSync(join(dir, kind.includes('.') ? `file${i}_${kind}` : `file${i}.${kind}`), text);
  }
  return { files: FILES, lines };
}

function pass(files: string[]): { ms: number; sites: number } {
  const start = performance.now();
  // As the CLI does: read every file, declare models (first pass), then scan (second pass).
  const scans = scanFiles(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  const analysis = analyze(scans, undefined);
  runRules(analysis);
  return { ms: performance.now() - start, sites: analysis.sites.length };
}

const REAL_FILES = Number(process.env['BENCH_REAL_FILES'] ?? 6000);
const SHOP_SCHEMA = join(__dirname, '..', 'examples', 'shop', 'schema.sql');
const BUILT_CLI = join(__dirname, '..', 'dist', 'cli.js');

interface ChildScan {
  code: number;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  summary: string;
  phases: string[];
}

/**
 * What users run: the bundled dist/cli.js (`npm run build`); the sources through tsx only when it is not built (or
 * BENCH_CLI=tsx). Said in every printed line.
 */
const cli = (): { label: string; args: string[] } =>
  existsSync(BUILT_CLI) && process.env['BENCH_CLI'] !== 'tsx'
    ? { label: 'dist/cli.js', args: [BUILT_CLI, 'scan'] }
    : { label: 'sources through tsx', args: ['--import', 'tsx', join(__dirname, 'support', 'scan-child.ts')] };

/**
 * `lockscope scan PATH --schema … --format json --timings` in its own process, its caches in `cacheDir`, the JSON
 * discarded. CPU (all threads) and peak RSS are the process's own (--timings' total line); wall is measured here.
 */
function scanInChild(path: string, cacheDir: string): ChildScan {
  const started = performance.now();
  const run = spawnSync(process.execPath, [...cli().args, path, '--schema', SHOP_SCHEMA, '--format', 'json', '--timings'], {
    encoding: 'utf8',
    env: { ...process.env, LOCKSCOPE_CACHE_DIR: cacheDir },
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (run.status !== 0 && run.status !== 1) throw new Error(`scan child failed: ${run.stderr}`);
  const lines = run.stderr.split('\n');
  const total = /timing total: \d+ ms wall, (\d+) ms CPU, peak RSS (\d+) MB/.exec(run.stderr);
  return {
    code: run.status,
    wallMs,
    cpuMs: Number(total?.[1]),
    peakRssMb: Number(total?.[2]),
    summary: lines.find((l) => /files, \d+ skipped/.test(l))?.trim() ?? '',
    phases: lines.filter((l) => l.includes('timing ') && !l.includes('timing total')).map((l) => l.replace('lockscope: timing ', '')),
  };
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function report(label: string, r: ChildScan): void {
  const verdict = `${r.wallMs <= 15_000 ? 'within' : 'over'} 15 s, ${r.peakRssMb <= 600 ? 'within' : 'over'} 600 MB`;
  console.log(
    `${label} (${cli().label}): ${(r.wallMs / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU, peak RSS ${r.peakRssMb} MB (${verdict}; load ${load()}) — ${r.summary}`,
  );
  for (const phase of r.phases) console.log(`    ${phase}`);
}

/**
 * Three runs in a fresh cache directory: all cold (the schema loaded into the embedded PostgreSQL, every file
 * extracted), then the scan cache emptied but the schema's catalog kept (what a changed tree costs once the schema
 * was read), then everything kept (an unchanged tree).
 */
function scanThreeWays(label: string, path: string): void {
  const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-scan-bench-cache-'));
  try {
    report(`${label}, cold (no kept catalog, cold scan cache)`, scanInChild(path, cacheDir));
    rmSync(join(cacheDir, 'scan'), { recursive: true, force: true });
    report(`${label}, catalog kept, cold scan cache`, scanInChild(path, cacheDir));
    report(`${label}, warm rerun (catalog and scan cache kept)`, scanInChild(path, cacheDir));
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function realSize(): void {
  const root = mkdtempSync(join(tmpdir(), 'lockscope-real-size-'));
  try {
    const tree = generateRealSizeTree(root, REAL_FILES);
    console.log(`real-size tree: ${tree.files} files, ${tree.lines} lines (Python, Ruby, TypeScript, Go; cross-file helpers and services)`);
    scanThreeWays('real-size scan', root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const app = process.env['BENCH_APP'];
  if (app !== undefined) scanThreeWays(`scan of ${app}`, app);
}

async function main(): Promise<void> {
  realSize();
  if (process.env['BENCH_ONLY'] === 'real') return;
  const root = mkdtempSync(join(tmpdir(), 'lockscope-scan-bench-'));
  try {
    const { lines } = generate(root);
    let start = performance.now();
    await Promise.all([loadSqlParser(), loadTestGrammars()]);
    const loadMs = performance.now() - start;
    const files = filesToScan([root]);
    const cold = pass(files);
    const warm = pass(files);
    const rate = (ms: number): string => `${((files.length * 1000) / ms).toFixed(0)} files/s, ${((lines * 1000) / ms).toFixed(0)} lines/s`;
    console.log(
      `scan bench: ${files.length} files, ${lines} lines, ${warm.sites} query sites (parser and grammars loaded in ${loadMs.toFixed(0)} ms)`,
    );
    console.log(`cold: ${(cold.ms / 1000).toFixed(2)} s = ${rate(cold.ms)}`);
    console.log(`warm: ${(warm.ms / 1000).toFixed(2)} s = ${rate(warm.ms)}`);
    start = performance.now();
    let out = '';
    const code = await runCli(
      ['scan', join(__dirname, '..', 'examples'), '--schema', join(__dirname, '..', 'examples', 'shop', 'schema.sql'), '--format', 'json'],
      { stdout: (t) => (out += t), stderr: () => undefined, env: {} },
    );
    const doc = JSON.parse(out) as { files: Array<{ sites: unknown[] }>; findings: unknown[] };
    console.log(
      `examples/ against the embedded default: ${doc.files.length} files, ${doc.files.reduce((n, f) => n + f.sites.length, 0)} sites, ${doc.findings.length} findings in ${((performance.now() - start) / 1000).toFixed(2)} s (exit ${code}), including PGlite start and schema load`,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

void main();
