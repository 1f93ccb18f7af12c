/**
 * The motivating cascade's shape in TypeScript (a constructor-injected service), Go (a service in a struct field) and
 * Ruby (a service object locking each element with `with_lock`), run through `lockscope scan` as a user would: the
 * per-element lock is flagged at the loop, and each fixture's bulk rewrite is not.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import type { Finding } from '../../src/core/rules/types.js';

const FIELD = join(__dirname, '..', 'fixtures', 'field');

interface Case {
  language: string;
  /** The folder scanned, under test/fixtures/field. */
  app: string;
  /** The file holding the loop and its rewrite, relative to the app. */
  file: string;
  /** Text of the line inside the loop that reaches the per-element lock. */
  loopLine: string;
  rules: Finding['ruleId'][];
  /** Text of the bulk rewrite's line: no loop finding there. */
  bulkLine: string;
  /** cascading-row-locks is an error: the scan exits 1; a row lock in a loop alone is a warning (exit 0). */
  exitCode: number;
}

const CASES: Case[] = [
  {
    language: 'TypeScript, constructor-injected service',
    app: 'typescript-cascade',
    file: 'gateway-service.ts',
    loopLine: 'await this.toolService.setToolState(',
    rules: ['cascading-row-locks', 'row-lock-in-loop'],
    bulkLine: 'await Tool.update({ enabled }, { where: { gatewayId }',
    exitCode: 1,
  },
  {
    language: 'Go, service in a struct field',
    app: 'go-cascade',
    file: 'gateways.go',
    loopLine: 's.tools.SetToolState(ctx, tx, t.ID, enabled)',
    rules: ['cascading-row-locks', 'row-lock-in-loop'],
    bulkLine: 'tx.Model(&Tool{}).Where("gateway_id = ?", id).Update(',
    exitCode: 1,
  },
  {
    language: 'Ruby, service object with with_lock on each element',
    app: 'rails',
    file: join('app', 'services', 'credit_notes', 'void_service.rb'),
    loopLine: 'fee.with_lock do',
    rules: ['row-lock-in-loop'],
    bulkLine: 'credit_note.fees.update_all(status: "recredited")',
    exitCode: 0,
  },
];

for (const c of CASES) {
  test(`${c.language}: the per-element lock is flagged at the loop, the bulk rewrite is not`, async () => {
    const app = join(FIELD, c.app);
    const file = join(app, c.file);
    const lines = readFileSync(file, 'utf8').split('\n');
    const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle));
    let out = '';
    let err = '';
    const code = await runCli(['scan', app, '--format', 'json'], {
      stdout: (t) => (out += t),
      stderr: (t) => (err += `${t}\n`),
      env: {},
    });
    const findings = (JSON.parse(out) as { findings: Finding[] }).findings.filter((f) => f.file === file);
    const seen = JSON.stringify(findings.map((f) => [f.ruleId, f.range.start.line]));
    for (const rule of c.rules)
      assert.ok(
        findings.some((f) => f.ruleId === rule && f.range.start.line === lineOf(c.loopLine)),
        `${rule} at line ${lineOf(c.loopLine) + 1}: ${seen}`,
      );
    assert.deepEqual(
      findings.filter(
        (f) => f.range.start.line === lineOf(c.bulkLine) && (f.ruleId === 'row-lock-in-loop' || f.ruleId === 'cascading-row-locks'),
      ),
      [],
      'the bulk rewrite is not flagged',
    );
    assert.equal(code, c.exitCode, err);
  });
}
