/**
 * Recall and precision of the scanner on the example app and the ORM fixture apps. Expected sites are marked in the
 * sources with a trailing comment `lockscope: site` (and expected findings with `lockscope: finding <rule-id>`), so
 * the expectations live next to the code they describe. Prints recall and precision per fixture app.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { analyze } from '../../src/core/analyze/analyze.js';
import { runRules } from '../../src/core/rules/index.js';
import { scanFiles } from '../../src/core/scan/registry.js';
import type { QuerySite } from '../../src/core/scan/types.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { filesToScan } from '../../src/cli/scan-files.js';
import { loadTestGrammars } from '../support/grammars.js';
import type { Catalog } from '../../src/core/catalog.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { withSession } from '../../src/db/session.js';

const ROOT = join(__dirname, '..', '..');
const TREES = [join(ROOT, 'examples'), join(ROOT, 'test', 'fixtures')];

interface Marker {
  file: string;
  line: number;
  kind: 'site' | 'finding';
  rule?: string;
}

function markers(file: string, text: string): Marker[] {
  const out: Marker[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/lockscope: (site|finding(?: ([a-z-]+))?)/g)) {
      out.push(m[1] === 'site' ? { file, line: i, kind: 'site' } : { file, line: i, kind: 'finding', rule: m[2] });
    }
  });
  return out;
}

/** The fixture app a file belongs to: test/fixtures/orm/<orm> or examples/<app>. */
function appOf(file: string): string {
  const parts = relative(ROOT, file).split('/');
  return parts[0] === 'examples' ? `examples/${parts[1]}` : parts[2] === 'orm' ? `orm/${parts[3]}` : parts.slice(0, 3).join('/');
}

const covers = (site: QuerySite, line: number): boolean => site.range.start.line <= line && site.range.end.line >= line;

let catalog: Catalog;

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
  // The example app's schema on the embedded PostgreSQL: catalog-based findings (partitions, hot tables) are checked
  // too; fixture tables missing from it only lose their lock counts.
  catalog = await withSession(() => openEmbeddedSession({ schemaFile: join(ROOT, 'examples', 'shop', 'schema.sql') }), loadCatalog);
});

test('every marked site and finding is found; recall and precision per fixture app', () => {
  // Schema-discovery fixtures are schema sources (models, migrations), not apps with marked query sites.
  const files = filesToScan(TREES.filter((t) => existsSync(t))).filter(
    (f) => !relative(ROOT, f).startsWith(join('test', 'fixtures', 'schema-discovery')),
  );
  const scans = scanFiles(files.map((file) => ({ file, text: readFileSync(file, 'utf8') })));
  const findings = runRules(analyze(scans, catalog));
  const byApp = new Map<string, { expected: number; found: number; reported: number; precise: number }>();
  const missed: string[] = [];
  const unmarked: string[] = [];
  for (const scan of scans) {
    const expected = markers(scan.file, readFileSync(scan.file, 'utf8')).filter((m) => m.kind === 'site');
    const stats = byApp.get(appOf(scan.file)) ?? { expected: 0, found: 0, reported: 0, precise: 0 };
    stats.expected += expected.length;
    stats.reported += scan.sites.length;
    for (const m of expected) {
      if (scan.sites.some((s) => covers(s, m.line))) stats.found++;
      else missed.push(`${relative(ROOT, m.file)}:${m.line + 1}`);
    }
    for (const s of scan.sites) {
      if (expected.some((m) => covers(s, m.line))) stats.precise++;
      else unmarked.push(`${relative(ROOT, s.file)}:${s.range.start.line + 1} ${s.label}`);
    }
    if (stats.expected + stats.reported > 0) byApp.set(appOf(scan.file), stats);
  }
  for (const [app, s] of [...byApp].sort()) {
    console.log(
      `scan ${app}: recall ${s.found}/${s.expected} (${((100 * s.found) / Math.max(1, s.expected)).toFixed(0)}%), precision ${s.precise}/${s.reported} (${((100 * s.precise) / Math.max(1, s.reported)).toFixed(0)}%)`,
    );
  }
  for (const u of unmarked) console.log(`  reported but not marked: ${u}`);
  const expectedFindings = scans.flatMap((scan) => markers(scan.file, readFileSync(scan.file, 'utf8')).filter((m) => m.kind === 'finding'));
  const foundFindings = expectedFindings.filter((m) =>
    findings.some((f) => f.file === m.file && f.ruleId === m.rule && f.range.start.line <= m.line && f.range.end.line >= m.line),
  );
  console.log(`scan findings: ${foundFindings.length}/${expectedFindings.length} marked findings reported`);
  assert.deepEqual(missed, [], 'marked sites the scanner missed');
  assert.deepEqual(
    expectedFindings.filter((m) => !foundFindings.includes(m)).map((m) => `${relative(ROOT, m.file)}:${m.line + 1} ${m.rule ?? ''}`),
    [],
  );
  const total = [...byApp.values()].reduce((a, s) => ({ precise: a.precise + s.precise, reported: a.reported + s.reported }), {
    precise: 0,
    reported: 0,
  });
  assert.ok(total.precise / Math.max(1, total.reported) >= 0.9, `overall precision ${total.precise}/${total.reported} is below 90%`);
});
