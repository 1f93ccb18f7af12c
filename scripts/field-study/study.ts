/**
 * The field study (docs/field-study.md), rerunnable: `node --import tsx scripts/field-study/study.ts [APP...]`.
 * `--reuse` re-measures the previous run's scan output (after a grep change) instead of scanning again.
 * Extracts each pinned app (apps.json) from its fetched snapshot, greps its lock and savepoint sites, runs the built
 * CLI (`npm run build` first) with `scan --format json`, and prints recall, time and the triage tally per app.
 * Results (scan JSON, misses, context for triage) go to <apps>/results/; verdicts live in triage/<app>.md.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { APPS_DIR, loadApps, MIRRORS_DIR, STUDY_DIR } from './apps.js';
import { checkout } from './checkout.js';
import { grepSites } from './grep-sites.js';
import { measure, type Measurement } from './measure.js';
import { keyOf, readVerdicts, sample, sampleSection, tally, triageText } from './triage.js';

// FIELD_CLI: a copy of a built CLI, so the scans of a long run are not changed by a rebuild halfway through.
const CLI = process.env.FIELD_CLI ?? join(STUDY_DIR, '..', '..', 'dist', 'cli.js');
const RESULTS = join(APPS_DIR, 'results');
const percent = (n: number, d: number): string => (d === 0 ? '—' : `${Math.round((100 * n) / d)} %`);

function context(appRoot: string, file: string, line: number): string {
  const lines = readFileSync(join(appRoot, file), 'utf8').split('\n');
  return lines
    .slice(Math.max(0, line - 8), line + 4)
    .map((text, i) => `${Math.max(0, line - 8) + i + 1}${Math.max(0, line - 8) + i === line ? '>' : ' '} ${text}`)
    .join('\n');
}

function row(m: Measurement, verdicts: Record<string, number>, falseErrors: number): string {
  const lockRecall = `${m.found.rowLocks}/${m.grep.rowLocks} (${percent(m.found.rowLocks, m.grep.rowLocks)})`;
  const spRecall = `${m.found.savepoints}/${m.grep.savepoints} (${percent(m.found.savepoints, m.grep.savepoints)})`;
  const judged = (verdicts.true ?? 0) + (verdicts.plausible ?? 0) + (verdicts.false ?? 0);
  const good = percent((verdicts.true ?? 0) + (verdicts.plausible ?? 0), judged);
  return (
    `| ${m.app} | ${m.files} | ${m.lines} | ${m.sites} | ${m.wallSeconds} s / ${m.cpuSeconds} s CPU / ${m.peakRssMb} MB | ` +
    `${lockRecall} | ${spRecall} | ${m.triageable.length} | ${verdicts.true}/${verdicts.plausible}/${verdicts.false}` +
    `${verdicts['?'] ? ` (+${verdicts['?']} unjudged)` : ''} | ${good} | ${falseErrors} |`
  );
}

mkdirSync(RESULTS, { recursive: true });
mkdirSync(join(STUDY_DIR, 'triage'), { recursive: true });
const reuse = process.argv.includes('--reuse');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const rows: string[] = [];
for (const app of loadApps().filter((a) => only.length === 0 || only.includes(a.name))) {
  checkout(app, MIRRORS_DIR, APPS_DIR);
  const appRoot = join(APPS_DIR, app.name);
  const hits = grepSites(appRoot, app.scan);
  const m = measure(app, appRoot, CLI, hits, join(RESULTS, `${app.name}.scan.json`), reuse);
  const triageFile = join(STUDY_DIR, 'triage', `${app.name}.md`);
  const picked = sample(m.triageable);
  const text = triageText(app.name, picked, readVerdicts(triageFile), new Set(m.triageable.map(keyOf)));
  writeFileSync(triageFile, text);
  const falseErrors = [...sampleSection(text).matchAll(/^- false \| error /gm)].length;
  writeFileSync(
    join(RESULTS, `${app.name}.misses.txt`),
    m.misses.map((h) => `${h.kind} ${h.file}:${h.line + 1} [${h.pattern}] ${h.text}`).join('\n') + '\n',
  );
  writeFileSync(
    join(RESULTS, `${app.name}.triage-context.txt`),
    picked.map((f) => `## ${keyOf(f)}\n${f.message}\n${context(appRoot, f.file, f.range.start.line)}\n`).join('\n'),
  );
  const { misses: _misses, triageable: _t, ...summary } = m;
  writeFileSync(join(RESULTS, `${app.name}.summary.json`), JSON.stringify(summary, null, 2) + '\n');
  rows.push(row(m, tally(text), falseErrors));
  console.error(`${app.name}: done (${m.wallSeconds} s, exit ${m.exitCode}); findings ${JSON.stringify(m.findings)}`);
}
console.log(
  '| app | files | lines | sites | scan time (wall / CPU / peak RSS) | row-lock recall | savepoint recall | warnings+errors | triage true/plausible/false | true or plausible | false errors |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
console.log(rows.join('\n'));
