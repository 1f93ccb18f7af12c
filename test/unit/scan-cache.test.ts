/**
 * lockscope scan's content-hash cache (src/cli/scan-cache.ts, scan-jobs.ts): a kept entry answers for an unchanged
 * file; a new extraction version, changed text or changed models miss; a damaged entry is ignored with one message
 * and replaced; other versions' entries are pruned only once stale.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { decodeScanEntry, encodeScanEntry, modelsFingerprint, ScanCache, scanKey, textKey } from '../../src/cli/scan-cache.js';
import { declareFile, FileScanner } from '../../src/cli/scan-jobs.js';
import type { ModelDeclaration } from '../../src/core/scan/models.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { loadTestGrammars } from '../support/grammars.js';

const MODELS_PY = 'class Order(Base):\n    __tablename__ = "orders"\n';
const SERVICE_PY = [
  'from sqlalchemy import select',
  '',
  'def lock_all(session, ids):',
  '    for i in ids:',
  '        session.execute(select(Order).where(Order.id == i).with_for_update())',
  '',
].join('\n');

let root: string;
let source: string;

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
  root = mkdtempSync(join(tmpdir(), 'lockscope-scan-cache-'));
  source = join(root, 'app');
  mkdirSync(source);
  writeFileSync(join(source, 'models.py'), MODELS_PY);
  writeFileSync(join(source, 'service.py'), SERVICE_PY);
});

after(() => rmSync(root, { recursive: true, force: true }));

function freshCache(version = 'v1'): { cache: ScanCache; notes: string[]; dir: string } {
  const dir = mkdtempSync(join(root, 'cache-'));
  const notes: string[] = [];
  return { cache: new ScanCache(dir, version, (m) => notes.push(m)), notes, dir };
}

/** Every entry file under a cache folder. */
function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  walk(dir);
  return out;
}

const PLANTED: ModelDeclaration = {
  language: 'python',
  name: 'Planted',
  table: 'planted',
  confidence: 'likely',
  relations: {},
  file: 'x.py',
};

test('models: a miss declares and keeps; a kept entry answers instead of the file (hit)', () => {
  const { cache, notes } = freshCache();
  const file = join(source, 'models.py');
  const first = declareFile(file, 'v1', cache);
  assert.ok('models' in first);
  assert.deepEqual(
    first.models.map((m) => m.table),
    ['orders'],
  );
  // Plant another answer under the same key: a hit returns it without reading the models from the text again.
  cache.writeModels(first.key, { models: [PLANTED] });
  const second = declareFile(file, 'v1', cache);
  assert.ok('models' in second);
  assert.deepEqual(
    second.models.map((m) => m.name),
    ['Planted'],
  );
  assert.deepEqual(notes, []);
});

test('keys: a new extraction version, other text or another path miss; the models fingerprint keys scans', () => {
  const cases: Array<{ name: string; a: string; b: string }> = [
    { name: 'version', a: textKey('v1', 'a.py', 'x = 1'), b: textKey('v2', 'a.py', 'x = 1') },
    { name: 'text', a: textKey('v1', 'a.py', 'x = 1'), b: textKey('v1', 'a.py', 'x = 2') },
    { name: 'path', a: textKey('v1', 'a.py', 'x = 1'), b: textKey('v1', 'b.py', 'x = 1') },
    { name: 'models', a: scanKey('k', modelsFingerprint([])), b: scanKey('k', modelsFingerprint([PLANTED])) },
  ];
  for (const c of cases) assert.notEqual(c.a, c.b, c.name);
  assert.equal(textKey('v1', 'a.py', 'x = 1'), textKey('v1', 'a.py', 'x = 1'));
});

test('a version change misses: the entry kept under v1 is not read under v2', () => {
  const { cache, dir } = freshCache('v1');
  const file = join(source, 'models.py');
  const first = declareFile(file, 'v1', cache);
  assert.ok('key' in first);
  cache.writeModels(first.key, { models: [PLANTED] });
  const other = new ScanCache(dir, 'v2', () => undefined);
  const again = declareFile(file, 'v2', other);
  assert.ok('models' in again);
  assert.deepEqual(
    again.models.map((m) => m.table),
    ['orders'],
  );
});

