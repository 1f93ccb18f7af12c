/**
 * The Go ORM fixtures scanned with the Go extractor alone: every `lockscope: site` line is covered by a site
 * (recall), every site covers a marked line (precision), and every `lockscope: finding <rule>` is reported.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { goExtractor } from '../../../src/core/scan/lang/go/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan } from '../../../src/core/scan/types.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'orm');

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

function markedLines(text: string, pattern: RegExp): number[] {
  return text.split('\n').flatMap((line, i) => (pattern.test(line) ? [i] : []));
}

function findingMarkers(text: string): Array<{ line: number; rule: string }> {
  return text
    .split('\n')
    .flatMap((line, i) => [...line.matchAll(/lockscope: finding ([a-z-]+)/g)].map((m) => ({ line: i, rule: m[1] ?? '' })));
}

for (const orm of ['gorm', 'sqlx']) {
  test(`fixture ${orm}: marked sites are found, found sites are marked, marked findings are reported`, () => {
    const dir = join(FIXTURES, orm);
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.go'))
      .map((f) => join(dir, f));
    const scans: FileScan[] = [];
    let expected = 0;
    let found = 0;
    let reported = 0;
    let precise = 0;
    const missed: string[] = [];
    const unmarked: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const scan = scanFile(file, text, [goExtractor]);
      assert.ok(scan !== undefined);
      assert.deepEqual(scan.problems, [], `${file}: problems`);
      scans.push(scan);
      const marks = markedLines(text, /lockscope: site/);
      expected += marks.length;
      reported += scan.sites.length;
      for (const line of marks) {
        if (scan.sites.some((s) => s.range.start.line <= line && s.range.end.line >= line)) found++;
        else missed.push(`${orm}/${file.split('/').pop() ?? file}:${line + 1}`);
      }
      for (const site of scan.sites) {
        if (marks.some((line) => site.range.start.line <= line && site.range.end.line >= line)) precise++;
        else unmarked.push(`${orm}:${site.range.start.line + 1} ${site.label}`);
      }
    }
    console.log(`fixture ${orm}: recall ${found}/${expected}, precision ${precise}/${reported}`);
    assert.deepEqual(missed, [], 'marked sites not found');
    assert.deepEqual(unmarked, [], 'sites on unmarked lines');
    const analysis = analyze(scans, undefined);
    const unparsed = analysis.sites
      .filter((a) => a.error !== undefined)
      .map((a) => `${a.site.range.start.line + 1}: ${a.error ?? ''} — ${a.site.sql}`);
    assert.deepEqual(unparsed, [], 'site SQL PostgreSQL cannot parse');
    const findings = runRules(analysis);
    const absent: string[] = [];
    for (const scan of scans) {
      for (const m of findingMarkers(readFileSync(scan.file, 'utf8'))) {
        const hit = findings.some(
          (f) => f.file === scan.file && f.ruleId === m.rule && f.range.start.line <= m.line && f.range.end.line >= m.line,
        );
        if (!hit) absent.push(`${orm}:${m.line + 1} ${m.rule}`);
      }
    }
    assert.deepEqual(absent, [], 'marked findings not reported');
  });
}
