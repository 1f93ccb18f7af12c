/**
 * Extension tests, run inside the real VS Code extension host (code-server) against the packaged extension and a
 * throwaway PostgreSQL cluster. Entry point for extensionTestsPath: VS Code calls run() and exits with its outcome.
 */
import assert from 'node:assert/strict';
import { execSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { ServerLockProfile } from '../../../src/db/server-info.js';
import { lockscopeSessionsOnServer, probeRunnerFromLens, until } from './helpers.js';
import { registerLockCostTests, type LockCostTestApi } from './lock-cost.js';
import { registerSecretsTests, type SecretsTestApi } from './secrets.js';
import { runAll, test } from './runner.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set by the test harness`);
  return value;
};

const EXTENSION_ID = 'lockscope.lockscope';
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lockscope');

async function setDatabaseUrl(url: string): Promise<void> {
  await config().update('databaseUrl', url, vscode.ConfigurationTarget.Global);
}

const profileTabs = (): vscode.Tab[] =>
  vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('lockscope.serverProfile'));

/** Tabs appear asynchronously after createWebviewPanel; poll briefly. */
async function profileTabOpen(): Promise<boolean> {
  for (let i = 0; i < 40 && profileTabs().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
  return profileTabs().length === 1;
}

test('the packaged extension is installed and activates', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} not found`);
  await extension.activate();
  assert.equal(extension.isActive, true);
});

test('its commands are registered under the Lockscope category', async () => {
  const commands = await vscode.commands.getCommands(true);
  assert.ok(commands.includes('lockscope.showServerLockProfile'));
  const contributed = (
    vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
      contributes: { commands: Array<{ command: string; category: string; title: string }> };
    }
  ).contributes.commands;
  const entry = contributed.find((c) => c.command === 'lockscope.showServerLockProfile');
  assert.equal(`${entry?.category}: ${entry?.title}`, 'Lockscope: Show Server Lock Profile');
});

test('Show Server Lock Profile reads the real cluster: version, 16 slots, relation count', async () => {
  await setDatabaseUrl(env('LOCKSCOPE_TEST_DB_URL'));
  const info = (await vscode.commands.executeCommand('lockscope.showServerLockProfile')) as ServerLockProfile | undefined;
  assert.ok(info, 'the command returned nothing');
  assert.match(info.profile.version, new RegExp(`^${env('LOCKSCOPE_TEST_PG_MAJOR')}\\.`));
  assert.equal(info.profile.fastPathSlots, 16);
  assert.equal(info.profile.maxLocksPerTransaction, 64);
  assert.equal(info.profile.source, 'server');
  assert.equal(info.relationCount, Number(env('LOCKSCOPE_TEST_RELATIONS')));
  assert.equal(info.database, 'shop');
  assert.ok(!info.target.includes(env('LOCKSCOPE_TEST_PASSWORD')), 'password shown in the target');
});

test('the profile panel is open and no Lockscope session is left on the server', async () => {
  assert.ok(
    await profileTabOpen(),
    `no single Server Lock Profile tab; tabs: ${vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .map((t) => `${t.label} (${t.input instanceof vscode.TabInputWebview ? t.input.viewType : typeof t.input})`)
      .join(', ')}`,
  );
  assert.equal(profileTabs()[0]?.label, 'Lockscope: Server Lock Profile');
  assert.equal(await lockscopeSessionsOnServer(), 0);
});

async function openFixture(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'no workspace folder');
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name));
  await vscode.window.showTextDocument(document);
  return document;
}

const hoverText = (hovers: vscode.Hover[]): string =>
  hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');

test('hover on a SQL statement shows its predicted locks from the live catalog', async () => {
  await vscode.commands.executeCommand('lockscope.refreshCatalog');
  const document = await openFixture('checkout.sql');
  const hovers = await until(async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(1, 5));
    return h.some((x) => hoverText([x]).includes('Lockscope')) ? h : undefined;
  }, 'a Lockscope hover');
  const text = hoverText(hovers);
  assert.match(text, /\*\*3 locks · 0 slow-path\*\* on 3 relations — budget 16 fast-path slots per backend \(PostgreSQL 15\./);
  assert.match(text, /`public\.orders` \+ 2 \(indexes, partitions\) \| 3 \| RowShare/);
  assert.match(text, /Transaction \(BEGIN … COMMIT, 2 queries\)/);
  assert.match(text, /\| RowShare \| 3 \/ 0 \| row-locked FROM item \(FOR UPDATE\/SHARE\) \|/, 'why each table is locked');
  assert.match(
    text,
    /\*\*info\*\* \[row-lock-without-timeout\]\([^)]*docs\/rules\/row-lock-without-timeout\.md\): This row lock waits/,
    'the finding, linked to its docs',
  );
}, 60_000);

async function screenshot(name: string, settleMs = 1200): Promise<void> {
  // Toasts left by earlier tests would cover the picture.
  await vscode.commands.executeCommand('notifications.clearAll');
  await new Promise((r) => setTimeout(r, settleMs));
  console.log(`LOCKSCOPE_SCREENSHOT ${name}`);
  await new Promise((r) => setTimeout(r, 1200));
}

test('the hover as a user sees it (screenshot)', async () => {
  const document = await openFixture('checkout.sql');
  const editor = vscode.window.activeTextEditor;
  assert.equal(editor?.document.uri.toString(), document.uri.toString());
  if (editor !== undefined) editor.selection = new vscode.Selection(1, 8, 1, 8);
  await vscode.commands.executeCommand('editor.action.showHover');
  await screenshot('hover-codelens');
});

test('CodeLens titles give each statement and the transaction their totals', async () => {
  const document = await openFixture('checkout.sql');
  const lenses = await until(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return l.length >= 3 ? l : undefined;
  }, 'code lenses');
  const titles = lenses.map((l) => `${l.range.start.line}: ${l.command?.title ?? ''}`).sort();
  assert.deepEqual(titles, [
    '0: transaction: 9 locks · 0 slow-path',
    '1: 3 locks · 0 slow-path',
    '2: 6 locks · 0 slow-path',
    '4: 2 locks · 2 slow-path', // ShareLock on orders and AccessExclusiveLock on the new index
  ]);
});

test('Python: an SQLAlchemy query on a model declared in another file gets its hover and CodeLens', async () => {
  const document = await openFixture('app/services.py');
  const hovers = await until(async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(8, 30));
    return h.some((x) => hoverText([x]).includes('Lockscope')) ? h : undefined;
  }, 'a Lockscope hover on Python');
  const text = hoverText(hovers);
  // orders (declared in app/models.py) with its primary key and customer index, row-locked: RowShare on all three.
  assert.match(text, /\*\*3 locks · 0 slow-path\*\* on 3 relations/);
  assert.match(text, /`public\.orders` \+ 2 \(indexes, partitions\) \| 3 \| RowShare/);
  const lenses = await until(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return l.length >= 2 ? l : undefined;
  }, 'code lenses on Python');
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(titles.includes('3 locks · 0 slow-path'), titles.join(' | '));
  const diagnostics = await until(() => {
    const d = vscode.languages.getDiagnostics(document.uri);
    return d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'row-lock-without-timeout') ? d : undefined;
  }, 'Python diagnostics');
  assert.ok(diagnostics.some((d) => d.range.start.line === 8));
}, 60_000);

test('a loop calling a locking helper in another file gets the diagnostic and the hover at the call (#12)', async () => {
  // The editor lints the open file within the workspace index: before, it analysed app/batch.py alone and saw nothing.
  const document = await openFixture('app/batch.py');
  const diagnostics = await until(() => {
    const d = vscode.languages
      .getDiagnostics(document.uri)
      .filter((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'row-lock-in-loop');
    return d.length > 0 ? d : undefined;
  }, 'the row-lock-in-loop diagnostic at the call');
  assert.deepEqual(
    diagnostics.map((d) => d.range.start.line),
    [6],
  );
  const hovers = await until(async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(6, 12));
    return hoverText(h).includes('Lockscope') ? h : undefined;
  }, 'a Lockscope hover at the call');
  const text = hoverText(hovers);
  assert.match(text, /through `lock_order\(\)`/);
  assert.match(text, /\*\*3 locks · 0 slow-path\*\* on 3 relations/);
  assert.match(text, /row-lock-in-loop/);
}, 60_000);

test('TypeScript: a Knex query gets its hover and CodeLens', async () => {
  const document = await openFixture('app/orders.ts');
  const hovers = await until(async () => {
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, new vscode.Position(7, 12));
    return h.some((x) => hoverText([x]).includes('Lockscope')) ? h : undefined;
  }, 'a Lockscope hover on TypeScript');
  const text = hoverText(hovers);
  assert.match(text, /knex \(synthesized from the ORM call\)/);
  assert.match(text, /\*\*3 locks · 0 slow-path\*\* on 3 relations/);
  const lenses = await until(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return l.length >= 1 ? l : undefined;
  }, 'code lenses on TypeScript');
  assert.ok(lenses.some((l) => l.command?.title === '3 locks · 0 slow-path' && l.range.start.line === 7));
}, 60_000);

test('diagnostics carry rule ids, severities and docs links', async () => {
  const document = await openFixture('checkout.sql');
  const diagnostics = await until(() => {
    const d = vscode.languages.getDiagnostics(document.uri).filter((x) => x.source === 'lockscope');
    return d.length >= 3 ? d : undefined;
  }, 'diagnostics');
  const codes = diagnostics
    .map((d) => `${d.range.start.line}:${typeof d.code === 'object' ? String(d.code.value) : String(d.code)}:${d.severity}`)
    .sort();
  assert.deepEqual(codes, [
    `1:row-lock-without-timeout:${vscode.DiagnosticSeverity.Information}`,
    `4:create-index-not-concurrently:${vscode.DiagnosticSeverity.Warning}`,
    `4:ddl-without-lock-timeout:${vscode.DiagnosticSeverity.Warning}`,
  ]);
  const createIndex = diagnostics.find((d) => typeof d.code === 'object' && d.code.value === 'create-index-not-concurrently');
  assert.ok(
    createIndex !== undefined &&
      typeof createIndex.code === 'object' &&
      createIndex.code.target.path.endsWith('docs/rules/create-index-not-concurrently.md'),
  );
});

test('a quick fix rewrites CREATE INDEX to CREATE INDEX CONCURRENTLY', async () => {
  const document = await openFixture('checkout.sql');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
    'vscode.executeCodeActionProvider',
    document.uri,
    new vscode.Range(4, 0, 4, 5),
  );
  const fix = actions.find((a) => a.title === 'Lockscope: Use CREATE INDEX CONCURRENTLY');
  assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
  assert.ok(actions.some((a) => a.title === 'Lockscope: open the docs of create-index-not-concurrently'));
  assert.equal(await vscode.workspace.applyEdit(fix.edit), true);
  assert.equal(document.lineAt(4).text, 'CREATE INDEX CONCURRENTLY orders_total_idx ON orders (total);');
  await vscode.commands.executeCommand('workbench.action.files.revert');
  // The revert lands asynchronously under load; later tests read this file, so wait until it has.
  await until(() => (document.lineAt(4).text === 'CREATE INDEX orders_total_idx ON orders (total);' ? true : undefined), 'the revert');
});

interface Api {
  status: { text: string };
}
const api = (): Api => vscode.extensions.getExtension(EXTENSION_ID)?.exports as Api;

test('wrong password, server restart and reconnect: the status bar says so, predictions continue from the cached catalog', async () => {
  const document = await openFixture('checkout.sql');
  assert.match(api().status.text, /PostgreSQL 15\.\d+ · shop/);
  await setDatabaseUrl(env('LOCKSCOPE_TEST_BAD_PASSWORD_URL'));
  assert.equal(await vscode.commands.executeCommand('lockscope.refreshCatalog'), undefined);
  assert.match(api().status.text, /no catalog/);
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    new vscode.Position(1, 5),
  );
  assert.match(hoverText(hovers), /3 locks · 0 slow-path/, 'predictions continue from the cached catalog');
  await setDatabaseUrl(env('LOCKSCOPE_TEST_DB_URL'));
  execSync(env('LOCKSCOPE_TEST_RESTART_COMMAND'), { stdio: 'ignore' });
  const reloaded = await vscode.commands.executeCommand<{ relations: number } | undefined>('lockscope.refreshCatalog');
  assert.ok(reloaded && reloaded.relations > 100, 'reconnected after the restart');
  assert.match(api().status.text, /PostgreSQL 15\.\d+ · shop · 0 min/);
}, 60_000);

test('Analyze Workspace opens a report and exports SARIF', async () => {
  const report = (await vscode.commands.executeCommand('lockscope.analyzeWorkspace')) as
    { markdown: string; files: number; sites: number } | undefined;
  assert.ok(report);
  assert.equal(
    report.files,
    9,
    'checkout.sql, jobs.sql, app/{models,services,locking,batch}.py, app/orders.ts, prisma/{schema.prisma,customers.ts}: schema.sql is a schema dump',
  );
  assert.equal(report.sites, 9, '4 SQL statements, 2 SQLAlchemy queries, the raw UPDATE, the Knex query and the Prisma query');
  // schema.prisma is read (#12): Customer is the table customers, so the Prisma query has its lock count.
  assert.match(report.markdown, /\| prisma\/customers\.ts:7 \| prisma \| 3 \| 0 \|/);
  assert.match(report.markdown, /# Lockscope workspace report/);
  assert.match(report.markdown, /\| public\.orders \| 2 \| 8 \|/);
  assert.match(report.markdown, /### create-index-not-concurrently \(1\)/);
  await screenshot('workspace-report', 4000);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  const target = vscode.Uri.joinPath(folder, 'lockscope.sarif');
  await vscode.commands.executeCommand('lockscope.exportSarif', target);
  const sarif = JSON.parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(target))) as {
    version: string;
    runs: Array<{ results: unknown[] }>;
  };
  assert.equal(sarif.version, '2.1.0');
  assert.ok((sarif.runs[0]?.results.length ?? 0) >= 3);
  await vscode.workspace.fs.delete(target);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}, 60_000);

test('Show Unresolved Query Calls lists a query-like call that is no site, with its reason, and follows the file (#13)', async () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  type Listed = { calls: Array<{ file: string; line: number; call: string; reason: string }>; counts: Record<string, number> };
  const listed = async (): Promise<Listed> => {
    const result = await vscode.commands.executeCommand<Listed | undefined>('lockscope.showUnresolvedCalls');
    assert.ok(result, 'the command returned nothing');
    return result;
  };
  const mine = (r: Listed): Listed['calls'] => r.calls.filter((c) => c.file.endsWith('purge_jobs.py'));
  assert.deepEqual(mine(await listed()), [], 'no such file yet');
  const file = vscode.Uri.joinPath(folder, 'app', 'purge_jobs.py');
  const create = new vscode.WorkspaceEdit();
  const text = 'def purge(cursor, table):\n    sql = build_purge(table)\n    cursor.execute(sql)\n';
  create.createFile(file, { contents: new TextEncoder().encode(text) });
  assert.ok(await vscode.workspace.applyEdit(create));
  // The workspace index takes the created file asynchronously.
  const found = await until(async () => {
    const r = await listed();
    return mine(r).length > 0 ? r : undefined;
  }, 'the created file in the unresolved list');
  assert.deepEqual(
    mine(found).map((c) => [c.line, c.call, c.reason]),
    [[3, 'cursor.execute(sql)', 'dynamic-sql']],
  );
  assert.ok((found.counts['dynamic-sql'] ?? 0) >= 1);
  const remove = new vscode.WorkspaceEdit();
  remove.deleteFile(file);
  assert.ok(await vscode.workspace.applyEdit(remove));
  await until(async () => (mine(await listed()).length === 0 ? true : undefined), 'the deleted file to leave the list');
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
}, 60_000);

test('a wrong password gives an error and returns nothing, leaving no session', async () => {
  await setDatabaseUrl(env('LOCKSCOPE_TEST_BAD_PASSWORD_URL'));
  const info = await vscode.commands.executeCommand('lockscope.showServerLockProfile');
  assert.equal(info, undefined);
  assert.equal(await lockscopeSessionsOnServer(), 0);
});

test('an unreachable server gives an error within the connect timeout', async () => {
  await setDatabaseUrl(env('LOCKSCOPE_TEST_DEAD_URL'));
  const start = Date.now();
  const info = await vscode.commands.executeCommand('lockscope.showServerLockProfile');
  assert.equal(info, undefined);
  assert.ok(Date.now() - start < 10_000);
});

test('without a database the embedded PostgreSQL 18 answers, labelled embedded', async () => {
  await setDatabaseUrl('');
  await config().update('schemaFile', 'schema.sql', vscode.ConfigurationTarget.Global);
  const info = (await vscode.commands.executeCommand('lockscope.showServerLockProfile')) as ServerLockProfile | undefined;
  assert.ok(info);
  assert.equal(info.profile.source, 'embedded');
  assert.match(info.profile.version, /^18\./);
  assert.equal(info.profile.fastPathSlots, 64);
  assert.equal(info.relationCount, 4);
  await config().update('schemaFile', undefined, vscode.ConfigurationTarget.Global);
}, 60_000);

test('without a database or lockscope.schemaFile the embedded database loads the schema discovered in the workspace', async () => {
  await setDatabaseUrl('');
  await config().update('schemaFile', undefined, vscode.ConfigurationTarget.Global);
  const info = (await vscode.commands.executeCommand('lockscope.showServerLockProfile')) as ServerLockProfile | undefined;
  assert.ok(info);
  assert.equal(info.profile.source, 'embedded');
  // The workspace's schema.sql, found by discovery (no setting names it): its table, index and sequences.
  assert.equal(info.relationCount, 4);
}, 180_000);

test('the panel shows the real cluster again for the screenshot', async () => {
  await setDatabaseUrl(env('LOCKSCOPE_TEST_DB_URL'));
  const info = await vscode.commands.executeCommand('lockscope.showServerLockProfile');
  assert.ok(info);
  await new Promise((r) => setTimeout(r, 1500));
});

test('Live Activity shows a real blocking tree and links the blocked query to its code', async () => {
  const pg = await import('pg');
  const holder = new pg.default.Client({ connectionString: env('LOCKSCOPE_TEST_DB_URL'), application_name: 'test-holder' });
  const waiter = new pg.default.Client({ connectionString: env('LOCKSCOPE_TEST_DB_URL'), application_name: 'test-waiter' });
  await holder.connect();
  await waiter.connect();
  try {
    await holder.query('INSERT INTO orders (id, customer, total) VALUES (1, 1, 10) ON CONFLICT (id) DO NOTHING');
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM orders WHERE id = 1 FOR UPDATE');
    const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    const blocked = waiter.query('UPDATE orders SET total = 0 WHERE id = 1');
    await vscode.commands.executeCommand('lockscope.showActivity');
    const panel = (
      vscode.extensions.getExtension(EXTENSION_ID)?.exports as {
        activity: {
          lastState?: {
            blocking: Array<{ pid: number; depth: number; wait: string }>;
            links: Array<{ file: string; label: string }>;
            history: Array<{ waits: { Lock: number } }>;
          };
        };
      }
    ).activity;
    const state = await until(
      () => ((panel.lastState?.blocking.length ?? 0) >= 2 ? panel.lastState : undefined),
      'a blocking tree',
      30_000,
    );
    assert.equal(state.blocking[0]?.pid, holderPid);
    assert.equal(state.blocking[1]?.depth, 1);
    assert.equal(state.blocking[1]?.wait, 'Lock:transactionid');
    // The history has a point per sample; the latest one counts the blocked session's Lock wait.
    assert.ok(state.history.length >= 1);
    assert.ok((state.history.at(-1)?.waits.Lock ?? 0) >= 1);
    assert.ok(
      state.links.some((l) => l.label === 'jobs.sql:1'),
      `links: ${state.links.map((l) => l.label).join(', ')}`,
    );
    await screenshot('live-activity', 2000);
    await holder.query('ROLLBACK');
    await blocked;
    await until(() => (panel.lastState?.blocking.length === 0 ? true : undefined), 'the blocking to clear', 30_000);
  } finally {
    await holder.end().catch(() => undefined);
    await waiter.end().catch(() => undefined);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  }
}, 90_000);

test('DATABASE_URL from the workspace .env is used when no URL is configured', async () => {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  const dotenv = vscode.Uri.joinPath(folder, '.env');
  await vscode.workspace.fs.writeFile(dotenv, Buffer.from(`# local settings\nDATABASE_URL="${env('LOCKSCOPE_TEST_DB_URL')}"\n`));
  try {
    await setDatabaseUrl('');
    const info = (await vscode.commands.executeCommand('lockscope.showServerLockProfile')) as ServerLockProfile | undefined;
    assert.equal(info?.profile.source, 'server');
    assert.equal(info?.database, 'shop');
  } finally {
    await vscode.workspace.fs.delete(dotenv);
    await setDatabaseUrl(env('LOCKSCOPE_TEST_DB_URL'));
  }
});

