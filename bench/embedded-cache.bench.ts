/**
 * The cached embedded database: first and second `lockscope estimate --schema` on the example schema and on a
 * generated 500-table schema (whole process, wall and CPU), then the first load of real applications'
 * structure.sql files (time, peak memory, what was skipped). Needs `npm run build`. Real schemas: the files in
 * BENCH_SCHEMAS (colon-separated), else ../shared/schemas/*.sql and ../field-apps/*.structure.sql when present.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist', 'cli.js');

/** CPU seconds of waited-for children so far (Linux /proc; undefined elsewhere). */
function childrenCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    // After "pid (comm) ", cutime and cstime are fields 14 and 15 (0-based), in clock ticks of 1/100 s.
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return undefined;
  }
}

function timedCli(args: string[], env: Record<string, string>): { wallS: number; cpuS: number | undefined; code: number | null } {
  const cpuBefore = childrenCpuSeconds();
  const start = performance.now();
  const result = spawnSync(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
  const wallS = (performance.now() - start) / 1000;
  const cpuAfter = childrenCpuSeconds();
  if (result.status !== 0) console.error(result.stderr);
  return { wallS, cpuS: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore, code: result.status };
}

function wideSchema(tables: number): string {
  const out: string[] = [];
  for (let t = 1; t <= tables; t++) {
    out.push(`CREATE TABLE t${t} (id bigserial PRIMARY KEY, ref bigint, a int, b text, c timestamptz);`);
    out.push(`CREATE INDEX t${t}_a ON t${t} (a);`, `CREATE INDEX t${t}_b ON t${t} (b);`, `CREATE INDEX t${t}_ref ON t${t} (ref);`);
  }
  return out.join('\n');
}

const show = (run: { wallS: number; cpuS: number | undefined }): string =>
  `${run.wallS.toFixed(2)} s wall${run.cpuS === undefined ? '' : `, ${run.cpuS.toFixed(2)} s CPU`}`;

function firstAndSecond(name: string, schema: string, sql: string): void {
  const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-bench-cache-'));
  try {
    const env = { LOCKSCOPE_CACHE_DIR: cacheDir };
    const first = timedCli(['estimate', '--schema', schema, sql], env);
    const second = timedCli(['estimate', '--schema', schema, sql], env);
    console.log(`${name}: first estimate --schema ${show(first)}; second (cached) ${show(second)}`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}

function realSchemas(): string[] {
  const listed = process.env['BENCH_SCHEMAS'];
  if (listed !== undefined && listed !== '') return listed.split(':');
  const dirs: Array<[string, RegExp]> = [
    [join(ROOT, '..', 'shared', 'schemas'), /\.sql$/],
    [join(ROOT, '..', 'field-apps'), /\.structure\.sql$/],
  ];
  return dirs.flatMap(([dir, pattern]) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => pattern.test(f))
          .map((f) => join(dir, f))
      : [],
  );
}

function main(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: npm run build`);
  firstAndSecond('example (examples/shop/schema.sql)', join(ROOT, 'examples', 'shop', 'schema.sql'), 'SELECT * FROM orders WHERE id = 1');
  const scratch = mkdtempSync(join(tmpdir(), 'lockscope-bench-wide-'));
  try {
    const wide = join(scratch, 'wide.sql');
    writeFileSync(wide, wideSchema(500));
    firstAndSecond('500 tables, 2,000 indexes', wide, 'SELECT * FROM t1 WHERE id = 1');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  for (const file of realSchemas()) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'support', 'load-schema.ts'), file], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      console.log(`${file}: failed to load: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
      continue;
    }
    const r = JSON.parse(line) as { loadMs: number; maxRssMb: number; applied: number; tables: number; skipped: string[] };
    console.log(
      `${file}: ${r.tables} tables, ${r.applied} statements in ${(r.loadMs / 1000).toFixed(1)} s, peak ${r.maxRssMb.toFixed(0)} MB; skipped ${r.skipped.length}`,
    );
    for (const s of r.skipped) console.log(`    skipped ${s}`);
  }
}

main();
