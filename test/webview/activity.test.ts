/**
 * The Live Activity view in headless Chromium, fed with real samples of a PostgreSQL cluster over time: a transaction
 * holding slow-path locks, a session blocked on a row lock, then both gone. The history charts, pause and export.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { ActivityHistory, pointOf } from '../../src/core/activity/history.js';
import { ActivitySampler } from '../../src/db/activity/sampler.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openServerSession } from '../../src/db/server-session.js';
import type { SqlSession } from '../../src/db/session.js';
import {
  ACTIVITY_VIEW,
  ActivityExportCommand,
  ActivityNotification,
  ActivityPauseCommand,
  ActivityReadyCommand,
  activityState,
  type ActivityState,
} from '../../src/protocol/activity.js';
import { SCREENSHOTS_DIR } from '../support/screenshots.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { assertBundleFresh, launchBrowser, openWebview, type TestBrowser } from './browser.js';
import { LIGHT_MODERN } from './themes.js';

let browser: TestBrowser | undefined;
let cluster: PgCluster | undefined;
let observer: SqlSession | undefined;
const clients: pg.Client[] = [];
/** The states the panel would have sent, one per sample, in order. */
const states: ActivityState[] = [];

async function client(name: string): Promise<pg.Client> {
  assert.ok(cluster);
  const c = new pg.Client({ connectionString: cluster.url, application_name: name });
  await c.connect();
  clients.push(c);
  return c;
}

before(async () => {
  assertBundleFresh();
  cluster = await startCluster();
  const columns = Array.from({ length: 20 }, (_, i) => `c${i} int`).join(', ');
  const indexes = Array.from({ length: 20 }, (_, i) => `CREATE INDEX wide_c${i} ON wide (c${i});`).join('\n');
  cluster.psql(`CREATE TABLE wide (id int PRIMARY KEY, ${columns}); ${indexes} INSERT INTO wide (id) VALUES (1);`);
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  observer = await openServerSession(target);
  const sampler = new ActivitySampler(observer);
  const history = new ActivityHistory();
  const sample = async (): Promise<void> => {
    const snapshot = await sampler.sample();
    history.add(pointOf(snapshot));
    states.push(activityState(snapshot, [], history, 2, false));
  };
  const holder = await client('holder');
  const waiter = await client('waiter');
  await sample(); // 1: two idle sessions
  await holder.query('BEGIN');
  await holder.query('SELECT * FROM wide WHERE id = 1 FOR UPDATE'); // 22 relation locks: 6 beyond the 16 slots
  await sample(); // 2: idle in transaction, holding slow-path locks
  const blocked = waiter.query('UPDATE wide SET c0 = 1 WHERE id = 1');
  for (let i = 0; i < 100 && !states.at(-1)?.snapshot.sessions.some((s) => s.waitEventType === 'Lock'); i++) await sample(); // 3: blocked
  await holder.query('ROLLBACK');
  await blocked;
  await sample(); // 4: both idle again
  browser = await launchBrowser();
});

after(async () => {
  try {
    for (const c of clients) await c.end().catch(() => undefined);
    await observer?.close();
    await browser?.close();
  } finally {
    cluster?.stop();
  }
});

test('the history charts waits by type, sessions by state and slow-path locks held, sample by sample', async () => {
  assert.ok(browser);
  const last = states.at(-1);
  assert.ok(last);
  const points = last.history;
  assert.equal(points.length, states.length);
  // What the cluster did, as the points recorded it.
  assert.equal(points[1]?.states['idle in transaction'], 1);
  assert.equal(points[1]?.slowPathLocks, 6);
  assert.ok((points.at(-2)?.waits.Lock ?? 0) >= 1, 'the blocked UPDATE waits on a Lock');
  assert.equal(points.at(-1)?.slowPathLocks, 0);

  const view = await openWebview(browser, { theme: LIGHT_MODERN, html: { initialView: ACTIVITY_VIEW, title: 'Live Activity' } });
  try {
    assert.deepEqual(await view.waitForPosted(1), [ActivityReadyCommand.create({})]);
    await view.send(ActivityNotification.create({ state: last }));
    await view.page.waitForSelector('#history-charts svg.chart');
    const charts = await view.page.$$eval('#history-charts svg.chart', (els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
    assert.equal(charts.length, 3);
    assert.match(charts[0] ?? '', /^Active sessions by wait: .*Lock:\*/);
    assert.match(charts[2] ?? '', /^Relation locks held: slow-path last 0(\.00)?, all last 0(\.00)?/);
    // One bar per sample for the Lock wait, one point per sample on each line.
    assert.ok((await view.page.$$('#history-charts rect[data-wait="Lock"]')).length >= 1);
    const slowPath = await view.page.$eval('#history-charts polyline[data-series="slow-path"]', (e) => e.getAttribute('points') ?? '');
    assert.equal(slowPath.split(' ').length, points.length);
    const idleInTx = await view.page.$eval(
      '#history-charts polyline[data-series="idle in transaction"]',
      (e) => e.getAttribute('points') ?? '',
    );
    assert.equal(idleInTx.split(' ').length, points.length);
    assert.match((await view.page.textContent('#history-charts')) ?? '', /idle in transaction/);

    await view.page.click('#pause');
    await view.page.click('#export');
    assert.deepEqual((await view.waitForPosted(3)).slice(1), [
      ActivityPauseCommand.create({ paused: true }),
      ActivityExportCommand.create({}),
    ]);
    await view.page.evaluate(() => Promise.all([customElements.whenDefined('vscode-button'), document.fonts.ready]));
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    await view.page.screenshot({ path: join(SCREENSHOTS_DIR, 'activity-history-webview.png'), fullPage: true });
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.cspViolations(), []);
  } finally {
    await view.page.close();
  }
});
