/**
 * Patterns met in the field study (docs/field-study.md), each reproduced by a minimal fixture of our own under
 * test/fixtures/field/: `lockscope: site` lines must be covered by a site, `lockscope: finding <rule>` lines must get
 * the finding, and `lockscope: no-finding <rule>` lines (the false alarms the study found) must not.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { scanFiles } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

const ROOT = join(__dirname, '..', '..', '..');
const FIELD = join(ROOT, 'test', 'fixtures', 'field');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

interface Marker {
  file: string;
  line: number;
  kind: 'site' | 'finding' | 'no-finding';
  rule: string;
}

function markers(file: string, text: string): Marker[] {
  return text.split('\n').flatMap((line, i) =>
    // `lockscope: site lockscope: finding rule`: a site marker takes no rule, so the next marker is not read as one.
    [...line.matchAll(/lockscope: (site|finding|no-finding)(?: (?!lockscope:)([a-z-]+))?/g)].map((m) => ({
      file,
      line: i,
      kind: m[1] as Marker['kind'],
      rule: m[1] === 'site' ? '' : (m[2] ?? ''),
    })),
  );
}

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

/** One case per pattern folder (test/fixtures/field/<pattern>), scanned together as one project. */
for (const pattern of readdirSync(FIELD).sort()) {
  test(`field pattern ${pattern}: marked sites and findings, and none of the false alarms`, () => {
    const files = filesUnder(join(FIELD, pattern));
    const scans = scanFiles(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
    const findings = runRules(analyze(scans, undefined));
    const wrong: string[] = [];
    for (const scan of scans) {
      for (const m of markers(scan.file, readFileSync(scan.file, 'utf8'))) {
        const where = `${relative(FIELD, m.file)}:${m.line + 1}`;
        const onLine = findings.filter(
          (f) => f.file === m.file && f.ruleId === m.rule && f.range.start.line <= m.line && f.range.end.line >= m.line,
        );
        if (m.kind === 'site' && !scan.sites.some((s) => s.range.start.line <= m.line && s.range.end.line >= m.line))
          wrong.push(`${where}: no site`);
        if (m.kind === 'finding' && onLine.length === 0) wrong.push(`${where}: no ${m.rule}`);
        if (m.kind === 'no-finding' && onLine.length > 0) wrong.push(`${where}: false ${m.rule} (${onLine[0]?.message})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
}
