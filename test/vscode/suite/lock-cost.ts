/**
 * Extension tests of the Lockscope side bar and the Lock Cost view, inside the real VS Code: the `workload` database of
 * the test cluster has pg_stat_statements; the fixture's checkout.sql statements run while the view samples, and the
 * ranking links them back to checkout.sql. Registered from index.ts after the main suite's tests.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lockscopeSessionsOnServer, until } from './helpers.js';
import { test } from './runner.js';

interface Row {
  item: vscode.TreeItem;
  children?: Row[];
}
interface SidebarApi {
  trees: Record<'connection' | 'lockCost' | 'findings' | 'transactions', { roots: Row[] }>;
}
interface LockCostApi {
  lastState?: {
    statements: Array<{ queryId: string; query: string; calls: number; locksPerCall: number; sites: Array<{ label: string }> }>;
    unpredictable: unknown[];
  };
  probe(queryId: string): Promise<void>;
}

const label = (row: Row | undefined): string => {
  const l = row?.item.label;
  return typeof l === 'string' ? l : (l?.label ?? '');
};

/** What these tests read from the extension's API (activate's return value). */
export interface LockCostTestApi {
  sidebar: SidebarApi;
  lockCost: LockCostApi;
}

export function registerLockCostTests(
  env: (name: string) => string,
  api: () => LockCostTestApi,
  screenshot: (name: string, settleMs?: number) => Promise<void>,
): void {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lockscope');

  test('the Lockscope side bar shows the connection and its server lock profile', async () => {
    await config().update('databaseUrl', env('LOCKSCOPE_TEST_WORKLOAD_URL'), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('lockscope.refreshCatalog');
    await vscode.commands.executeCommand('workbench.view.extension.lockscope');
    const connection = api().sidebar.trees.connection;
    const head = await until(() => {
      const row = connection.roots[0];
      return row !== undefined && (row.children ?? []).some((c) => label(c).startsWith('PostgreSQL')) ? row : undefined;
    }, 'the connection row with its server profile');
    assert.match(label(head), /workload/);
    const rows = (head.children ?? []).map(label);
    assert.ok(rows.includes('16 fast-path slots'), rows.join(' | '));
    assert.ok(
      rows.some((r) => new RegExp(`^PostgreSQL ${env('LOCKSCOPE_TEST_PG_MAJOR')}\\.`).test(r)),
      rows.join(' | '),
    );
  });

  test('Lock Cost samples the workload while checkout.sql runs, ranks it and links it to checkout.sql', async () => {
    const pg = await import('pg');
    const app = new pg.default.Client({ connectionString: env('LOCKSCOPE_TEST_WORKLOAD_URL'), application_name: 'test-app' });
    await app.connect();
    let running = true;
    // The application's traffic, for as long as the sampling lasts: checkout.sql's two statements, in its transaction.
    const traffic = (async (): Promise<void> => {
      for (let i = 1; running; i++) {
        await app.query('BEGIN');
        await app.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [i % 10]);
        await app.query('SELECT * FROM customers JOIN orders ON orders.customer = customers.id');
        await app.query('COMMIT');
      }
    })();
    try {
      const result = await vscode.commands.executeCommand('lockscope.sampleWorkload', 3);
      assert.ok(result, 'the sampling returned nothing (see the Lockscope output)');
    } finally {
      running = false;
      await traffic;
      await app.end();
    }
    const state = api().lockCost.lastState;
    assert.ok(state);
    const find = (text: string): NonNullable<LockCostApi['lastState']>['statements'][number] => {
      const found = state.statements.find((s) => s.query.includes(text));
      assert.ok(found, `${text}: ${state.statements.map((s) => s.query).join(' | ')}`);
      return found;
    };
    const forUpdate = find('FOR UPDATE');
    const join = find('JOIN orders');
    assert.ok(forUpdate.calls > 0 && join.calls > 0);
    assert.equal(forUpdate.locksPerCall, 3, 'orders, its primary key and its customer index');
    assert.equal(join.locksPerCall, 6);
    // The SQLAlchemy query in app/services.py (with_for_update) sends the same statement as checkout.sql's.
    assert.deepEqual(forUpdate.sites.map((s) => s.label).sort(), ['app/locking.py:6', 'app/services.py:9', 'checkout.sql:2']);
    assert.deepEqual(
      join.sites.map((s) => s.label),
      ['checkout.sql:3'],
    );
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(
      tabs.some((t) => t.label === 'Lockscope: Lock Cost'),
      tabs.map((t) => t.label).join(', '),
    );
    // The side bar's Lock Cost view lists the same statements under the totals.
    await vscode.commands.executeCommand('lockscope.lockCostView.focus');
    const rows = await until(() => {
      const roots = api().sidebar.trees.lockCost.roots;
      return roots.length > 1 ? roots : undefined;
    }, 'the Lock Cost tree');
    assert.match(label(rows[0]), /slow-path\/s$/);
    assert.ok(
      rows.slice(1).some((r) => label(r).includes('FOR UPDATE') && (r.children ?? []).some((c) => label(c) === 'checkout.sql:2')),
      rows.map(label).join(' | '),
    );
    await screenshot('lock-cost-vscode', 2000);
    assert.equal(await lockscopeSessionsOnServer(), 0, 'the sampling session is closed');

    // Probe on the ranked statement opens the probe runner on it.
    const probeTabs = (): vscode.Tab[] =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Lockscope: Probe Runner');
    const before = probeTabs().length;
    await api().lockCost.probe(forUpdate.queryId);
    await until(() => (probeTabs().length > before ? true : undefined), 'a probe runner tab');
    await vscode.window.tabGroups.close(probeTabs());
    await until(async () => ((await lockscopeSessionsOnServer()) === 0 ? true : undefined), 'every probe runner session closed');
  }, 90_000);

  test('Analyze Workspace fills the side bar: findings by rule and the hottest transactions', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('lockscope.analyzeWorkspace');
    await vscode.commands.executeCommand('lockscope.findingsView.focus');
    const sidebar = api().sidebar;
    const groups = await until(
      () => (sidebar.trees.findings.roots.length > 0 ? sidebar.trees.findings.roots : undefined),
      'the findings tree',
    );
    const rule = groups.find((g) => label(g) === 'create-index-not-concurrently');
    assert.ok(rule, groups.map(label).join(' | '));
    assert.ok((rule.children ?? []).some((c) => String(c.item.description).startsWith('checkout.sql:5')));
    await vscode.commands.executeCommand('lockscope.transactionsView.focus');
    const transactions = await until(
      () => (sidebar.trees.transactions.roots.length > 0 ? sidebar.trees.transactions.roots : undefined),
      'the transactions tree',
    );
    assert.ok(
      transactions.some((t) => String(t.item.description).includes('checkout.sql:1')),
      transactions.map((t) => `${label(t)} ${String(t.item.description)}`).join(' | '),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await screenshot('sidebar-vscode', 1500);
  }, 60_000);

  test('back on the shop database, the side bar follows the connection', async () => {
    await config().update('databaseUrl', env('LOCKSCOPE_TEST_DB_URL'), vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('lockscope.refreshCatalog');
    const connection = api().sidebar.trees.connection;
    await until(() => (label(connection.roots[0]).includes('/shop') ? true : undefined), 'the connection row naming shop');
    // The main suite's README picture is the server profile panel, taken when the suite ends.
    await vscode.commands.executeCommand('lockscope.showServerLockProfile');
  }, 60_000);
}
