/**
 * Schema discovery on real repositories: `lockscope schema --json` twice per repository (the second call starts
 * from the cached database), with the source found, relation counts, statements, skips, wall time and peak memory.
 * Repositories: BENCH_REPOS (colon-separated checkouts); nothing is committed of them, only the figures. Needs
 * `npm run build`. The example schema's first/second `estimate --schema` and the 500-table load are in
 * embedded-cache.bench.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SchemaCommandJson } from '../src/cli/commands/schema.js';

const CLI = join(__dirname, '..', 'dist', 'cli.js');
const repos = (process.env['BENCH_REPOS'] ?? '').split(':').filter((r) => r !== '');
if (repos.length === 0) console.log('BENCH_REPOS is empty: give checkouts of applications, colon-separated.');

const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-schema-bench-'));
try {
  for (const repo of repos) {
    for (const pass of ['first', 'second']) {
      const start = performance.now();
      const run = spawnSync(process.execPath, [CLI, 'schema', repo, '--json'], {
        env: { ...process.env, LOCKSCOPE_CACHE_DIR: cacheDir },
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      const wall = ((performance.now() - start) / 1000).toFixed(1);
      if (run.status !== 0) {
        console.log(`${repo} ${pass}: exit ${run.status}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
        continue;
      }
      const doc = JSON.parse(run.stdout) as SchemaCommandJson;
      const l = doc.load;
      console.log(
        `${repo} ${pass}: ${doc.source.description}; ${l.tables} tables, ${l.partitionedTables} partitioned, ${l.indexes} indexes; ` +
          `${l.statements} statements, ${doc.skipped.length} skipped, ${doc.untranslated.length} untranslated; ` +
          `load ${l.seconds} s (cache ${l.cache}), process ${wall} s, peak ${l.peakRssMb} MB`,
      );
    }
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
