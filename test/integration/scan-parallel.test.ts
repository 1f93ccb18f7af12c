/**
 * lockscope scan in worker threads and from its content-hash cache says exactly what the serial, uncached scan says
 * (#13): the same JSON, byte for byte, over the field fixtures (every ORM and language) and a generated application
 * tree (cross-file helpers and services), cold and warm; a warm scan is answered by the cache.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { generateRealSizeTree } from '../../bench/support/real-size-tree.js';

const SCHEMA = join(__dirname, '..', '..', 'examples', 'shop', 'schema.sql');
const FIXTURES = join(__dirname, '..', 'fixtures');
let root: string;
let tree: string;
let cacheDir: string;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'lockscope-scan-parallel-'));
  tree = join(root, 'app');
  cacheDir = join(root, 'cache');
  generateRealSizeTree(tree, 160);
});

after(() => rmSync(root, { recursive: true, force: true }));

async function scan(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['scan', FIXTURES, tree, '--schema', SCHEMA, '--format', 'json', ...args], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += `${t}\n`),
    env: { LOCKSCOPE_CACHE_DIR: cacheDir },
  });
  return { code, out, err };
}

const extracted = (err: string): string => /lockscope: extracted .*/.exec(err)?.[0] ?? `no extraction line in: ${err}`;

test('worker threads and the cache, cold and warm, print the serial uncached scan byte for byte', async () => {
  const serial = await scan(['--jobs', '1', '--no-cache']);
  const doc = JSON.parse(serial.out) as { files: Array<{ sites: unknown[] }>; findings: unknown[] };
  assert.ok(doc.files.length > 250, `files scanned: ${doc.files.length}`);
  assert.ok(doc.files.reduce((n, f) => n + f.sites.length, 0) > 500);
  assert.ok(doc.findings.length > 100);
  // Every file read: the scanned ones and those that only declare models (schema.prisma).
  const files = Number(/extracted (\d+) files in one thread \(cache off\)/.exec(serial.err)?.[1]);
  assert.ok(files >= doc.files.length, extracted(serial.err));

  const runs: Array<{ args: string[]; line: RegExp }> = [
    { args: ['--jobs', '2'], line: new RegExp(`extracted ${files} files in 2 worker threads \\(0 from the cache\\)`) },
    { args: ['--jobs', '2'], line: new RegExp(`extracted ${files} files in 2 worker threads \\(${files} from the cache\\)`) },
    { args: ['--jobs', '1'], line: new RegExp(`extracted ${files} files in one thread \\(${files} from the cache\\)`) },
    { args: ['--jobs', '3', '--no-cache'], line: new RegExp(`extracted ${files} files in 3 worker threads \\(cache off\\)`) },
  ];
  for (const run of runs) {
    const result = await scan(run.args);
    assert.equal(result.code, serial.code, run.args.join(' '));
    assert.match(extracted(result.err), run.line, run.args.join(' '));
    assert.doesNotMatch(result.err, /cache entry .* ignored|worker failed|one thread$/m, run.args.join(' '));
    assert.ok(result.out === serial.out, `${run.args.join(' ')}: the JSON differs from the serial scan`);
  }
});

test('--jobs wants a whole number from 1 to 64', async () => {
  for (const bad of ['0', '1.5', 'many', '65']) {
    let err = '';
    const code = await runCli(['scan', tree, '--jobs', bad], { stdout: () => undefined, stderr: (t) => (err += t), env: {} });
    assert.equal(code, 2, bad);
    assert.match(err, /--jobs wants a whole number from 1 to 64/);
  }
});