/** A profile for the throwaway cluster, built from the harness's URL (the password goes to secret storage). */
function clusterProfile(name: string, environment: string): { profile: Record<string, unknown>; password: string } {
  const url = new URL(env('LOCKSCOPE_TEST_DB_URL'));
  const host = url.searchParams.get('host') ?? url.hostname;
  return {
    profile: {
      name,
      host,
      port: Number(url.port || url.searchParams.get('port') || 5432),
      database: url.pathname.slice(1),
      user: decodeURIComponent(url.username),
      ssl: 'disable',
      environment,
    },
    password: decodeURIComponent(url.password),
  };
}

test('Choose Connection switches to a profile: status bar names it with its environment; Disconnect falls back to embedded', async () => {
  const { profile, password } = clusterProfile('cluster-staging', 'staging');
  await config().update('connections', [profile, { name: 'broken entry' }], vscode.ConfigurationTarget.Global);
  const manager = (
    vscode.extensions.getExtension(EXTENSION_ID)?.exports as {
      commandContext: { connections: { storeProfilePassword(p: unknown, pw: string): Promise<void>; profiles(): unknown[] } };
    }
  ).commandContext.connections;
  assert.equal(manager.profiles().length, 1, 'the entry without a database is skipped (and logged)');
  await manager.storeProfilePassword(profile, password);
  try {
    const chosen = (await vscode.commands.executeCommand('lockscope.chooseConnection', 'cluster-staging')) as
      { connection: string; version?: string } | undefined;
    assert.equal(chosen?.connection, 'cluster-staging [staging]');
    assert.match(chosen?.version ?? '', /^15\./);
    await until(
      () => (/cluster-staging \[staging\] · PostgreSQL 15\.\d+ · shop/.test(api().status.text) ? true : undefined),
      'the status bar to name the profile',
    );

    const missing = await vscode.commands.executeCommand('lockscope.chooseConnection', 'no-such-profile');
    assert.equal(missing, undefined, 'an unknown profile is refused with a message');

    const disconnected = (await vscode.commands.executeCommand('lockscope.disconnect')) as
      { connection: string; version?: string } | undefined;
    assert.equal(disconnected?.connection, 'embedded PostgreSQL 18');
    assert.match(disconnected?.version ?? '', /^18\./);
    await until(() => (/PostgreSQL 18\.\d+ \(embedded\)/.test(api().status.text) ? true : undefined), 'the status bar to say embedded');
  } finally {
    await vscode.commands.executeCommand('lockscope.chooseConnection', 'auto');
    await config().update('connections', undefined, vscode.ConfigurationTarget.Global);
  }
  await until(() => (/PostgreSQL 15\.\d+ · shop/.test(api().status.text) ? true : undefined), 'back on the configured URL');
}, 90_000);

