/** The Server Lock Profile webview in headless Chromium, fed with real profiles from PostgreSQL 15 and PGlite 18. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { readServerLockProfile } from '../../src/db/server-info.js';
import { openServerSession } from '../../src/db/server-session.js';
import { withSession } from '../../src/db/session.js';
import { profileState } from '../../src/extension/server-profile-state.js';
import { ProfileErrorNotification, ProfileNotification, ReadyCommand, RefreshCommand, type ServerProfileState } from '../../src/protocol/server-profile.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';
import { launchBrowser, openWebview } from './browser.js';

const ROOT = join(__dirname, '..', '..');
let browser: Browser;
let cluster: PgCluster;
let pg15: ServerProfileState;
let pg18: ServerProfileState;

before(async () => {
  assert.ok(existsSync(join(ROOT, 'dist', 'webview.js')), 'run `npm run build` first');
  cluster = await startCluster();
  cluster.psql('CREATE TABLE t (id int PRIMARY KEY, v int); CREATE INDEX t_v ON t (v);');
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  pg15 = profileState(await withSession(() => openServerSession(target), readServerLockProfile));
  pg18 = profileState(await withSession(() => openEmbeddedSession({ schemaSql: 'CREATE TABLE t (id int PRIMARY KEY);' }), readServerLockProfile));
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  cluster?.stop();
});

const field = (name: string): string => `td[data-field="${name}"]`;

test('on load the page asks the host for state, then renders a PostgreSQL 15 profile', async () => {
  const view = await openWebview(browser);
  await view.page.waitForFunction('window.__posted.length > 0');
  assert.deepEqual(await view.posted(), [ReadyCommand.create({})]);
  await view.send(ProfileNotification.create({ state: pg15 }));
  await view.page.waitForSelector('h1');
  assert.equal(await view.page.textContent('h1 vscode-badge'), 'server');
  assert.match((await view.page.textContent('h1')) ?? '', new RegExp(`PostgreSQL ${cluster.major}\\.`));
  assert.match((await view.page.textContent(field('Fast-path slots per backend'))) ?? '', /^16PostgreSQL before 18 has 16/);
  assert.match((await view.page.textContent(field('Relations'))) ?? '', /^3tables/);
  assert.match((await view.page.textContent(field('max_locks_per_transaction'))) ?? '', /^64$/);
  assert.ok(!((await view.page.textContent('.target')) ?? '').includes('lockscope-test'), 'password shown');
  mkdirSync(join(ROOT, 'docs/images'), { recursive: true });
  await view.page.screenshot({ path: join(ROOT, 'docs/images/server-profile-webview.png') });
  assert.deepEqual(view.errors, []);
  assert.deepEqual(view.cspViolations, []);
  await view.page.close();
});

test('a PostgreSQL 18 profile shows 64 slots in 4 groups and the embedded badge', async () => {
  const view = await openWebview(browser);
  await view.send(ProfileNotification.create({ state: pg18 }));
  await view.page.waitForSelector('h1');
  assert.equal(await view.page.textContent('h1 vscode-badge'), 'embedded');
  assert.match((await view.page.textContent(field('Fast-path slots per backend'))) ?? '', /^644 groups of 16: a relation can only use the 16 slots of its group/);
  await view.page.close();
});

test('Refresh posts RefreshCommand and shows progress until the next state; an error replaces stale numbers', async () => {
  const view = await openWebview(browser);
  await view.send(ProfileNotification.create({ state: pg15 }));
  await view.page.waitForSelector('h1');
  await view.page.click('#refresh');
  assert.deepEqual((await view.posted()).slice(-1), [RefreshCommand.create({})]);
  assert.equal(await view.page.isVisible('#busy'), true);
  await view.send(ProfileErrorNotification.create({ message: 'Cannot reach PostgreSQL at postgres://app@db:5432/shop: connection refused.' }));
  await view.page.waitForSelector('.error[role="alert"]');
  assert.equal(await view.page.isVisible('#busy'), false);
  assert.equal(await view.page.$('table'), null, 'stale numbers still shown');
  assert.match((await view.page.textContent('.error[role="alert"]')) ?? '', /connection refused/);
  await view.page.close();
});

test('the Content-Security-Policy blocks scripts without the nonce', async () => {
  const view = await openWebview(browser);
  await view.page.evaluate(`(function () { var s = document.createElement('script'); s.textContent = 'window.__injected = true;'; document.body.append(s); })()`);
  await view.page.waitForTimeout(100);
  assert.equal(await view.page.evaluate('window.__injected'), undefined);
  assert.ok(view.cspViolations.some((v) => v.startsWith('script-src')), view.cspViolations.join(', '));
  await view.page.close();
});

test('messages of other shapes are ignored', async () => {
  const view = await openWebview(browser);
  await view.send({ method: 'profile/unknown', params: {} });
  await view.send('not an object');
  await view.page.waitForTimeout(100);
  assert.equal(await view.page.$('h1'), null);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});
