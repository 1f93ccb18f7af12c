/** The field study's triage file keeps verdicts of findings the scan still reports after the sample is redrawn. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScanFinding } from '../../../scripts/field-study/measure.js';
import { keyOf, readVerdicts, tally, triageText } from '../../../scripts/field-study/triage.js';

function finding(file: string, line: number, severity: ScanFinding['severity'] = 'warning'): ScanFinding {
  const at = { line: line - 1, character: 0 };
  return { file, range: { start: at, end: at }, ruleId: 'row-lock-in-loop', severity, message: `loop in ${file}` };
}

/** The verdicts a triage file's text holds, read back the way study.ts reads them. */
function readBack(text: string): ReturnType<typeof readVerdicts> {
  const dir = mkdtempSync(join(tmpdir(), 'triage-'));
  try {
    writeFileSync(join(dir, 'app.md'), text);
    return readVerdicts(join(dir, 'app.md'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const verdictsOf = (text: string): Record<string, string> =>
  Object.fromEntries([...readBack(text).values()].map((t) => [t.key, t.verdict]));

const a = finding('a.ts', 10);
const b = finding('b.ts', 20, 'error');
const c = finding('c.ts', 30);
const earlier = triageText('app', [a, b, c], new Map(), new Set());
const judged = earlier
  .replace(`- ? | ${keyOf(a)}`, `- true | ${keyOf(a)}`)
  .replace(`- ? | ${keyOf(b)}`, `- false | ${keyOf(b)}`)
  .replace(`- ? | ${keyOf(c)}`, `- plausible | ${keyOf(c)}`);

const cases: Array<{ name: string; picked: ScanFinding[]; reported: ScanFinding[]; verdicts: Record<string, string>; counted: string }> = [
  {
    name: 'a finding that left the sample but is still reported keeps its verdict, outside the tally',
    picked: [a, c],
    reported: [a, b, c],
    verdicts: { [keyOf(a)]: 'true', [keyOf(b)]: 'false', [keyOf(c)]: 'plausible' },
    counted: '1/1/0',
  },
  {
    name: 'a finding no longer reported loses its verdict',
    picked: [a],
    reported: [a, c],
    verdicts: { [keyOf(a)]: 'true', [keyOf(c)]: 'plausible' },
    counted: '1/0/0',
  },
  {
    name: 'a kept verdict that is drawn again returns to the sample',
    picked: [a, b, c],
    reported: [a, b, c],
    verdicts: { [keyOf(a)]: 'true', [keyOf(b)]: 'false', [keyOf(c)]: 'plausible' },
    counted: '1/1/1',
  },
];

for (const t of cases) {
  test(t.name, () => {
    const redrawn = triageText('app', t.picked, readBack(judged), new Set(t.reported.map(keyOf)));
    assert.deepEqual(verdictsOf(redrawn), t.verdicts);
    const count = tally(redrawn);
    assert.equal(`${count.true}/${count.plausible}/${count.false}`, t.counted);
    // A second rewrite from the kept text changes nothing.
    assert.equal(triageText('app', t.picked, readBack(redrawn), new Set(t.reported.map(keyOf))), redrawn);
  });
}
