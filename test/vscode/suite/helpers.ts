/** What the extension test suites share: polling for asynchronous editor state, and counting Lockscope's sessions. */
import assert from 'node:assert/strict';
import { resolveConnectionTarget } from '../../../src/db/connection-target.js';
import { openServerSession } from '../../../src/db/server-session.js';

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
