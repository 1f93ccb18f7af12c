/**
 * `lockscope scan` over hostile trees (#11): symlink loops, dangling links, links to /dev/zero and /dev/urandom, a FIFO
 * and a socket named *.sql, an unreadable folder, a file that vanishes: the built CLI finishes in < 5 s, lists each as
 * a skipped path (text on stderr, `skipped` in --json) and never says "internal error" or hangs.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readSourceFile, walkFiles } from '../../src/db/file-walk.js';
import { CLI } from './faults-harness.js';

let root: string;
let socketServer: Server;
const isRoot = process.getuid?.() === 0;

before(async () => {
  root = mkdtempSync(join(tmpdir(), 'lockscope-hostile-'));
  writeFileSync(join(root, 'good.sql'), 'UPDATE t SET a = 1;\n');
  mkdirSync(join(root, 'sub'));
  writeFileSync(join(root, 'sub', 'app.py'), 'cursor.execute("DELETE FROM t")\n');
  symlinkSync('..', join(root, 'sub', 'up')); // a directory loop back to the root
  symlinkSync('b.sql', join(root, 'a.sql')); // a.sql -> b.sql -> a.sql: ELOOP
  symlinkSync('a.sql', join(root, 'b.sql'));
  symlinkSync('missing.sql', join(root, 'dangling.sql'));
  symlinkSync('/dev/zero', join(root, 'zero.sql'));
  symlinkSync('/dev/urandom', join(root, 'random.sql'));
  symlinkSync('/etc', join(root, 'etc-link')); // a folder outside the scanned root: not followed
  execFileSync('mkfifo', [join(root, 'x.sql')]);
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(join(root, 'sock.sql'), resolve));
  mkdirSync(join(root, 'locked'));
  writeFileSync(join(root, 'locked', 'secret.sql'), 'SELECT 1;\n');
  chmodSync(join(root, 'locked'), 0o000);
});

after(async () => {
  await new Promise<void>((resolve) => socketServer.close(() => resolve()));
  if (existsSync(join(root, 'locked'))) chmodSync(join(root, 'locked'), 0o755);
  rmSync(root, { recursive: true, force: true });
});

function runScan(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, 'scan', ...args], { env: { PATH: process.env['PATH'] ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // A hang is the failure under test: kill after 10 s so the assertion, not the runner, reports it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
  });
}

test('scan of a hostile tree finishes fast and lists every problem path', async () => {
  assert.ok(existsSync(CLI), 'run `npm run build` first: dist/cli.js is missing');
  const { code, stdout, stderr, ms } = await runScan([root, '--format', 'json']);
  assert.ok(code === 0 || code === 1, `exit ${code}: ${stderr}`);
  assert.ok(ms < 5000, `took ${ms.toFixed(0)} ms`);
  assert.ok(!/internal error/.test(stderr), stderr);
  const report = JSON.parse(stdout) as { files: Array<{ file: string }>; skipped: Array<{ path: string; reason: string }> };
  const reasons = new Map(report.skipped.map((s) => [s.path.slice(root.length + 1), s.reason]));
  const expected: Array<[string, string]> = [
    ['a.sql', 'symlink-loop'],
    ['b.sql', 'symlink-loop'],
    ['dangling.sql', 'vanished'],
    ['zero.sql', 'outside-roots'],
    ['random.sql', 'outside-roots'],
    ['x.sql', 'special-file'],
    ['sock.sql', 'special-file'],
    ['sub/up', 'symlink-loop'],
    ['etc-link', 'outside-roots'],
  ];
  // root reads any folder whatever its mode: chmod 000 makes EACCES only for other users.
  if (!isRoot) expected.push(['locked', 'unreadable']);
  for (const [path, reason] of expected) assert.equal(reasons.get(path), reason, `${path}: ${JSON.stringify(report.skipped)}`);
  const scanned = report.files.map((f) => f.file.slice(root.length + 1)).sort();
  assert.ok(scanned.includes('good.sql') && scanned.includes('sub/app.py'), scanned.join(', '));
  for (const [path] of expected) assert.ok(!scanned.includes(path), `${path} was scanned`);
  // Text output: the same paths on stderr, one line each.
  const text = await runScan([root]);
  assert.ok(text.code === 0 || text.code === 1, text.stderr);
  assert.match(text.stderr, /skipped .*x\.sql: a named pipe \(FIFO\): not read/);
});

test('a FIFO or a device given directly is skipped, not opened', async () => {
  for (const path of [join(root, 'x.sql'), '/dev/zero']) {
    const { code, stderr, ms } = await runScan([path]);
    assert.ok(code === 0 || code === 1, `${path}: exit ${code}: ${stderr}`);
    assert.ok(ms < 5000, `${path}: took ${ms.toFixed(0)} ms`);
    assert.match(stderr, /skipped .*: a (named pipe|character device)/);
  }
});

test('a file that vanishes between the walk and the read is a skipped path', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lockscope-vanish-'));
  try {
    writeFileSync(join(dir, 'gone.sql'), 'SELECT 1;');
    const { files } = walkFiles([dir], { skipDirectory: () => false, wantFile: () => true });
    assert.deepEqual(files, [join(dir, 'gone.sql')]);
    unlinkSync(join(dir, 'gone.sql'));
    const read = readSourceFile(join(dir, 'gone.sql'), 1024);
    assert.ok('skipped' in read && read.skipped.reason === 'vanished', JSON.stringify(read));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file above the read limit is refused before it is read', () => {
  const read = readSourceFile(join(root, 'good.sql'), 4);
  assert.ok('skipped' in read && read.skipped.reason === 'too-large', JSON.stringify(read));
});
