/** The Server Lock Profile webview in headless Chromium, fed with real profiles read from PostgreSQL 15 and PGlite 18. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { readServerLockProfile } from '../../src/db/server-info.js';
import { openServerSession } from '../../src/db/server-session.js';
import { withSession } from '../../src/db/session.js';
import type { WebviewViewId } from '../../src/extension/webview-html.js';
import { profileState } from '../../src/protocol/server-profile.js';
import {
  ProfileErrorNotification,
  ProfileNotification,
  ReadyCommand,
  RefreshCommand,
  type ServerProfileState,
} from '../../src/protocol/server-profile.js';
import { SCREENSHOTS_DIR } from '../support/screenshots.js';
import { CLUSTER_PASSWORD, startCluster, type PgCluster } from '../support/pg-cluster.js';
import { assertBundleFresh, launchBrowser, openWebview, type OpenOptions, type TestBrowser, type WebviewPage } from './browser.js';
import { LIGHT_MODERN } from './themes.js';

const ROOT = join(__dirname, '..', '..');

let browser: TestBrowser | undefined;
let cluster: PgCluster | undefined;

async function readProfile(url: string): Promise<ServerProfileState> {
  const target = resolveConnectionTarget(url, {});
  assert.ok(target);
  return profileState(await withSession(() => openServerSession(target), readServerLockProfile));
}

before(async () => {
  assertBundleFresh();
  cluster = await startCluster();
  // 5 relations: the table, its two indexes, a sequence and a view.
  cluster.psql(
    'CREATE TABLE orders (id int PRIMARY KEY, customer int); CREATE INDEX orders_customer ON orders (customer); CREATE SEQUENCE invoice_no; CREATE VIEW recent AS SELECT * FROM orders;',
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

/** Opens the page, runs `body`, then insists nothing went wrong in the page on the way. */
async function withWebview(options: OpenOptions, body: (view: WebviewPage) => Promise<void>): Promise<void> {
  assert.ok(browser);
  const view = await openWebview(browser, options);
  try {
    await body(view);
    assert.deepEqual(view.problems, []);
    assert.deepEqual(await view.cspViolations(), []);
  } finally {
    await view.page.close();
  }
}

const text = async (view: WebviewPage, selector: string): Promise<string> => ((await view.page.textContent(selector)) ?? '').trim();
const value = (view: WebviewPage, field: string): Promise<string> => text(view, `td[data-field="${field}"] .value`);
const hint = (view: WebviewPage, field: string): Promise<string> => text(view, `td[data-field="${field}"] .hint`);

/** The state is on screen once the table is there and every component has rendered and the icon font has loaded. */
async function shown(view: WebviewPage, state: ServerProfileState): Promise<void> {
  await view.send(ProfileNotification.create({ state }));
  await view.page.waitForSelector('table.profile');
  await view.page.evaluate(() => Promise.all([customElements.whenDefined('vscode-badge'), document.fonts.ready]));
}

async function screenshot(view: WebviewPage, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  await view.page.screenshot({ path: join(SCREENSHOTS_DIR, name) });
}

test('on load the page posts Ready and waits; a PostgreSQL 15 profile then shows its real numbers', async () => {
  assert.ok(cluster);
  const pg15 = await readProfile(cluster.url);
  await withWebview({}, async (view) => {
    assert.deepEqual(await view.waitForPosted(1), [{ method: 'profile/ready', params: {} }]);
    assert.deepEqual(await view.posted(), [ReadyCommand.create({})]);
    await view.page.waitForSelector('.loading');
    assert.equal(await view.page.getAttribute('#profile', 'aria-busy'), 'true');
    assert.equal(await view.page.getAttribute('#refresh', 'disabled'), '');

    await shown(view, pg15);
    const version = cluster?.psql('SHOW server_version').trim() ?? '';
    assert.match(await value(view, 'version'), new RegExp(`^${cluster?.major}\\.\\d+$`));
    assert.ok(version.startsWith(await value(view, 'version')), `${version} vs the page`);
    assert.equal(await text(view, '.summary vscode-badge'), 'server');
    assert.equal(await value(view, 'source'), 'server');
    assert.equal(await value(view, 'database'), 'postgres');
    assert.equal(await value(view, 'max-locks'), '64');
    assert.equal(await value(view, 'fast-path-slots'), '16');
    assert.match(
      await hint(view, 'fast-path-slots'),
      /^Fixed in PostgreSQL 15\. A transaction's relation locks beyond 16 go to the shared lock table/,
    );
    assert.equal(await view.page.$('td[data-field="fast-path-groups"]'), null, 'PostgreSQL 15 has no fast-path groups');
    assert.equal(await value(view, 'relations'), '5');
    assert.match(await text(view, '.target'), /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres$/);
    assert.ok(!(await view.page.content()).includes(CLUSTER_PASSWORD), 'the password reached the page');
    assert.equal(await view.page.getAttribute('#profile', 'aria-busy'), 'false');
    assert.equal(await view.page.getAttribute('#refresh', 'disabled'), null);
    assert.match(await text(view, '#status'), /^Read at /);
    await screenshot(view, 'server-profile-webview.png');
  });
});

