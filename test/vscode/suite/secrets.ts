/**
 * The password grep of #18 inside the real VS Code: a password in the URL's query (`?password=`) or written raw with a
 * `/` must reach none of the status bar, the Lockscope log file, the probe runner's webview messages (its header, which
 * its exports repeat) or the workspace report and SARIF export. Registered from index.ts before the Lock Cost tests.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { lockscopeSessionsOnServer, probeRunnerFromLens, until } from './helpers.js';
import { test } from './runner.js';

export interface SecretsTestApi {
  status: { text: string; tooltip: string };
  commandContext: { extension: vscode.ExtensionContext };
}

/** Every file below `dir` whose text holds `secret`, and how many files were read (so an empty folder cannot pass). */
function grepTree(dir: string, secret: string): { hits: string[]; files: number } {
  const hits: string[] = [];
  let files = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const s = statSync(p);
      if (s.isDirectory()) walk(p);
      else if (s.isFile()) {
        files++;
        if (readFileSync(p, 'latin1').includes(secret)) hits.push(p);
      }
    }
  };
  walk(dir);
  return { hits, files };
}

/** The extension host's log folder: the extension's own logUri sits in it, the output channels' files below it. */
const hostLogDir = (api: SecretsTestApi): string => dirname(api.commandContext.extension.logUri.fsPath);

function lockscopeLogText(dir: string): string {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/Lockscope\.log$/.test(name)) found.push(readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return found.join('\n');
}

export function registerSecretsTests(env: (name: string) => string, api: () => SecretsTestApi): void {
  const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lockscope');
  const password = env('LOCKSCOPE_TEST_PASSWORD');
  const base = new URL(env('LOCKSCOPE_TEST_DB_URL'));
  const checkClean = (secret: string, where: string, text: string): void =>
    assert.ok(!text.includes(secret), `the password reached ${where}: ${text.slice(0, 300)}`);

  test('a ?password= URL: status bar, log, probe runner messages, report and SARIF never show the password (#18)', async () => {
    const queryUrl = new URL(base.href);
    queryUrl.password = '';
    queryUrl.searchParams.set('password', password);
    await config().update('databaseUrl', queryUrl.href, vscode.ConfigurationTarget.Global);
    try {
      const loaded = await vscode.commands.executeCommand<{ relations: number } | undefined>('lockscope.refreshCatalog');
      assert.ok(loaded && loaded.relations > 100, 'the catalog loads through the ?password= URL');
      const status = api().status;
      assert.match(status.text, new RegExp(`PostgreSQL ${env('LOCKSCOPE_TEST_PG_MAJOR')}\\.\\d+ · shop`));
      checkClean(password, 'the status bar', `${status.text}\n${status.tooltip}`);

      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      assert.ok(folder);
      const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'checkout.sql'));
      await vscode.window.showTextDocument(document);
      const handle = await probeRunnerFromLens(document, 1);
      try {
        await until(() => handle.posted.get('probe/opened'), 'the probe runner page to boot');
        await handle.host.handle({ method: 'probe/locks/run', params: { execute: false } });
        await until(() => handle.posted.get('probe/locks/result'), 'the lock set');
        const messages = JSON.stringify([...handle.posted.entries()]);
        assert.match(messages, /shop/, 'the probe runner header names the database');
        checkClean(password, 'the probe runner messages (its header and exports)', messages);
      } finally {
        handle.dispose();
      }

      const report = (await vscode.commands.executeCommand('lockscope.analyzeWorkspace')) as { markdown: string } | undefined;
      assert.ok(report);
      checkClean(password, 'the workspace report', report.markdown);
      const sarifUri = vscode.Uri.joinPath(folder, 'lockscope-secrets.sarif');
      await vscode.commands.executeCommand('lockscope.exportSarif', sarifUri);
      checkClean(password, 'the SARIF export', new TextDecoder().decode(await vscode.workspace.fs.readFile(sarifUri)));
      await vscode.workspace.fs.delete(sarifUri);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    } finally {
      await config().update('databaseUrl', base.href, vscode.ConfigurationTarget.Global);
    }
    await until(async () => ((await lockscopeSessionsOnServer()) === 0 ? true : undefined), 'every session closed');
  }, 120_000);

  test('a password with a raw "/" is refused with a hint, and neither half of it reaches the status bar or the log (#18)', async () => {
    const secret = 'Lk9/zQ7marker';
    const raw = `${base.protocol}//${decodeURIComponent(base.username)}:${secret}@${base.host}${base.pathname}`;
    await config().update('databaseUrl', raw, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(await vscode.commands.executeCommand('lockscope.refreshCatalog'), undefined, 'nothing loads through it');
      assert.match(api().status.text, /no catalog/);
      assert.match(api().status.tooltip, /percent-encode/, 'the status bar says how to fix the URL');
      for (const part of [secret, 'Lk9', 'zQ7marker']) checkClean(part, 'the status bar', `${api().status.text}\n${api().status.tooltip}`);
    } finally {
      await config().update('databaseUrl', base.href, vscode.ConfigurationTarget.Global);
    }
    await vscode.commands.executeCommand('lockscope.refreshCatalog');
    const logs = hostLogDir(api());
    const lockscopeLog = lockscopeLogText(logs);
    assert.match(lockscopeLog, /Lockscope activated/, `the Lockscope log file was not found below ${logs}`);
    for (const part of [password, secret, 'zQ7marker']) {
      const { hits, files } = grepTree(logs, part);
      assert.ok(files > 0, `no log files below ${logs}`);
      assert.deepEqual(hits, [], `the password "${part}" reached these log files`);
    }
  }, 120_000);
}
