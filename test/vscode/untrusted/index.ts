/**
 * Extension tests in restricted mode: workspace trust on and the folder not trusted. Lockscope must connect nowhere
 * (not even with a database URL the workspace's own settings carry), load no schema file, and still analyse SQL with
 * the rules that need no catalog.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { lockscopeSessionsOnServer, until } from '../suite/helpers.js';
import { runAll, test } from '../suite/runner.js';

const EXTENSION_ID = 'lockscope.lockscope';
const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('lockscope');

async function open(name: string): Promise<vscode.TextDocument> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, name));
  await vscode.window.showTextDocument(document);
  return document;
}

test('the workspace is untrusted and Lockscope is active in restricted mode', async () => {
  assert.equal(vscode.workspace.isTrusted, false);
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  await extension.activate();
  assert.equal(extension.isActive, true);
});

test('the workspace’s own database URL is ignored (a restricted setting)', () => {
  // .vscode/settings.json sets lockscope.databaseUrl to the live cluster; restricted mode must not apply it.
  assert.equal(config().get<string>('databaseUrl'), '');
});

interface ContributedCommand {
  command: string;
  title: string;
  enablement?: string;
}

test('commands that connect, probe or measure are contributed disabled and, run anyway, say why; nothing connects', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension);
  const commands = (extension.packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes.commands;
  const disabled = commands.filter((c) => c.enablement === 'isWorkspaceTrusted');
  assert.ok(disabled.length >= 8, `${disabled.length} commands disabled in an untrusted workspace`);
  for (const c of ['lockscope.connect', 'lockscope.showServerLockProfile', 'lockscope.openProbeRunner', 'lockscope.sampleWorkload'])
    assert.ok(
      disabled.some((d) => d.command === c),
      `${c} is contributed disabled`,
    );
  // executeCommand is not stopped by `enablement` (it only greys out menus, the palette and keybindings): the
  // registered command is the disabled variant, which answers with the reason instead of failing silently.
  for (const c of disabled) {
    const result = await vscode.commands.executeCommand<{ disabled?: string; message?: string } | undefined>(c.command, 'embedded');
    assert.equal(result?.disabled, 'untrusted-workspace', `${c.command} answers as a disabled command`);
    assert.ok(result.message?.includes(c.title), `${c.command}'s message names it: ${result.message ?? ''}`);
    assert.match(result.message ?? '', /untrusted workspace/);
  }
  // Commands that need no database still run (analysis works without a catalog).
  const enabled = commands.filter((c) => c.enablement === undefined).map((c) => c.command);
  assert.ok(enabled.includes('lockscope.analyzeCurrentFile') && enabled.includes('lockscope.showOutput'));
  assert.equal(await lockscopeSessionsOnServer(), 0);
});

test('SQL is still analysed without a catalog: no lock counts, rule findings that need none', async () => {
  const document = await open('checkout.sql');
  const diagnostics = await until(() => {
    const d = vscode.languages.getDiagnostics(document.uri);
    return d.some((x) => String(typeof x.code === 'object' ? x.code.value : x.code) === 'create-index-not-concurrently') ? d : undefined;
  }, 'diagnostics without a catalog');
  assert.ok(diagnostics.length > 0);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
  assert.equal(lenses.length, 0, 'no lock counts without a catalog');
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    document.uri,
    new vscode.Position(1, 5),
  );
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(text, /untrusted workspace/);
  const status = (vscode.extensions.getExtension(EXTENSION_ID)?.exports as { status: { text: string } }).status.text;
  assert.match(status, /restricted/);
  assert.equal(await lockscopeSessionsOnServer(), 0);
});

export async function run(): Promise<void> {
  const results = await runAll(process.env['LOCKSCOPE_TEST_RESULTS']);
  const failed = results.filter((r) => !r.ok).length;
  console.log(`${results.length - failed} passed, ${failed} failed`);
  if (failed > 0) throw new Error(`${failed} extension test(s) failed`);
}
