/**
 * The Lock Cost view in headless Chromium, fed with a real sampling of a PostgreSQL cluster with pg_stat_statements:
 * a hot table with 22 indexes, a partitioned table read without its key, a cheap table, and a temporary table the
 * catalog cannot see, all called between the two samples; the code sites come from the workload fixture.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { scanFiles } from '../../src/core/scan/registry.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { codeSitesByFingerprint } from '../../src/core/workload/code-sites.js';
import type { WorkloadResult } from '../../src/core/workload/workload-result.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { loadGrammarFiles } from '../../src/db/grammar-files.js';
import { openServerSession } from '../../src/db/server-session.js';
import { withSession, type SqlSession } from '../../src/db/session.js';
import { sampleWorkload } from '../../src/db/workload/sample-workload.js';
import { StatementsReader, StatementsUnavailableError } from '../../src/db/workload/statements-reader.js';
import {
  LOCK_COST_VIEW,
  LockCostErrorNotification,
  LockCostInitNotification,
  LockCostOpenCodeCommand,
  LockCostProbeCommand,
  LockCostReadyCommand,
  LockCostRunCommand,
  LockCostStateNotification,
  lockCostState,
  type LockCostState,
} from '../../src/protocol/lock-cost.js';
import { SCREENSHOTS_DIR } from '../support/screenshots.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { assertBundleFresh, launchBrowser, openWebview, type TestBrowser } from './browser.js';
import { DARK_MODERN } from './themes.js';

const APP_FILE = join(__dirname, '..', 'fixtures', 'workload', 'shop_app.py');

let browser: TestBrowser | undefined;
let cluster: PgCluster | undefined;
let result: WorkloadResult | undefined;
let state: LockCostState | undefined;
let unavailable = '';

const openShop = async (database: string): Promise<SqlSession> => {
  assert.ok(cluster);
  const target = resolveConnectionTarget(cluster.urlFor(database), {});
  assert.ok(target);
  return openServerSession(target);
};

before(async () => {
  assertBundleFresh();
  await Promise.all([loadSqlParser(), loadGrammarFiles()]);
  cluster = await startCluster({ settings: { shared_preload_libraries: 'pg_stat_statements' } });
  cluster.psql('CREATE DATABASE shop; CREATE DATABASE bare;');
  const columns = Array.from({ length: 22 }, (_, i) => `c${i} int`).join(', ');
  const indexes = Array.from({ length: 22 }, (_, i) => `CREATE INDEX hot_orders_c${i}_idx ON hot_orders (c${i});`).join('\n');
  const partitions = Array.from(
    { length: 12 },
    (_, i) => `CREATE TABLE events_${i + 1} PARTITION OF events FOR VALUES FROM (${i + 1}) TO (${i + 2});`,
  ).join('\n');
  cluster.psql(
    `CREATE EXTENSION pg_stat_statements;
     CREATE TABLE hot_orders (id int PRIMARY KEY, ${columns}); ${indexes}
     INSERT INTO hot_orders (id, c0) SELECT g, g FROM generate_series(1, 100) g;
     CREATE TABLE events (id int, day int, kind int) PARTITION BY RANGE (day); ${partitions}
     CREATE TABLE settings (key int PRIMARY KEY, value text);
     INSERT INTO settings SELECT g, 'v' FROM generate_series(1, 9) g;
     ANALYZE;`,
    'shop',
  );
  const scans = scanFiles([{ file: APP_FILE, text: readFileSync(APP_FILE, 'utf8') }]);
  const sites = codeSitesByFingerprint(scans.flatMap((s) => s.sites));
  const app = new pg.Client({ connectionString: cluster.urlFor('shop'), application_name: 'shop' });
  await app.connect();
  try {
    // The workload runs between the two samples: the wait is the app's traffic (and at least the interval).
    const traffic = async (ms: number): Promise<void> => {
      const interval = new Promise((resolve) => setTimeout(resolve, ms));
      await app.query('CREATE TEMP TABLE cart (id int)');
      for (let i = 1; i <= 60; i++) {
        await app.query('SELECT id, c0 FROM hot_orders WHERE id = $1', [i]);
        if (i % 2 === 0) await app.query('SELECT count(*) FROM events WHERE kind = $1', [i % 5]);
        await app.query('SELECT value FROM settings WHERE key = $1', [1 + (i % 9)]);
        if (i % 6 === 0) await app.query('SELECT count(*) FROM cart');
      }
      await interval;
    };
    const sampled = await withSession(
      () => openShop('shop'),
      (session) => sampleWorkload(session, { intervalSeconds: 1, sort: 'slowpath', sites, wait: traffic }),
    );
    result = sampled;
    state = lockCostState(sampled, 'shop on the test cluster', (_file, line) => `shop_app.py:${line + 1}`);
  } finally {
    await app.end();
  }
  await withSession(
    () => openShop('bare'),
    async (session) => {
      try {
        await new StatementsReader(session).detect();
      } catch (error) {
        if (error instanceof StatementsUnavailableError) unavailable = error.message;
        else throw error;
      }
    },
  );
  browser = await launchBrowser();
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    cluster?.stop();
  }
});

test('Lock Cost ranks the sampled statements with their locks, code sites, the index diet and what was not predicted', async () => {
  assert.ok(browser && state && result);
  // What the cluster did, as the ranking recorded it: 60 point reads of a table with 23 indexes first.
  const hot = state.statements[0];
  assert.ok(hot, JSON.stringify(state.statements.map((s) => s.query)));
  assert.match(hot.query, /FROM hot_orders/);
  assert.equal(hot.calls, 60);
  assert.deepEqual([hot.locksPerCall, hot.slowPathPerCall], [24, 8]);
  assert.deepEqual(
    state.statements.slice(0, 3).map((s) => [s.query.match(/FROM (\w+)/)?.[1], s.calls]),
    [
      ['hot_orders', 60],
      ['events', 30],
      ['settings', 60],
    ],
  );
  const cart = state.unpredictable.find((u) => u.query.includes('cart'));
  assert.ok(cart, JSON.stringify(state.unpredictable));

  const view = await openWebview(browser, { theme: DARK_MODERN, html: { initialView: LOCK_COST_VIEW, title: 'Lock Cost' } });
  try {
    assert.deepEqual(await view.waitForPosted(1), [LockCostReadyCommand.create({})]);
    await view.send(LockCostInitNotification.create({ intervalSeconds: 5, state: undefined }));
    assert.equal(await view.page.$eval('#interval', (e) => (e as HTMLElement & { value: string }).value), '5');
    await view.page.click('#run');
    assert.deepEqual((await view.waitForPosted(2))[1], LockCostRunCommand.create({ intervalSeconds: 5 }));
    assert.equal(await view.page.isVisible('#cancel'), true);

    await view.send(LockCostStateNotification.create({ state }));
    await view.page.waitForSelector('#ranking');
    const rows = await view.page.$$eval('#ranking tr.statement', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].slice(0, 6).map((td) => td.textContent ?? '')),
    );
    assert.equal(rows.length, state.statements.length);
    assert.equal(rows[0]?.[0], '1');
    assert.match(rows[0]?.[1] ?? '', /SELECT id, c0 FROM hot_orders WHERE id = \$1/);
    assert.deepEqual(rows[0]?.slice(3, 5), ['24', '8']);
    assert.equal(Number(rows[0]?.[2]), Number(hot.callsPerSecond.toFixed(hot.callsPerSecond < 10 ? 2 : 1)));
    const details = (await view.page.textContent('#ranking tr.statement-details')) ?? '';
    assert.match(details, /public\.hot_orders 24 locks \(23 indexes\), 8 slow-path/);
    assert.match((await view.page.textContent('#ranking')) ?? '', /public\.events 13 locks \(12 partitions\), 0 slow-path/);
    assert.match((await view.page.textContent('#unpredictable')) ?? '', new RegExp(cart.reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.match((await view.page.textContent('#diet')) ?? '', /public\.hot_orders \(23 indexes\): drop 22/);
    assert.equal(await view.page.isVisible('#cancel'), false);

    // The first statement's code site opens the fixture at its line; Probe asks the host for that statement.
    await view.page.click('#ranking tr.statement a[data-file]');
    await view.page.click(`#ranking vscode-button[data-probe="${hot.queryId}"]`);
    assert.deepEqual((await view.waitForPosted(4)).slice(2), [
      LockCostOpenCodeCommand.create({ file: APP_FILE, line: 6 }),
      LockCostProbeCommand.create({ queryId: hot.queryId }),
    ]);
    await view.page.evaluate(() => Promise.all([customElements.whenDefined('vscode-button'), document.fonts.ready]));
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOTS_DIR, 'lock-cost-webview.png'), fullPage: true });
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.cspViolations(), []);
  } finally {
    await view.page.close();
  }
});

test('without pg_stat_statements the view says how to enable it', async () => {
  assert.ok(browser);
  assert.match(unavailable, /pg_stat_statements is not installed/);
  const view = await openWebview(browser, { html: { initialView: LOCK_COST_VIEW, title: 'Lock Cost' } });
  try {
    await view.waitForPosted(1);
    await view.send(LockCostErrorNotification.create({ message: unavailable, enable: true }));
    await view.page.waitForSelector('#enable');
    const text = (await view.page.textContent('#enable')) ?? '';
    assert.match(text, /shared_preload_libraries = 'pg_stat_statements'/);
    assert.match(text, /CREATE EXTENSION pg_stat_statements;/);
    assert.match(text, /pg_stat_statements is not installed in this database/);
    assert.deepEqual(view.problems, []);
  } finally {
    await view.page.close();
  }
});