test('lock counts as inlay hints when lockscope.annotations says so; CodeLens opens the probe runner', async () => {
  const document = await openFixture('checkout.sql');
  const lenses = await until(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return l.length >= 3 ? l : undefined;
  }, 'code lenses');
  const statementLens = lenses.find((l) => l.range.start.line === 1);
  assert.equal(statementLens?.command?.command, 'lockscope.openProbeRunner');
  assert.equal(
    (statementLens?.command?.arguments?.[0] as { sql?: string } | undefined)?.sql,
    'SELECT * FROM orders WHERE id = 1 FOR UPDATE',
  );
  await config().update('annotations', 'inlayHints', vscode.ConfigurationTarget.Global);
  try {
    const hints = await until(async () => {
      const h = await vscode.commands.executeCommand<vscode.InlayHint[]>(
        'vscode.executeInlayHintProvider',
        document.uri,
        new vscode.Range(0, 0, document.lineCount, 0),
      );
      return h.length >= 3 ? h : undefined;
    }, 'inlay hints');
    const label = (h: vscode.InlayHint): string => (typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''));
    assert.deepEqual(hints.map((h) => `${h.position.line}:${label(h).trim()}`).sort(), [
      '1:3 locks · 0 slow-path',
      '2:6 locks · 0 slow-path',
      '4:2 locks · 2 slow-path',
    ]);
    const noLenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    assert.equal(noLenses.length, 0, 'inlay hints instead of CodeLens');
  } finally {
    await config().update('annotations', undefined, vscode.ConfigurationTarget.Global);
  }
});

