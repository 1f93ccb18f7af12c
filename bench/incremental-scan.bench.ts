/**
 * One keystroke's re-lint of a 5,000-line Python file in plain node (#16), phase by phase: the same file and model as
 * the editor bench (test/vscode/bench), linted the way the analysis worker lints a document version (workspace index
 * update → scans → analysis → rules → the portable delta posted to the host). Prints the cold lint, then per phase the
 * median and max over KEYSTROKES one-character edits in the middle of the file, CPU time and the load average.
 * Run: node --import tsx bench/incremental-scan.bench.ts [--cpu-prof]   (BENCH_LANGUAGE=typescript|ruby|go for others)
 */
import { loadavg } from 'node:os';
import { analyze } from '../src/core/analyze/analyze.js';
import { portableAnalysis } from '../src/core/analyze/portable.js';
import type { Catalog, CatalogRelation } from '../src/core/catalog.js';
import { WorkspaceIndex } from '../src/core/lint/workspace-index.js';
import { runRules } from '../src/core/rules/index.js';
import { buildServerProfile } from '../src/core/server-profile.js';
import { loadSqlParser } from '../src/core/sql/index.js';
import { DeltaEncoder } from '../src/analysis-worker/delta.js';
import { relation } from '../test/support/catalog-fixtures.js';
import { loadTestGrammars } from '../test/support/grammars.js';
import { BENCH_SOURCES } from './support/large-source.js';

const KEYSTROKES = 15;

function ordersCatalog(): Catalog {
  const orders: CatalogRelation = relation(30001, 'orders');
  const pkey = relation(30002, 'orders_pkey', 'index');
  orders.indexes.push({
    oid: pkey.oid,
    qualifiedName: pkey.qualifiedName,
    valid: true,
    unique: true,
    primary: true,
    columns: ['id'],
    predicate: undefined,
  });
  const rels = [orders, pkey];
  return {
    profile: buildServerProfile('15.18', 150018, 64, 'server'),
    database: 'app',
    searchPath: ['public'],
    relations: new Map(rels.map((r) => [r.oid, r])),
    byName: new Map(rels.map((r) => [`public.${r.name}`, r.oid])),
    loadedAt: 0,
  };
}

type Phase = 'update' | 'scan' | 'analyze' | 'rules' | 'delta';
const PHASES: Phase[] = ['update', 'scan', 'analyze', 'rules', 'delta'];

function lintOnce(index: WorkspaceIndex, encoder: DeltaEncoder, file: string, text: string, catalog: Catalog): Record<Phase, number> {
  // CPU time per phase: under the shared machine's load, wall time mostly measures the other processes.
  const times = {} as Record<Phase, number>;
  let last = process.cpuUsage();
  const mark = (phase: Phase): void => {
    const now = process.cpuUsage();
    times[phase] = (now.user - last.user + now.system - last.system) / 1000;
    last = now;
  };
  index.update(file, text, { keep: true }); // as lint() does for the document it is asked about
  mark('update');
  const scans = index.scans();
  mark('scan');
  const analysis = analyze(scans, catalog, { focus: new Set([file]) });
  mark('analyze');
  const findings = runRules(analysis);
  mark('rules');
  encoder.encode({ analysis: portableAnalysis(analysis), findings, problems: [] });
  mark('delta');
  return times;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function main(): Promise<void> {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
  const source = BENCH_SOURCES[process.env['BENCH_LANGUAGE'] ?? 'python'];
  if (source === undefined) throw new Error(`BENCH_LANGUAGE: one of ${Object.keys(BENCH_SOURCES).join(', ')}`);
  const catalog = ordersCatalog();
  const index = new WorkspaceIndex([{ file: source.modelFile, text: source.modelText }]);
  const encoder = new DeltaEncoder();
  let text = source.text();
  const lines = text.split('\n');
  const cpuStart = process.cpuUsage();
  const cold = lintOnce(index, encoder, source.file, text, catalog);
  const coldMs = PHASES.reduce((sum, p) => sum + cold[p], 0);
  console.log(
    `incremental-scan bench (${source.language}): ${lines.length}-line file, cold lint ${coldMs.toFixed(0)} ms CPU (${PHASES.map((p) => `${p} ${cold[p].toFixed(0)}`).join(', ')})`,
  );
  const perPhase = new Map<Phase, number[]>(PHASES.map((p) => [p, []]));
  const totals: number[] = [];
  const walls: number[] = [];
  for (let i = 0; i < KEYSTROKES; i++) {
    // A space typed at the end of a line in the middle of the file, as the editor bench types.
    const line = Math.floor(lines.length / 2) + i;
    lines[line] = `${lines[line] ?? ''} `;
    text = lines.join('\n');
    const started = performance.now();
    const times = lintOnce(index, encoder, source.file, text, catalog);
    walls.push(performance.now() - started);
    for (const p of PHASES) perPhase.get(p)?.push(times[p]);
    totals.push(PHASES.reduce((sum, p) => sum + times[p], 0));
  }
  console.log(
    `incremental-scan bench (${source.language}): one character typed → re-lint over ${KEYSTROKES} keystrokes: CPU median ${median(totals).toFixed(1)} ms, max ${Math.max(...totals).toFixed(1)} ms; wall median ${median(walls).toFixed(1)} ms`,
  );
  console.log(
    `  CPU per phase, median (max): ${PHASES.map((p) => `${p} ${median(perPhase.get(p) ?? []).toFixed(1)} (${Math.max(...(perPhase.get(p) ?? [0])).toFixed(1)})`).join(', ')}`,
  );
  const all = process.cpuUsage(cpuStart);
  console.log(
    `  total CPU ${((all.user + all.system) / 1000).toFixed(0)} ms; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

void main();
