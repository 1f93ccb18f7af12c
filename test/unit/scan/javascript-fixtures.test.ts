/**
 * The JS/TS ORM fixtures scanned with the JavaScript extractor alone: every `lockscope: site` marker is covered,
 * every reported site covers a marker (precision), and every `lockscope: finding <rule>` is reported.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { runRules } from '../../../src/core/rules/index.js';
import { javascriptExtractor } from '../../../src/core/scan/lang/javascript/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan } from '../../../src/core/scan/types.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

const ROOT = join(__dirname, '..', '..', '..');
const ORMS = ['node-postgres', 'prisma', 'typeorm', 'knex', 'sequelize', 'drizzle', 'kysely'];

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

function markerLines(text: string, pattern: RegExp): Array<{ line: number; rule: string | undefined }> {
  const out: Array<{ line: number; rule: string | undefined }> = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(pattern)) out.push({ line: i, rule: m[1] });
  });
  return out;
}

for (const orm of ORMS) {
  test(`fixture ${orm}: marked sites found, reported sites marked, findings reported`, () => {
    const dir = join(ROOT, 'test', 'fixtures', 'orm', orm);
    const files = readdirSync(dir)
      .filter((f) => /\.(ts|tsx|js|mjs)$/.test(f))
      .map((f) => join(dir, f));
    const scans: FileScan[] = [];
    let expected = 0;
    let found = 0;
    let reported = 0;
    let marked = 0;
    const missed: string[] = [];
    const unmarked: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const scan = scanFile(file, text, [javascriptExtractor]);
      assert.ok(scan !== undefined);
      assert.deepEqual(scan.problems, [], `${relative(ROOT, file)} problems`);
      scans.push(scan);
      const sites = markerLines(text, /lockscope: site()/g).map((m) => m.line);
      expected += sites.length;
      for (const line of sites) {
        if (scan.sites.some((s) => s.range.start.line <= line && s.range.end.line >= line)) found++;
        else missed.push(`${relative(ROOT, file)}:${line + 1}`);
      }
      for (const s of scan.sites) {
        reported++;
        if (sites.some((line) => s.range.start.line <= line && s.range.end.line >= line)) marked++;
        else unmarked.push(`${relative(ROOT, file)}:${s.range.start.line + 1} ${s.label}`);
      }
    }
    const findings = runRules(analyze(scans, undefined));
    const expectedFindings = scans.flatMap((scan) =>
      markerLines(readFileSync(scan.file, 'utf8'), /lockscope: finding ([a-z-]+)/g).map((m) => ({ file: scan.file, ...m })),
    );
    const missedFindings = expectedFindings
      .filter(
        (m) =>
          !findings.some((f) => f.file === m.file && f.ruleId === m.rule && f.range.start.line <= m.line && f.range.end.line >= m.line),
      )
      .map((m) => `${relative(ROOT, m.file)}:${m.line + 1} ${m.rule ?? ''}`);
    const unparsed = scans
      .flatMap((s) => s.sites)
      .filter((s) => analyze([{ ...emptyLike(s.file), sites: [s] }], undefined).sites[0]?.error !== undefined)
      .map((s) => `${s.label}: ${s.sql}`);
    console.log(
      `fixture ${orm}: recall ${found}/${expected}, precision ${marked}/${reported}, findings ${expectedFindings.length - missedFindings.length}/${expectedFindings.length}`,
    );
    assert.deepEqual(missed, [], 'marked sites missed');
    assert.deepEqual(unmarked, [], 'sites reported on unmarked lines');
    assert.deepEqual(missedFindings, [], 'marked findings missed');
    assert.deepEqual(unparsed, [], 'site SQL that PostgreSQL does not parse');
  });
}

function emptyLike(file: string): FileScan {
  return { file, language: 'typescript', sites: [], subtransactions: [], calls: [], problems: [] };
}
