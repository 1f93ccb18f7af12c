/**
 * Recall and precision of the scanner on the example app and ORM fixtures. Expected sites are marked in the sources
 * with a trailing comment `lockscope: site` (and expected findings with `lockscope: finding <rule-id>`), so the
 * expectations live next to the code they describe.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../src/core/analyze/analyze.js';
import { runRules } from '../../src/core/rules/index.js';
import { scanFile } from '../../src/core/scan/registry.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { filesToScan } from '../../src/cli/scan-files.js';
import { loadTestGrammars } from '../support/grammars.js';

const ROOT = join(__dirname, '..', '..');
const TREES = [join(ROOT, 'examples'), join(ROOT, 'test', 'fixtures')];

interface Marker { file: string; line: number; kind: 'site' | 'finding'; rule?: string }

function markers(file: string, text: string): Marker[] {
  const out: Marker[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/lockscope: (site|finding(?: ([a-z-]+))?)/g)) {
      out.push(m[1] === 'site' ? { file, line: i, kind: 'site' } : { file, line: i, kind: 'finding', rule: m[2] });
    }
  });
  return out;
}

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

test('every marked site is found; precision and recall are printed per language', () => {
  const files = filesToScan(TREES.filter((t) => existsSync(t)));
  const scans = files.map((f) => scanFile(f, readFileSync(f, 'utf8'))).filter((s) => s !== undefined);
  const analysis = analyze(scans, undefined);
  const findings = runRules(analysis);
  const byLanguage = new Map<string, { expected: number; found: number; reported: number }>();
  const missed: string[] = [];
  for (const scan of scans) {
    const text = readFileSync(scan.file, 'utf8');
    const expected = markers(scan.file, text).filter((m) => m.kind === 'site');
    if (expected.length === 0) continue;
    const lines = new Set(scan.sites.map((s) => s.range.start.line));
    const stats = byLanguage.get(scan.language) ?? { expected: 0, found: 0, reported: 0 };
    stats.expected += expected.length;
    stats.reported += scan.sites.length;
    for (const m of expected) {
      // A site may start on the marked line or span it (multi-line calls).
      if (lines.has(m.line) || scan.sites.some((s) => s.range.start.line <= m.line && s.range.end.line >= m.line)) stats.found++;
      else missed.push(`${relative(ROOT, m.file)}:${m.line + 1}`);
    }
    byLanguage.set(scan.language, stats);
  }
  for (const [language, s] of byLanguage) {
    console.log(`scan recall ${language}: ${s.found}/${s.expected} marked sites found (${((100 * s.found) / s.expected).toFixed(0)}%); ${s.reported} sites reported, precision ≥ ${((100 * s.found) / Math.max(1, s.reported)).toFixed(0)}%`);
  }
  const expectedFindings = scans.flatMap((scan) => markers(scan.file, readFileSync(scan.file, 'utf8')).filter((m) => m.kind === 'finding'));
  const foundFindings = expectedFindings.filter((m) => findings.some((f) => f.file === m.file && f.ruleId === m.rule && f.range.start.line <= m.line && f.range.end.line >= m.line));
  console.log(`scan findings: ${foundFindings.length}/${expectedFindings.length} marked findings reported`);
  assert.deepEqual(missed, [], 'marked sites the scanner missed');
  assert.deepEqual(expectedFindings.filter((m) => !foundFindings.includes(m)).map((m) => `${relative(ROOT, m.file)}:${m.line + 1} ${m.rule ?? ''}`), []);
});
