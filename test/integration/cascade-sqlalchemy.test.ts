/**
 * The gateway incident in SQLAlchemy: cancel_order locks the order, then loops over its items calling a setter that
 * locks each item (SELECT … FOR UPDATE). `lockscope scan` against the fixture's schema (embedded PostgreSQL) must flag
 * the cascade at the loop's call, point at the parent lock and the loop, and leave the bulk-UPDATE rewrite alone.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import type { Finding } from '../../src/core/rules/types.js';

const ROOT = join(__dirname, '..', '..');
const APP = join(ROOT, 'test', 'fixtures', 'orm', 'sqlalchemy');
const SERVICES = join(APP, 'shop', 'services.py');
const SCHEMA = join(ROOT, 'test', 'support', 'schemas', 'sqlalchemy-shop.sql');

/** 0-based line of the first line containing `needle` in the services file. */
function lineOf(needle: string): number {
  const line = readFileSync(SERVICES, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, `fixture has no line with ${needle}`);
  return line;
}

const functionLines = (name: string): [number, number] => {
  const lines = readFileSync(SERVICES, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith(`def ${name}(`));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('def '));
  return [start, end < 0 ? lines.length : end];
};

test('cascading FOR UPDATE in SQLAlchemy is flagged at the loop; the bulk UPDATE is not', async () => {
  let out = '';
  let err = '';
  const code = await runCli(['scan', APP, '--schema', SCHEMA, '--format', 'json'], {
    stdout: (t) => (out += t),
    stderr: (t) => (err += `${t}\n`),
    env: {},
  });
  assert.equal(code, 1, `cascading-row-locks is an error-severity finding: exit 1\n${err}`);
  const report = JSON.parse(out) as {
    findings: Finding[];
    files: Array<{ file: string; sites: Array<{ range: Finding['range']; sql: string; totals?: { locks: number } }> }>;
  };
  const findings = report.findings.filter((f) => f.file === SERVICES);

  const loopCall = lineOf('set_item_status(session, item.id, "cancelled")');
  const cascade = findings.find((f) => f.ruleId === 'cascading-row-locks');
  assert.ok(
    cascade !== undefined,
    `no cascading-row-locks finding: ${JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line]))}`,
  );
  assert.equal(cascade.range.start.line, loopCall, 'flagged at the call inside the loop');
  assert.match(cascade.message, /orders is locked, then line_items rows are locked one per iteration/);
  const parentLine = lineOf('session.get(Order, order_id, with_for_update=True)');
  assert.ok(
    cascade.related.some((r) => r.range.start.line === parentLine && /parent row locked/.test(r.message)),
    'related: the parent lock',
  );
  assert.ok(
    cascade.related.some((r) => r.range.start.line === lineOf('for item in order.items:') && /loop/.test(r.message)),
    'related: the loop',
  );
  assert.match(cascade.help, /UPDATE line_items SET … WHERE order_id = \$1/, 'the rewrite names the foreign key column from the catalog');

  const [bulkStart, bulkEnd] = functionLines('cancel_order_bulk');
  const inBulk = findings.filter((f) => f.range.start.line >= bulkStart && f.range.start.line < bulkEnd);
  assert.deepEqual(
    inBulk.filter((f) => f.ruleId === 'cascading-row-locks' || f.ruleId === 'row-lock-in-loop'),
    [],
    'the bulk rewrite is not a cascade',
  );

  // The rewrite's sites are predicted against the real catalog: the UPDATE opens line_items and its two indexes.
  const services = report.files.find((f) => f.file === SERVICES);
  const bulkUpdate = services?.sites.find((s) => s.range.start.line === lineOf('session.execute(update(LineItem)'));
  assert.equal(bulkUpdate?.sql, 'UPDATE line_items SET status = $1 WHERE order_id = $2');
  assert.equal(bulkUpdate?.totals?.locks, 3, 'line_items, its primary key and its order_id index');
});
