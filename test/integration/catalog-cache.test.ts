/**
 * A second `estimate --schema` (or `scan --schema`) with the same schema is answered from the kept catalog without
 * starting PostgreSQL (#15: the second call ≤ 1 s; #13: the scan's peak memory): same JSON as the first call, even with
 * the saved data directory made unreadable; a changed schema or a catalog kept by another catalog query is read afresh.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const scratch = mkdtempSync(join(tmpdir(), 'lockscope-catalog-cache-'));
const cacheDir = join(scratch, 'cache');
const schema = join(scratch, 'schema.sql');
after(() => rmSync(scratch, { recursive: true, force: true }));

function estimate(sql: string): { json: unknown; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'estimate', '--schema', schema, '--json', sql], {
    env: { ...process.env, LOCKSCOPE_CACHE_DIR: cacheDir },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  const json = JSON.parse(run.stdout) as Record<string, unknown>;
  // The report's own time stamp, if any, is not part of what is compared.
  delete json['generatedAt'];
  return { json, stderr: run.stderr };
}

const files = (suffix: string): string[] => readdirSync(cacheDir).filter((f) => f.endsWith(suffix));

test('the second estimate of a schema reads the kept catalog, not the database; a changed schema is loaded again', () => {
  copyFileSync(join(ROOT, 'examples', 'shop', 'schema.sql'), schema);
  const sql = 'SELECT * FROM orders WHERE id = 1';
  const first = estimate(sql);
  assert.equal(files('.catalog').length, 1, 'the catalog is kept beside the saved database');

  // Garbage in place of the saved data directory: a second call that started PostgreSQL from it would fail.
  for (const tar of files('.tar')) writeFileSync(join(cacheDir, tar), 'not a tarball');
  assert.deepEqual(estimate(sql).json, first.json);

  appendFileSync(schema, '\nCREATE INDEX orders_status_created ON orders (status, total_cents);\n');
  const changed = estimate(sql);
  assert.notDeepEqual(changed.json, first.json, 'the new index is in the new catalog');
  assert.match(JSON.stringify(changed.json), /orders_status_created/);
  assert.equal(files('.catalog').length, 2);
});

test('a kept catalog from another catalog query is not used', () => {
  const sql = 'SELECT * FROM customers WHERE id = 1';
  const before = estimate(sql).json;
  for (const kept of files('.catalog')) {
    const path = join(cacheDir, kept);
    const text = readFileSync(path, 'utf8');
    // Another fingerprint, and a catalog without relations: used, it would change the answer.
    writeFileSync(path, `0000000000000000\n${text.slice(text.indexOf('\n') + 1).replace(/"relations":\[/, '"relations":[],"x":[')}`);
  }
  assert.deepEqual(estimate(sql).json, before);
});

test('a second scan of a schema reads the kept catalog, not the database (#13)', () => {
  const scanCache = join(scratch, 'scan-cache');
  const scanSchema = join(scratch, 'scan-schema.sql');
  copyFileSync(join(ROOT, 'examples', 'shop', 'schema.sql'), scanSchema);
  const scan = (): string => {
    const run = spawnSync(
      process.execPath,
      [CLI, 'scan', join(ROOT, 'examples'), '--schema', scanSchema, '--format', 'json', '--no-cache'],
      {
        env: { ...process.env, LOCKSCOPE_CACHE_DIR: scanCache },
        encoding: 'utf8',
      },
    );
    assert.ok(run.status === 0 || run.status === 1, run.stderr);
    return run.stdout;
  };
  const first = scan();
  assert.match(first, /"totals"/, 'the first scan has lock counts');
  for (const tar of readdirSync(scanCache).filter((f) => f.endsWith('.tar'))) writeFileSync(join(scanCache, tar), 'not a tarball');
  assert.equal(scan(), first);
});