test('scans: kept per file and models fingerprint, identical to a scan without the cache', () => {
  const { cache, dir } = freshCache();
  const declared = [join(source, 'models.py'), join(source, 'service.py')].map((f) => declareFile(f, 'v1', cache));
  const models = declared.flatMap((d) => ('models' in d ? d.models : []));
  const service = declared[1];
  assert.ok(service !== undefined && 'key' in service);
  const uncached = new FileScanner(models, modelsFingerprint(models), 'v1', undefined).scan(service.file, service.key).scan;
  const cold = new FileScanner(models, modelsFingerprint(models), 'v1', cache).scan(service.file, service.key);
  const kept = entries(dir).length;
  const warm = new FileScanner(models, modelsFingerprint(models), 'v1', cache).scan(service.file, service.key);
  assert.equal(entries(dir).length, kept, 'a warm scan writes nothing');
  assert.deepEqual([cold.cached, warm.cached], [false, true]);
  assert.deepEqual(cold.scan, uncached);
  assert.deepEqual(warm.scan, uncached);
  assert.match(uncached?.sites[0]?.sql ?? '', /FROM "?orders"?\b.*FOR UPDATE/s);
  // Other models (Order's table renamed): the kept scan is not used.
  const renamed = models.map((m) => ({ ...m, table: 'purchase_orders' }));
  const rescanned = new FileScanner(renamed, modelsFingerprint(renamed), 'v1', cache).scan(service.file, service.key).scan;
  assert.match(rescanned?.sites[0]?.sql ?? '', /purchase_orders/);
});

test('a damaged entry is ignored with one clear message, the file scanned again and the entry replaced', () => {
  const { cache, notes, dir } = freshCache();
  const file = join(source, 'models.py');
  const first = declareFile(file, 'v1', cache);
  assert.ok('key' in first);
  const [path] = entries(dir).filter((p) => p.endsWith(first.key));
  assert.ok(path !== undefined);
  const bytes = readFileSync(path);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
  writeFileSync(path, bytes);
  const again = declareFile(file, 'v1', cache);
  assert.ok('models' in again);
  assert.deepEqual(
    again.models.map((m) => m.table),
    ['orders'],
  );
  assert.equal(notes.length, 1);
  assert.match(
    notes[0] ?? '',
    /scan cache entry models\/[0-9a-f]+ ignored \(damaged: its checksum does not match\); the file is scanned again/,
  );
  // Replaced: the next read is a clean hit.
  declareFile(file, 'v1', cache);
  assert.equal(notes.length, 1);
  // Truncated to less than a checksum: the same.
  writeFileSync(path, Buffer.from([1, 2, 3]));
  assert.deepEqual(cache.readModels(first.key), undefined);
});

test('encoded scans decode to what was encoded; other bytes decode to nothing', () => {
  const scan = { file: 'a.py', language: 'python' as const, sites: [], subtransactions: [], calls: [], problems: [] };
  assert.deepEqual(decodeScanEntry(encodeScanEntry({ scan })), { scan });
  assert.deepEqual(decodeScanEntry(encodeScanEntry({ scan: undefined })), { scan: undefined });
  const problems: string[] = [];
  assert.equal(
    decodeScanEntry(Buffer.from('not v8'), (m) => problems.push(m)),
    undefined,
  );
  assert.equal(problems.length, 1);
});

test('other versions are pruned once not written for a day; a recent one (another checkout) is kept', () => {
  const { cache, dir } = freshCache('current');
  cache.writeModels('aa'.repeat(32), { models: [] });
  const old = new ScanCache(dir, 'old', () => undefined);
  old.writeModels('bb'.repeat(32), { models: [] });
  const recent = new ScanCache(dir, 'recent', () => undefined);
  recent.writeModels('cc'.repeat(32), { models: [] });
  const folders = readdirSync(dir);
  assert.equal(folders.length, 3);
  const oldFolder = folders.find((f) => f.includes('old'));
  assert.ok(oldFolder !== undefined);
  const longAgo = new Date(Date.now() - 3 * 24 * 60 * 60 * 1000);
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(join(d, e.name));
    utimesSync(d, longAgo, longAgo);
  };
  walk(join(dir, oldFolder));
  cache.pruneOtherVersions();
  assert.equal(existsSync(join(dir, oldFolder)), false);
  assert.equal(readdirSync(dir).length, 2);
});
