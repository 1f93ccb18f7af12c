/**
 * The ActiveRecord fixture app, scanned with the Ruby extractor alone: every `lockscope: site` marker is covered by a
 * site (recall), every site covers a marker line (precision), and every `lockscope: finding` marker gets its finding.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { rubyExtractor } from '../../../src/core/scan/lang/ruby/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan } from '../../../src/core/scan/types.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

const ROOT = join(__dirname, '..', '..', '..');
const FIXTURES: Record<string, string> = { activerecord: join(ROOT, 'test', 'fixtures', 'orm', 'activerecord') };

function rubyFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? rubyFiles(path) : path.endsWith('.rb') ? [path] : [];
  });
}

function markerLines(text: string, pattern: RegExp): number[] {
  return text.split('\n').flatMap((line, i) => (pattern.test(line) ? [i] : []));
}

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

for (const [orm, dir] of Object.entries(FIXTURES)) {
  test(`fixture ${orm}: marked sites found, reported sites marked, marked findings reported`, () => {
    const scans: FileScan[] = [];
    const missed: string[] = [];
    const unmarked: string[] = [];
    let expected = 0;
    let found = 0;
    let reported = 0;
    let precise = 0;
    for (const file of rubyFiles(dir)) {
      const text = readFileSync(file, 'utf8');
      const scan = scanFile(file, text, [rubyExtractor]);
      assert.ok(scan !== undefined, file);
      assert.deepEqual(scan.problems, [], `${relative(ROOT, file)} has problems`);
      scans.push(scan);
      const marked = markerLines(text, /lockscope: site/);
      expected += marked.length;
      for (const line of marked) {
        if (scan.sites.some((s) => s.range.start.line <= line && s.range.end.line >= line)) found++;
        else missed.push(`${relative(ROOT, file)}:${line + 1}`);
      }
      reported += scan.sites.length;
      for (const site of scan.sites) {
        if (marked.some((line) => site.range.start.line <= line && site.range.end.line >= line)) precise++;
        else unmarked.push(`${relative(ROOT, file)}:${site.range.start.line + 1} ${site.label}`);
      }
    }
    console.log(`fixture ${orm}: recall ${found}/${expected}, precision ${precise}/${reported}`);
    const analysis = analyze(scans, undefined);
    const unparsed = analysis.sites
      .filter((a) => a.error !== undefined)
      .map((a) => `${relative(ROOT, a.site.file)}:${a.site.range.start.line + 1} ${a.error ?? ''}`);
    const findings = runRules(analysis);
    const missedFindings: string[] = [];
    for (const scan of scans) {
      const lines = readFileSync(scan.file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const m of line.matchAll(/lockscope: finding ([a-z-]+)/g)) {
          if (!findings.some((f) => f.file === scan.file && f.ruleId === m[1] && f.range.start.line <= i && f.range.end.line >= i))
            missedFindings.push(`${relative(ROOT, scan.file)}:${i + 1} ${m[1] ?? ''}`);
        }
      });
    }
    assert.deepEqual(missed, [], 'marked sites not found');
    assert.deepEqual(unmarked, [], 'sites reported on unmarked lines');
    assert.deepEqual(unparsed, [], 'synthesized SQL that PostgreSQL cannot parse');
    assert.deepEqual(missedFindings, [], 'marked findings not reported');
  });
}
