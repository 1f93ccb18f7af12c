/** What the extension test suites share: polling for asynchronous editor state, and counting Lockscope's sessions. */
import assert from 'node:assert/strict';
import { resolveConnectionTarget } from '../../../src/db/connection-target.js';
import { openServerSession } from '../../../src/db/server-session.js';
import * as vscode from 'vscode';

/** What the probe runner command returns to tests: the messages posted to its page, its host, and a way to close. */
export interface ProbeHandle {
  posted: ReadonlyMap<string, unknown>;
  host: { handle(message: unknown): Promise<void> };
  dispose(): void;
}

/** Opens the probe runner through the CodeLens on `line` of `document`, as a user clicks it. */
export async function probeRunnerFromLens(document: vscode.TextDocument, line: number): Promise<ProbeHandle> {
  const lenses = await until(async () => {
    const l = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri);
    return l.length >= 3 ? l : undefined;
  }, 'code lenses');
  const lens = lenses.find((l) => l.range.start.line === line);
  assert.ok(lens?.command, `no CodeLens on line ${line + 1}`);
  const handle = (await vscode.commands.executeCommand(lens.command.command, ...(lens.command.arguments ?? []))) as ProbeHandle | undefined;
  assert.ok(handle, 'the probe runner opened');
  return handle;
}

/** Polls until `probe` returns a value (hovers, lenses and diagnostics arrive asynchronously). */
export async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Sessions Lockscope has open on the test cluster (application_name lockscope…), not counting this check's own. */
export async function lockscopeSessionsOnServer(): Promise<number> {
  const target = resolveConnectionTarget(process.env['LOCKSCOPE_TEST_DB_URL'], {});
  assert.ok(target, 'LOCKSCOPE_TEST_DB_URL is not set by the test harness');
  const probe = await openServerSession(target, {
    connectTimeoutMs: 5000,
    statementTimeoutMs: 5000,
    lockTimeoutMs: 1000,
    idleInTransactionTimeoutMs: 5000,
    readOnly: true,
    applicationName: 'lockscope-test-probe',
  });
  try {
    const rows = await probe.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_stat_activity WHERE application_name LIKE 'lockscope%' AND application_name <> 'lockscope-test-probe'`,
    );
    return Number(rows[0]?.n);
  } finally {
    await probe.close();
  }
}
