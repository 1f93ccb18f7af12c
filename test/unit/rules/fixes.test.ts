/**
 * Every mechanical fix really fixes: applying it to the .sql text leaves SQL that parses and on which the rule no
 * longer fires, for each rule and each fix it offers (preferred and alternatives).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Finding, FixEdit } from '../../../src/core/rules/types.js';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { findings } from '../../support/rule-harness.js';

before(() => loadSqlParser());

/** Applies one fix's edits to the text (edits of one fix never overlap). */
function apply(text: string, edits: readonly FixEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number =>
    lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((out, e) => out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end)), text);
}

const CASES: Array<{ rule: string; input: string; fixes: string[] }> = [
  {
    rule: 'row-lock-without-timeout',
    input: 'SELECT * FROM t WHERE id = 1 FOR UPDATE;',
    fixes: ['Add SKIP LOCKED', 'Add NOWAIT', "Set lock_timeout = '2s' before it"],
  },
  {
    rule: 'row-lock-without-timeout',
    input: 'BEGIN;\n  SELECT * FROM t\n   WHERE id = 1\n   FOR SHARE OF t;\nCOMMIT;',
    fixes: ['Add SKIP LOCKED', 'Add NOWAIT', "Set lock_timeout = '2s' before it"],
  },
  { rule: 'create-index-not-concurrently', input: 'CREATE INDEX t_c ON t (c);', fixes: ['Use CREATE INDEX CONCURRENTLY'] },
  { rule: 'ddl-without-lock-timeout', input: 'ALTER TABLE t ADD COLUMN d int;', fixes: ["Set lock_timeout = '3s' before it"] },
];

for (const c of CASES) {
  test(`fixes of ${c.rule}: ${c.input.split('\n')[0] ?? ''}`, () => {
    const hit = findings(c.input).find((f) => f.ruleId === c.rule);
    assert.ok(hit !== undefined, 'the rule fires on the input');
    const offered = [hit.fix, ...(hit.moreFixes ?? [])].filter((f): f is NonNullable<Finding['fix']> => f !== undefined);
    assert.deepEqual(
      offered.map((f) => f.description),
      c.fixes,
    );
    for (const fix of offered) {
      const fixed = apply(c.input, fix.edits);
      assert.ok(parseSql(fixed).ok, `${fix.description} leaves SQL that parses:\n${fixed}`);
      assert.deepEqual(
        findings(fixed)
          .filter((f) => f.ruleId === c.rule)
          .map((f) => f.message),
        [],
        `${fix.description} fixes it:\n${fixed}`,
      );
    }
  });
}
