/** The Probe Runner in headless Chromium, its host controller driving real EXPLAIN, pg_locks and load probes on PostgreSQL. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { Catalog } from '../../src/core/catalog.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { resolveConnectionTarget, type ConnectionTarget } from '../../src/db/connection-target.js';
import { ProbeRunnerHost, type ProbeHostInput } from '../../src/probe-runner/runner-host.js';
import { openServerSession } from '../../src/db/server-session.js';
import { withSession } from '../../src/db/session.js';
import type { IpcMessage, IpcMessageType } from '../../src/protocol/ipc.js';
import {
  LoadProgressNotification,
  LoadResultNotification,
  LocksResultNotification,
  PROBE_VIEW,
  type LoadRunResult,
} from '../../src/protocol/probe.js';
import { SCREENSHOTS_DIR } from '../support/screenshots.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { assertBundleFresh, launchBrowser, openWebview, type TestBrowser, type WebviewPage } from './browser.js';

const TABLES = ['accounts', 'wide', 'gateways', 'tools'];

let browser: TestBrowser | undefined;
let cluster: PgCluster;
let target: ConnectionTarget;
let catalog: Catalog;
let checksums: string;
const exportDir = mkdtempSync(join(tmpdir(), 'lockscope-probe-export-'));

const checksum = (): string =>
  cluster.psql(TABLES.map((t) => `SELECT '${t}', md5(coalesce(string_agg(x::text, ',' ORDER BY x::text), '')) FROM ${t} x;`).join('\n'));
const leftovers = (): string =>
  cluster.psql(`SELECT string_agg(application_name, ',') FROM pg_stat_activity WHERE application_name LIKE 'lockscope%'`).trim();
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

before(async () => {
  assertBundleFresh();
  cluster = await startCluster();
  // wide: 20 indexes, so a primary-key read needs 21 relation locks, 5 beyond the 16 fast-path slots of PostgreSQL 15.
  const indexes = Array.from({ length: 19 }, (_, i) => `CREATE INDEX wide_c${i} ON wide (c${i % 4}, id);`).join('\n');
  cluster.psql(`CREATE TABLE accounts (id int PRIMARY KEY, balance int NOT NULL, owner text);
    INSERT INTO accounts SELECT g, g % 97, 'owner ' || (g % 50) FROM generate_series(1, 20000) g;
    CREATE INDEX accounts_owner ON accounts (owner);
    CREATE TABLE wide (id int PRIMARY KEY, c0 int, c1 int, c2 int, c3 int);
    INSERT INTO wide SELECT g, g, g, g, g FROM generate_series(1, 1000) g;
    ${indexes}
    CREATE TABLE gateways (id int PRIMARY KEY, state text);
    CREATE TABLE tools (id int PRIMARY KEY, gateway_id int REFERENCES gateways (id), state text);
    CREATE INDEX tools_gateway_idx ON tools (gateway_id);
    INSERT INTO gateways VALUES (1, 'up');
    INSERT INTO tools SELECT g, 1, 'up' FROM generate_series(1, 10) g;
    ANALYZE;`);
  const t = resolveConnectionTarget(cluster.url, {});
  assert.ok(t);
  target = t;
  catalog = await withSession(() => openServerSession(target), loadCatalog);
  checksums = checksum();
  browser = await launchBrowser();
});

after(async () => {
  try {
    await browser?.close();
  } finally {
    cluster?.stop();
    rmSync(exportDir, { recursive: true, force: true });
  }
});

/** Backends exit a moment after their client disconnects: allow them 2 s. */
async function noLeftovers(message: string): Promise<void> {
  for (let i = 0; i < 40 && leftovers() !== ''; i++) await sleep(50);
  assert.equal(leftovers(), '', message);
}

afterEach(async () => {
  await noLeftovers('probe sessions left behind');
  assert.equal(checksum(), checksums, 'a probe changed the tables');
});

interface Harness {
  view: WebviewPage;
  host: ProbeRunnerHost;
  fromHost: Array<IpcMessage<unknown>>;
  waitFor<P>(type: IpcMessageType<P>, timeoutMs?: number, count?: number): Promise<IpcMessage<P>>;
  close(): Promise<void>;
}

