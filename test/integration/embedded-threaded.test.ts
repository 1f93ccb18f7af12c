/**
 * The embedded database on a worker thread answers exactly as the in-thread one: same catalog, same rows, errors as
 * typed DbErrors (bad SQL with its SQLSTATE, a schema that does not load), and closing ends the worker.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { before, test } from 'node:test';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { openEmbeddedSessionThreaded } from '../../src/db/embedded-session-threaded.js';
import { DbError } from '../../src/db/errors.js';

const ROOT = join(__dirname, '..', '..');
// The bundled worker, as the extension ships it (npm test builds before the integration layer).
const WORKER = join(ROOT, 'dist', 'embedded-worker.js');
const SCHEMA = join(ROOT, 'examples', 'shop', 'schema.sql');

before(() => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: npm run build`);
});

test('threaded and in-thread embedded sessions load the same catalog and answer the same rows', async () => {
  const [threaded, inThread] = await Promise.all([
    openEmbeddedSessionThreaded({ schemaFile: SCHEMA }, WORKER),
    openEmbeddedSession({ schemaFile: SCHEMA }),
  ]);
  try {
    assert.equal(threaded.kind, 'embedded');
    assert.deepEqual(threaded.schemaReport, inThread.schemaReport);
    const [a, b] = await Promise.all([loadCatalog(threaded), loadCatalog(inThread)]);
    assert.equal(a.relations.size, b.relations.size);
    assert.equal(a.profile.version, b.profile.version);
    assert.deepEqual(
      [...a.relations.values()].map((r) => r.qualifiedName).sort(),
      [...b.relations.values()].map((r) => r.qualifiedName).sort(),
    );
    const rows = await threaded.query<{ n: number; t: string }>('SELECT $1::int + 1 AS n, $2::text AS t', [41, 'x']);
    assert.deepEqual(rows, [{ n: 42, t: 'x' }]);
  } finally {
    await Promise.all([threaded.close(), inThread.close()]);
  }
});

test('errors cross the thread as typed DbErrors; a closed session refuses politely', async () => {
  const session = await openEmbeddedSessionThreaded({}, WORKER);
  await assert.rejects(session.query('SELEC 1'), (error: unknown) => DbError.is(error, 'query-failed') && error.sqlState === '42601');
  assert.deepEqual(await session.query('SELECT 1 AS one'), [{ one: 1 }], 'the session survives a bad statement');
  await session.close();
  await session.close(); // twice is fine
  await assert.rejects(session.query('SELECT 1'), (error: unknown) => DbError.is(error, 'connection-lost'));
});

test('a schema file that is missing fails the open with schema-load, and the worker is gone', async () => {
  await assert.rejects(
    openEmbeddedSessionThreaded({ schemaFile: '/no/such/schema.sql' }, WORKER),
    (error: unknown) => DbError.is(error, 'schema-load') && /Cannot read schema file/.test(error.message),
  );
});

test('the cache directory reaches the worker: the second open starts from the kept copy', async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'lockscope-threaded-cache-'));
  try {
    const first = await openEmbeddedSessionThreaded({ schemaFile: SCHEMA, cacheDir }, WORKER);
    await first.close();
    assert.equal(first.schemaReport.cache, 'stored');
    const second = await openEmbeddedSessionThreaded({ schemaFile: SCHEMA, cacheDir }, WORKER);
    await second.close();
    assert.equal(second.schemaReport.cache, 'hit');
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