test('a PGlite (PostgreSQL 18) profile shows 64 slots in 4 groups and says it is embedded', async () => {
  const pg18 = profileState(
    await withSession(() => openEmbeddedSession({ schemaSql: 'CREATE TABLE t (id int PRIMARY KEY);' }), readServerLockProfile),
  );
  await withWebview({ theme: LIGHT_MODERN }, async (view) => {
    await shown(view, pg18);
    assert.match(await value(view, 'version'), /^18\.\d+$/);
    assert.equal(await text(view, '.summary vscode-badge'), 'embedded');
    assert.equal(await value(view, 'source'), 'embedded');
    assert.match(await hint(view, 'source'), /not your server/);
    assert.equal(await value(view, 'fast-path-slots'), '64');
    assert.match(await hint(view, 'fast-path-slots'), /^4 × 16\./);
    assert.equal(await value(view, 'fast-path-groups'), '4');
    assert.equal(await hint(view, 'fast-path-groups'), 'A relation can only use the 16 slots of its group.');
    assert.equal(await value(view, 'relations'), '2');
    await screenshot(view, 'server-profile-webview-light.png');
  });
});

test('Refresh posts RefreshCommand once, shows progress, and the next state replaces the numbers', async () => {
  assert.ok(cluster);
  const url = cluster.url;
  await withWebview({}, async (view) => {
    await shown(view, await readProfile(url));
    await view.page.click('#refresh');
    assert.deepEqual((await view.waitForPosted(2)).slice(1), [{ method: 'profile/refresh', params: {} }]);
    assert.equal(await view.page.getAttribute('#refresh', 'disabled'), '');
    assert.equal(await view.page.getAttribute('#profile', 'aria-busy'), 'true');
    assert.equal(await view.page.isVisible('.spinner'), true);
    assert.equal(await text(view, '#status'), 'Refreshing…');
    mkdirSync(join(ROOT, '.test-run'), { recursive: true });
    await view.page.screenshot({ path: join(ROOT, '.test-run', 'server-profile-webview-refreshing.png') });
    // A second click while the first refresh runs asks for nothing more.
    await view.page.click('#refresh', { force: true });
    assert.equal((await view.posted()).length, 2);

    // The host reads the server again: one more table and its primary key (TOAST lives in pg_toast, not counted).
    cluster?.psql('CREATE TABLE lines (id int PRIMARY KEY, note text);');
    await view.send(ProfileNotification.create({ state: await readProfile(url) }));
    await view.page.waitForFunction(() => document.querySelector('#profile')?.getAttribute('aria-busy') === 'false');
    assert.equal(await value(view, 'relations'), '7');
    assert.equal(await view.page.isVisible('.spinner'), false);
    assert.equal(await view.page.getAttribute('#refresh', 'disabled'), null);
  });
});

test('Refresh works from the keyboard and is announced by its label', async () => {
  assert.ok(cluster);
  const state = await readProfile(cluster.url);
  await withWebview({}, async (view) => {
    await shown(view, state);
    const button = view.page.getByRole('button', { name: 'Refresh' });
    await button.focus();
    await view.page.keyboard.press('Enter');
    assert.deepEqual((await view.waitForPosted(2)).slice(1), [RefreshCommand.create({})]);
    assert.equal(await view.page.getByRole('table', { name: 'Server lock profile' }).count(), 1);
    assert.equal(await view.page.getByRole('rowheader', { name: 'Fast-path slots per backend' }).count(), 1);
  });
});