/** The page plays the webview, this process plays the extension host: a pump forwards what the page posts. */
async function openProbe(input: ProbeHostInput): Promise<Harness> {
  assert.ok(browser);
  const view = await openWebview(browser, { html: { title: 'Probe Runner', initialView: PROBE_VIEW } });
  const fromHost: Array<IpcMessage<unknown>> = [];
  let chain = Promise.resolve();
  const host = new ProbeRunnerHost(
    {
      target,
      catalog,
      post: (m) => {
        fromHost.push(m);
        chain = chain.then(() => view.send(m)).catch(() => undefined);
      },
      save: async (name, content) => {
        writeFileSync(join(exportDir, name), content);
        return join(exportDir, name);
      },
    },
    input,
  );
  let running = true;
  const handled: Array<Promise<void>> = [];
  const pump = (async () => {
    let delivered = 0;
    while (running) {
      const posted = await view.posted().catch(() => []);
      for (; delivered < posted.length; delivered++) handled.push(host.handle(posted[delivered]));
      await sleep(20);
    }
  })();
  await view.page.waitForSelector('#sql');
  await view.page.evaluate(() =>
    Promise.all(['vscode-tabs', 'vscode-checkbox', 'vscode-textfield', 'vscode-button'].map((n) => customElements.whenDefined(n))),
  );
  return {
    view,
    host,
    fromHost,
    async waitFor<P>(type: IpcMessageType<P>, timeoutMs = 15_000, count = 1): Promise<IpcMessage<P>> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = fromHost.filter((m): m is IpcMessage<P> => type.is(m));
        if (found.length >= count) {
          await chain;
          return found[count - 1] as IpcMessage<P>;
        }
        if (Date.now() > end)
          throw new Error(`no ${type.method} from the host within ${timeoutMs} ms: ${fromHost.map((m) => m.method).join(', ')}`);
        await sleep(20);
      }
    },
    async close() {
      running = false;
      await pump;
      await host.dispose();
      await Promise.all(handled);
      assert.deepEqual(view.problems, []);
      assert.deepEqual(await view.cspViolations(), []);
      await view.page.close();
    },
  };
}

const connection = { label: 'postgres://postgres:***@127.0.0.1/postgres', environment: 'dev' as const };
const text = async (view: WebviewPage, selector: string): Promise<string> => ((await view.page.textContent(selector)) ?? '').trim();
async function screenshot(view: WebviewPage, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await view.page.evaluate(() => document.fonts.ready);
  await view.page.screenshot({ path: join(SCREENSHOTS_DIR, name), fullPage: true });
}
async function setField(view: WebviewPage, id: string, value: string): Promise<void> {
  await view.page.evaluate(
    ([sel, v]) => {
      (document.getElementById(sel ?? '') as HTMLElement & { value: string }).value = v ?? '';
    },
    [id, value],
  );
}

