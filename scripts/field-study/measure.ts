/** Runs `lockscope scan --format json` on one field-study app and measures recall of the grep's sites and the findings. */
import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FieldApp } from './apps.js';
import { type GrepHit, TEST_FILE } from './grep-sites.js';

interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}
interface ScanSite {
  range: Range;
  sql?: string | null;
  label: string;
}
interface ScanFile {
  file: string;
  sites: ScanSite[];
  subtransactions: { range: Range; kind: string }[];
  problems: unknown[];
}
export interface ScanFinding {
  file: string;
  range: Range;
  ruleId: string;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
}
interface ScanJson {
  files: ScanFile[];
  findings: ScanFinding[];
}

export interface Measurement {
  app: string;
  files: number;
  lines: number;
  sites: number;
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  exitCode: number;
  grep: { rowLocks: number; savepoints: number };
  found: { rowLocks: number; savepoints: number };
  misses: GrepHit[];
  findings: Record<string, number>;
  /** Warning/error findings outside tests, the population the triage samples. */
  triageable: ScanFinding[];
}

const ROW_LOCK_SQL = /\bFOR\s+(NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(KEY\s+)?SHARE\b/i;
const SAVEPOINT_SQL = /^\s*SAVEPOINT\b/i;
const ROW_LOCKING_WRITE = /^\s*(UPDATE|DELETE)\b/i;
/** A grep hit is found when a matching site starts this many lines before or after it (a chain spans lines; a
 * statement built across assignments is sent a few lines below its lock clause). */
const BEFORE = 3;
const AFTER = 12;

function near(range: Range, line: number): boolean {
  return range.start.line - AFTER <= line && line <= range.end.line + BEFORE;
}

function isFound(hit: GrepHit, byFile: Map<string, ScanFile>): boolean {
  const file = byFile.get(hit.file);
  if (file === undefined) return false;
  if (hit.kind === 'row-lock')
    return file.sites.some(
      (s) =>
        (ROW_LOCK_SQL.test(s.sql ?? s.label) && (near(s.range, hit.line) || (s.sql ?? '').replace(/\s+/g, ' ').includes(hit.excerpt))) ||
        // `Order.objects.select_for_update().filter(…).update(…)`: Django drops the clause from an UPDATE or DELETE
        // (the write locks the rows itself), so a row-locking write whose call spans the lock is the site.
        (ROW_LOCKING_WRITE.test(s.sql ?? '') && s.range.start.line <= hit.line && hit.line <= s.range.end.line),
    );
  return (
    file.subtransactions.some((s) => near(s.range, hit.line)) ||
    file.sites.some((s) => SAVEPOINT_SQL.test(s.sql ?? '') && near(s.range, hit.line))
  );
}

/** With `reuse`, the scan JSON and timing of the previous run are read again (to re-measure after a grep change). */
export function measure(app: FieldApp, appRoot: string, cli: string, hits: GrepHit[], outFile: string, reuse: boolean): Measurement {
  const run =
    reuse && existsSync(outFile + '.time')
      ? { status: Number(readFileSync(outFile + '.exit', 'utf8')) }
      : spawnSync(
          '/usr/bin/time',
          ['-f', 'TIME %e %U %S %M', '-o', outFile + '.time', process.execPath, cli, 'scan', ...app.scan, '--format', 'json'],
          { cwd: appRoot, stdio: ['ignore', openSync(outFile, 'w'), 'ignore'] },
        );
  writeFileSync(outFile + '.exit', String(run.status ?? -1));
  const [wall = 0, user = 0, sys = 0, rssKb = 0] = (/TIME (.*)/.exec(readFileSync(outFile + '.time', 'utf8'))?.[1] ?? '')
    .split(' ')
    .map(Number);
  const scan = JSON.parse(readFileSync(outFile, 'utf8')) as ScanJson;
  const byFile = new Map(scan.files.map((f) => [f.file, f]));
  const locks = hits.filter((h) => h.kind === 'row-lock');
  const savepoints = hits.filter((h) => h.kind === 'savepoint');
  const misses = hits.filter((h) => !isFound(h, byFile));
  const findings: Record<string, number> = {};
  for (const f of scan.findings) findings[`${f.severity} ${f.ruleId}`] = (findings[`${f.severity} ${f.ruleId}`] ?? 0) + 1;
  let lines = 0;
  for (const f of scan.files) lines += readFileSync(join(appRoot, f.file), 'utf8').split('\n').length;
  return {
    app: app.name,
    files: scan.files.length,
    lines,
    sites: scan.files.reduce((n, f) => n + f.sites.length, 0),
    wallSeconds: wall,
    cpuSeconds: Math.round((user + sys) * 10) / 10,
    peakRssMb: Math.round(rssKb / 1024),
    exitCode: run.status ?? -1,
    grep: { rowLocks: locks.length, savepoints: savepoints.length },
    found: {
      rowLocks: locks.filter((h) => !misses.includes(h)).length,
      savepoints: savepoints.filter((h) => !misses.includes(h)).length,
    },
    misses,
    findings,
    triageable: scan.findings.filter((f) => (f.severity === 'error' || f.severity === 'warning') && !TEST_FILE.test(f.file)),
  };
}