test('a CodeLens opens the probe runner on its query and its transaction; the exact locks match the prediction; closing leaves no session', async () => {
  const document = await openFixture('checkout.sql');
  const handle = await probeRunnerFromLens(document, 1);
  try {
    // The host sends the query once the page has booted and said it is ready.
    const opened = await until(
      () =>
        handle.posted.get('probe/opened') as
          { state: { sql: string; scope: string[]; connection: { environment: string; fastPathSlots: number } } } | undefined,
      'the page to boot',
    );
    assert.equal(opened?.state.sql, 'SELECT * FROM orders WHERE id = 1 FOR UPDATE');
    assert.equal(opened?.state.scope.length, 2, 'the other statement of its BEGIN … COMMIT comes along');
    assert.equal(opened?.state.connection.environment, 'dev');
    assert.equal(opened?.state.connection.fastPathSlots, 16);
    await handle.host.handle({ method: 'probe/locks/run', params: { execute: false } });
    const locks = await until(
      () =>
        handle.posted.get('probe/locks/result') as
          { result: { measured: { locks: number }; predicted: { locks: number }; rows: Array<{ status: string }> } } | undefined,
      'the lock set',
    );
    assert.equal(locks.result.measured.locks, 3, 'orders, its primary key and its customer index');
    assert.equal(locks.result.predicted.locks, locks.result.measured.locks);
    assert.ok(
      locks.result.rows.every((r) => r.status === 'match'),
      JSON.stringify(locks.result.rows),
    );
    await screenshot('probe-runner-vscode', 1500);
  } finally {
    handle.dispose();
  }
  await until(async () => ((await lockscopeSessionsOnServer()) === 0 ? true : undefined), 'every probe runner session closed');
}, 60_000);

registerSecretsTests(env, () => vscode.extensions.getExtension(EXTENSION_ID)?.exports as SecretsTestApi);

// Last: they switch databases and leave the server profile panel open, as the suite's final screenshot expects.
registerLockCostTests(env, () => vscode.extensions.getExtension(EXTENSION_ID)?.exports as LockCostTestApi, screenshot);

export async function run(): Promise<void> {
  const results = await runAll(process.env['LOCKSCOPE_TEST_RESULTS']);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension test(s) failed`);
}