test('EXPLAIN renders a plan tree with the slowest and the misestimated node, and the raw text and JSON', async () => {
  const p = await openProbe({
    sql: 'SELECT a.owner, count(*) FROM accounts a JOIN accounts b ON b.id = a.id + 1 WHERE a.balance < $1 AND a.owner LIKE $2 GROUP BY a.owner ORDER BY 2 DESC',
    params: [
      { name: '$1', spec: '40' },
      { name: '$2', spec: 'owner 1%' },
    ],
    connection,
  });
  try {
    const { page } = p.view;
    assert.match(await text(p.view, '#connection'), /postgres:\/\/postgres:\*\*\*@127\.0\.0\.1\/postgres\s*dev\s*PostgreSQL 15\./);
    assert.equal(
      (await page.isDisabled('#opt-generic')) || (await page.getAttribute('#opt-generic', 'disabled')) !== null,
      true,
      'GENERIC_PLAN is for PostgreSQL 16+',
    );
    await page.click('#run-explain');
    await page.waitForSelector('table.plan tbody tr');
    const nodes = await page.$$eval('table.plan tr.plan-row .node-type', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(nodes.length >= 5, nodes.join(', '));
    assert.ok(
      nodes.some((n) => /Join/.test(n)),
      nodes.join(', '),
    );
    assert.equal(await page.locator('tr.slowest').count(), 1);
    assert.equal(await page.locator('tr.misestimated').count(), 1);
    assert.match(await text(p.view, '.timing'), /^Planning [\d.]+ ms · execution [\d.]+ ms$/);
    assert.match(await text(p.view, 'table.plan tbody tr:first-child'), /\d+ hit · \d+ read/);
    await screenshot(p.view, 'probe-explain.png');
    await page.click('.view-toggle [data-view="text"]');
    assert.match(await text(p.view, 'pre.raw-text'), /Hash Join|Merge Join|Nested Loop/);
    assert.match(await text(p.view, 'pre.raw-text'), /Buffers: shared hit=/);
    await page.click('.view-toggle [data-view="json"]');
    assert.equal(JSON.parse(await text(p.view, 'pre.raw-json'))[0]['Plan']['Node Type'], nodes[0]);
    // DDL is refused on a non-disposable profile before anything connects.
    const ddl = await openProbe({ sql: 'ALTER TABLE accounts ADD COLUMN x int', connection });
    try {
      await ddl.view.page.click('#run-explain');
      await ddl.view.page.getByRole('alert').waitFor();
      assert.match(await text(ddl.view, '[role="alert"]'), /Refusing to run DDL \(ALTER TABLE\) on a dev database/);
    } finally {
      await ddl.close();
    }
  } finally {
    await p.close();
  }
});

/** The backend's relation locks after EXPLAIN, read directly with psql in a rolled-back transaction. */
function directLocks(sql: string): string[] {
  const out = cluster.psql(`BEGIN; EXPLAIN (COSTS OFF) ${sql};
    SELECT l.relation::regclass::text, l.mode, l.fastpath FROM pg_locks l WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.relation <> 'pg_locks'::regclass; ROLLBACK;`);
  return out
    .split('\n')
    .filter((l) => l.split('|').length === 3)
    .map((l) => {
      const [rel, mode, fast] = l.split('|');
      return `public.${rel}|${mode}|${fast === 't' ? 'fast' : 'slow'}`;
    })
    .sort();
}

test('the Locks table matches pg_locks, marks fast and slow path, and counts against the 16 slots', async () => {
  const p = await openProbe({ sql: 'SELECT * FROM wide WHERE id = $1', params: [{ name: '$1', spec: '7' }], connection });
  try {
    const { page } = p.view;
    await page.click('[data-tab="locks"]');
    await page.click('#run-locks');
    await page.waitForSelector('table.locks tbody tr');
    const shown = await page.$$eval('table.locks tbody tr', (rows) =>
      rows.map(
        (r) =>
          `${r.getAttribute('data-relation')}|${r.getAttribute('data-mode')}|${r.querySelector('[data-col="measured"]')?.textContent ?? ''}`,
      ),
    );
    assert.deepEqual(shown.filter((s) => !s.endsWith('|–')).sort(), directLocks('SELECT * FROM wide WHERE id = 7'));
    assert.equal(shown.length, 21);
    assert.equal(shown.filter((s) => s.endsWith('|slow')).length, 5);
    assert.match(await text(p.view, '#budget-text'), /^21 of 16 fast-path slots — 5 relation\(s\) beyond the budget$/);
    assert.equal(await text(p.view, '[data-totals="measured"] .slowpath'), '5');
    const result = (await p.waitFor(LocksResultNotification)).params.result;
    assert.equal(result.measured.relations, 21);
    assert.equal(
      await page.locator('tr.differs').count(),
      result.rows.filter((r) => r.status !== 'match' && r.status !== 'execute-phase').length,
    );
    await screenshot(p.view, 'probe-locks.png');
  } finally {
    await p.close();
  }
});

test('a 2-second probe streams progress, renders its charts and summary, and exports Markdown', async () => {
  const p = await openProbe({
    sql: 'SELECT balance FROM accounts WHERE id = $1',
    params: [{ name: '$1', spec: 'int:1..20000' }],
    connection,
  });
  try {
    const { page } = p.view;
    await page.click('[data-tab="load"]');
    await setField(p.view, 'load-clients', '4');
    await setField(p.view, 'load-duration', '2');
    await setField(p.view, 'load-warmup', '0.3');
    await page.click('#run-load');
    const progress = (await p.waitFor(LoadProgressNotification)).params.progress;
    assert.ok(progress.tps > 0 && progress.second >= 1, JSON.stringify(progress));
    await page.waitForSelector('.run[data-run^="live-"] polyline.series-tps', { state: 'attached' });
    const result = (await p.waitFor(LoadResultNotification)).params.result;
    assert.ok(result.transactions > 50 && !result.cancelled, JSON.stringify(result));
    await page.waitForSelector('.run[data-run="1"] polyline.series-tps');
    assert.equal(await page.locator('.run[data-run="1"] svg.chart').count(), 3);
    assert.equal(await page.locator('.run[data-run="1"] line.ref').count(), 3, 'p50/p95/p99 lines');
    assert.ok(result.waitSamples >= 10, `${result.waitSamples} wait samples`);
    assert.match((await page.getAttribute('.run[data-run="1"] svg.chart:last-of-type', 'aria-label')) ?? '', /^Wait events: /);
    assert.match(await text(p.view, '[data-row="tps"] td'), /^\d+\/s$/);
    assert.match(await text(p.view, '#load-status'), /Run #1 finished: \d+ transactions/);
    await page.click('#export-markdown');
    await page.waitForFunction(() => /Exported Markdown/.test(document.getElementById('status')?.textContent ?? ''));
    assert.match(readFileSync(join(exportDir, 'lockscope-probe.md'), 'utf8'), /## Load[\s\S]*\| throughput \| \d+\/s \|/);
  } finally {
    await p.close();
  }
});

const CASCADE = [
  'SELECT * FROM gateways WHERE id = 1 FOR UPDATE',
  ...Array.from({ length: 10 }, (_, i) => `SELECT * FROM tools WHERE id = ${i + 1} FOR UPDATE`),
  ...Array.from({ length: 10 }, (_, i) => `UPDATE tools SET state = 'down' WHERE id = ${i + 1}`),
  'SELECT pg_sleep(0.002)',
].join(';\n');

test('row-lock contention: the FOR UPDATE cascade shows Lock waits, the bulk UPDATE fewer; writes are rolled back', async () => {
  const p = await openProbe({ sql: CASCADE, connection });
  const bulk = await openProbe({ sql: "UPDATE tools SET state = 'down' WHERE gateway_id = 1", connection });
  try {
    const { page } = p.view;
    await page.click('[data-tab="load"]');
    await setField(p.view, 'load-clients', '12');
    await setField(p.view, 'load-duration', '2');
    await setField(p.view, 'load-warmup', '0.2');
    await page.click('#run-load');
    const loop = (await p.waitFor(LoadResultNotification)).params.result;
    // The same cascade with each statement in its own transaction: row locks are released at once.
    await page.evaluate(() => {
      (document.getElementById('load-mode') as HTMLElement & { value: string }).value = 'split';
    });
    await page.click('#run-load');
    const split = (await p.waitFor(LoadResultNotification, 15_000, 2)).params.result;
    await page.waitForSelector('.run[data-run="2"] polyline.series-tps');
    await page.waitForSelector('.run[data-run="1"] polyline.series-tps');
    await screenshot(p.view, 'probe-load.png');

    await bulk.view.page.click('[data-tab="load"]');
    await setField(bulk.view, 'load-clients', '12');
    await setField(bulk.view, 'load-duration', '2');
    await setField(bulk.view, 'load-warmup', '0.2');
    await bulk.view.page.click('#run-load');
    const single = (await bulk.waitFor(LoadResultNotification)).params.result;
    const perTransaction = (r: LoadRunResult): number => r.waits.Lock / Math.max(1, r.transactions);
    console.log(
      `probe webview contention: cascade ${loop.tps.toFixed(0)} tx/s Lock ${loop.waits.Lock}; split ${split.tps.toFixed(0)} tx/s Lock ${split.waits.Lock}; bulk ${single.tps.toFixed(0)} tx/s Lock ${single.waits.Lock}`,
    );
    assert.ok(loop.waits.Lock > 0, 'the cascade shows Lock waits');
    assert.ok(perTransaction(single) < perTransaction(loop) / 2, 'the bulk UPDATE waits much less per transaction');
    assert.ok(single.tps > loop.tps);
    assert.deepEqual(
      p.host.loads.map((r) => r.runId),
      [1, 2],
    );
    assert.equal(await page.locator('table.summary-table thead th').count(), 2, 'two runs side by side');
  } finally {
    await bulk.close();
    await p.close();
  }
});

test('Cancel stops a long probe within a second and closes every session', async () => {
  const p = await openProbe({ sql: 'SELECT pg_sleep(0.01)', connection });
  try {
    const { page } = p.view;
    await page.click('[data-tab="load"]');
    await setField(p.view, 'load-clients', '8');
    await setField(p.view, 'load-duration', '60');
    await setField(p.view, 'load-warmup', '0');
    await page.click('#run-load');
    await p.waitFor(LoadProgressNotification);
    assert.equal(await page.getAttribute('#cancel', 'disabled'), null);
    const clicked = Date.now();
    await page.click('#cancel');
    const result = (await p.waitFor(LoadResultNotification)).params.result;
    const took = Date.now() - clicked;
    assert.equal(result.cancelled, true);
    assert.ok(took < 1000, `cancel took ${took} ms`);
    await noLeftovers('sessions left after cancel');
    await page.waitForFunction(() => /cancelled/.test(document.getElementById('status')?.textContent ?? ''));
    assert.notEqual(await page.getAttribute('#cancel', 'disabled'), null);
  } finally {
    await p.close();
  }
});