test('a failed refresh shows the error in a banner and no stale numbers', async () => {
  assert.ok(cluster);
  const state = await readProfile(cluster.url);
  // A real failure message: the same server with a wrong password.
  const failure = await readProfile(cluster.urlFor('postgres', 'wrong-password')).then(
    () => assert.fail('the wrong password was accepted'),
    (error: unknown) => (error as Error).message,
  );
  await withWebview({}, async (view) => {
    await shown(view, state);
    await view.page.click('#refresh');
    await view.waitForPosted(2);
    await view.send(ProfileErrorNotification.create({ message: failure }));
    const banner = view.page.getByRole('alert');
    await banner.waitFor();
    assert.match((await banner.textContent()) ?? '', /Cannot read the server lock profile\..*password authentication failed/s);
    assert.equal(await view.page.$('table'), null, 'stale numbers still on screen');
    assert.equal(await view.page.$('[data-field]'), null);
    assert.equal(await view.page.getAttribute('#profile', 'aria-busy'), 'false');
    assert.equal(await view.page.getAttribute('#refresh', 'disabled'), null);
    assert.equal(await view.page.isVisible('.error-banner vscode-icon'), true);
    mkdirSync(join(ROOT, '.test-run'), { recursive: true });
    await view.page.screenshot({ path: join(ROOT, '.test-run', 'server-profile-webview-error.png') });

    // Recovery: the next state replaces the banner.
    await shown(view, state);
    assert.equal(await view.page.$('[role="alert"]'), null);
  });
});

test('the Content-Security-Policy blocks scripts without the nonce, inline styles and foreign origins', async () => {
  await withWebview({}, async (view) => {
    await view.waitForPosted(1);
    await view.page.evaluate(() => {
      const inline = document.createElement('script');
      inline.textContent = 'window.injected = "inline";';
      const wrongNonce = document.createElement('script');
      wrongNonce.nonce = 'd3Jvbmctbm9uY2Utd3Jvbmc=';
      wrongNonce.textContent = 'window.injected = "wrong nonce";';
      const foreign = document.createElement('script');
      foreign.src = 'https://cdn.example.test/x.js';
      const styled = document.createElement('p');
      styled.setAttribute('style', 'color: red');
      document.body.append(inline, wrongNonce, foreign, styled);
    });
    await view.page.waitForFunction(
      () => (window as unknown as { __lockscope: { cspViolations: unknown[] } }).__lockscope.cspViolations.length >= 4,
    );
    assert.equal(await view.page.evaluate(() => (window as unknown as { injected?: string }).injected), undefined);
    const violations = await view.cspViolations();
    assert.deepEqual(violations.map((v) => `${v.directive} ${v.blocked}`).sort(), [
      'script-src-elem https://cdn.example.test/x.js',
      'script-src-elem inline',
      'script-src-elem inline',
      'style-src-attr inline',
    ]);
    // Chromium also logs each refusal as a console error (and the foreign script as a request failed for "csp").
    const expected = (p: string): boolean => p.includes('violates the following Content Security Policy directive') || p.endsWith(' csp');
    assert.ok(view.problems.length === 5 && view.problems.every(expected), view.problems.join('\n'));
    view.problems.length = 0;
    await view.page.evaluate(() => {
      (window as unknown as { __lockscope: { cspViolations: unknown[] } }).__lockscope.cspViolations.length = 0;
    });
  });
});

test('messages of other shapes are ignored and an unknown view says so', async () => {
  await withWebview({}, async (view) => {
    await view.waitForPosted(1);
    await view.send({ method: 'profile/unknown', params: {} });
    await view.send('not an object');
    await view.send(null);
    await view.page.waitForTimeout(100);
    assert.equal(await view.page.$('table'), null);
    assert.equal(await view.page.isVisible('.loading'), true);
  });
  await withWebview({ html: { initialView: 'lock-plan' as WebviewViewId } }, async (view) => {
    await view.page.getByRole('alert').waitFor();
    assert.match(await text(view, '[role="alert"]'), /no view "lock-plan"/);
    assert.deepEqual(await view.posted(), [], 'an unknown view must not talk to the host');
  });
});
