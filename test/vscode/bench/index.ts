/**
 * Editor benchmark inside the real extension host: hover latency on a SQL statement (median and p95, warm) beside a
 * trivial hover provider's on a plain-text file (VS Code's own round trip, asked alternately in the same run); the
 * time to analyze a 5,000-line SQL file and a 5,000-line Python file and the extension host's longest stall meanwhile
 * (a 5 ms interval timer's lateness); one character typed in each → the document's diagnostics set (what the user
 * waits for: the worker's analysis and the mapping; VS Code's onDidChangeDiagnostics reaches extensions 50 ms later by
 * design, printed apart), with each keystroke's hops (breakdown.ts), VS Code's own edit round trip in a plain-text
 * copy of the SQL file and the SQL keystrokes again with lockscope.annotations off (no CodeLenses asked for after each
 * edit); and the same for one file of a generated 400-file app once the workspace index is warm.
 * Every line carries the load average. Prints figures; run by bench/editor.bench.ts.
 */
import { loadavg } from 'node:os';
import * as vscode from 'vscode';
import { BENCH_SOURCES } from '../../../bench/support/large-source.js';
import { epochNow } from '../../../src/analysis-worker/timing.js';
import { formatHops, hopsOf, hostGc, medianHops, workerGcPerLint, type DiagnosticsTiming, type Hop } from './breakdown.js';

/** " (load 2.31)": the 1-minute load average on this machine when the figure was taken. */
const load = (): string => ` (load ${(loadavg()[0] ?? 0).toFixed(2)})`;

const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

/** The extension host's longest event-loop stall while `work` runs: a 5 ms interval timer's largest lateness. */
async function withStallProbe<T>(work: () => Thenable<T>): Promise<{ result: T; ms: number; stallMs: number }> {
  let last = performance.now();
  let stallMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    stallMs = Math.max(stallMs, now - last - 5);
    last = now;
  }, 5);
  const start = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - start, stallMs: Math.max(stallMs, performance.now() - last - 5) };
  } finally {
    clearInterval(timer);
  }
}

type FileSummary = { sites: number; findings: number } | undefined;

const TYPED = 7;

/**
 * When the document's diagnostics are next set, as onDidChangeDiagnostics tells (performance.now() of its arrival);
 * `cancel` when none will come (the extension found them unchanged and did not set them again).
 */
function nextDiagnostics(uri: vscode.Uri): { at: Promise<number>; cancel: () => void } {
  let cancel = (): void => undefined;
  const at = new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`no diagnostics for ${uri.fsPath} within 20 s`));
    }, 20_000);
    const subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString())) return;
      clearTimeout(timeout);
      subscription.dispose();
      resolve(performance.now());
    });
    cancel = () => {
      clearTimeout(timeout);
      subscription.dispose();
    };
  });
  return { at, cancel };
}

/**
 * Types one character at a time in the middle of `document` (in its editor, as a user does) and times each until the
 * extension set the document's diagnostics for the new version (its own record), and until VS Code's
 * onDidChangeDiagnostics event reached this extension; the host's longest stall over all of it.
 */
async function typeAndWaitForDiagnostics(document: vscode.TextDocument, label: string): Promise<void> {
  const editor = await vscode.window.showTextDocument(document);
  const toSet: number[] = [];
  const toEvent: number[] = [];
  const mapping: number[] = [];
  const hops: Array<Record<Hop, number>> = [];
  const timings: DiagnosticsTiming[] = [];
  const hostGcs: number[] = [];
  const { stallMs } = await withStallProbe(async () => {
    for (let i = 0; i < TYPED; i++) {
      const line = Math.floor(document.lineCount / 2) + i;
      const updated = nextDiagnostics(document.uri);
      const epochStart = epochNow();
      const start = performance.now();
      const { gcMs } = await hostGc(async () => {
        await editor.edit((b) => b.insert(new vscode.Position(line, document.lineAt(line).text.length), ' '));
        const version = document.version;
        let timing = await vscode.commands.executeCommand<DiagnosticsTiming | undefined>('lockscope.diagnosticsTiming', document.uri);
        for (let w = 0; (timing?.version ?? -1) < version && w < 2000; w++) {
          await new Promise((r) => setTimeout(r, 10));
          timing = await vscode.commands.executeCommand<DiagnosticsTiming | undefined>('lockscope.diagnosticsTiming', document.uri);
        }
        if (timing === undefined || timing.version < version) throw new Error(`no diagnostics for version ${version} of ${label}`);
        if (timing.unchanged) updated.cancel();
        else toEvent.push((await updated.at) - start);
        toSet.push(timing.setAt - start);
        mapping.push(timing.mapMs);
        hops.push(hopsOf(epochStart, timing));
        timings.push(timing);
      });
      hostGcs.push(gcMs);
      await new Promise((r) => setTimeout(r, 200)); // a pause between keystrokes: each one is measured alone
    }
  });
  const f = (xs: number[]): string =>
    xs.length === 0 ? 'none' : `median ${percentile(xs, 0.5).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms`;
  const same = timings.filter((t) => t.unchanged).length;
  // What Lockscope controls: from the change event on this host to the diagnostics set (or found current).
  const fromChange = timings.map((t) => t.set - (t.changed ?? t.lint.host.sent));
  console.log(
    `editor bench: one character typed in the ${label} → diagnostics set over ${TYPED} keystrokes: ${f(toSet)} (of which mapping to diagnostics ${f(mapping)}; ${same} of ${TYPED} found the same as already set, not set again); change event → diagnostics set: ${f(fromChange)}; → onDidChangeDiagnostics (when set): ${f(toEvent)}; longest host stall ${stallMs.toFixed(0)} ms${load()}`,
  );
  console.log(`editor bench:   hops, median ms: ${formatHops(medianHops(hops), '')}`);
  // A collection is reported with a later lint's marks: the last keystroke's worker GC is not known yet.
  const workerGc = workerGcPerLint(timings, []);
  timings.forEach((t, i) => {
    const gc = i === timings.length - 1 ? '?' : (workerGc[i] ?? 0).toFixed(0);
    const extra = `; worker GC ${gc} ms, ${t.lint.worker.entries} entries in ${t.lint.worker.parts} parts; host GC over the keystroke ${(hostGcs[i] ?? 0).toFixed(0)} ms`;
    console.log(`editor bench:   keystroke ${i + 1}: ${toSet[i]?.toFixed(0)} ms = ${formatHops(hops[i] ?? medianHops([]), extra)}`);
  });
}

/**
 * VS Code's own edit round trip, the floor under "typed → diagnostics": the same keystrokes in a plain-text copy of
 * `text` that no extension reads, timed from `editor.edit` to the change event on this host (extension host →
 * window → extension host). A real keystroke starts in the window and makes half of this trip.
 */
async function editRoundTrip(text: string, label: string): Promise<void> {
  const document = await vscode.workspace.openTextDocument({ language: 'plaintext', content: text });
  const editor = await vscode.window.showTextDocument(document);
  const trips: number[] = [];
  for (let i = 0; i < TYPED; i++) {
    const line = Math.floor(document.lineCount / 2) + i;
    const changed = new Promise<number>((resolve) => {
      const subscription = vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== document) return;
        subscription.dispose();
        resolve(performance.now());
      });
    });
    const start = performance.now();
    await editor.edit((b) => b.insert(new vscode.Position(line, document.lineAt(line).text.length), ' '));
    trips.push((await changed) - start);
    await new Promise((r) => setTimeout(r, 200));
  }
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  console.log(
    `editor bench: VS Code's own edit round trip (editor.edit → change event) in a plain-text copy of the ${label}, no extension reading it: median ${percentile(trips, 0.5).toFixed(0)} ms, max ${Math.max(...trips).toFixed(0)} ms${load()}`,
  );
}

/** A generated app of `n` Python modules, each calling a locking helper of the next module in a loop. */
async function generateApp(folder: vscode.Uri, n: number): Promise<vscode.Uri[]> {
  const edit = new vscode.WorkspaceEdit();
  const uris: vscode.Uri[] = [];
  for (let i = 0; i < n; i++) {
    const lines = [`from app.models import Order`, `from gen.module_${(i + 1) % n} import lock_${(i + 1) % n}`, ''];
    lines.push(`def lock_${i}(session, order_id):`, '    return session.query(Order).filter_by(id=order_id).with_for_update().one()', '');
    for (let f = 0; f < 8; f++)
      lines.push(
        `def job_${i}_${f}(session, ids):`,
        '    for order_id in ids:',
        `        lock_${(i + 1) % n}(session, order_id)`,
        '    return session.query(Order).filter(Order.total > 0).all()',
        '',
      );
    const uri = vscode.Uri.joinPath(folder, 'gen', `module_${i}.py`);
    edit.createFile(uri, { overwrite: true, contents: new TextEncoder().encode(lines.join('\n')) });
    uris.push(uri);
  }
  await vscode.workspace.applyEdit(edit);
  return uris;
}

export async function run(): Promise<void> {
  const url = process.env['LOCKSCOPE_TEST_DB_URL'] ?? '';
  await vscode.workspace.getConfiguration('lockscope').update('databaseUrl', url, vscode.ConfigurationTarget.Global);
  await vscode.extensions.getExtension('lockscope.lockscope')?.activate();
  await vscode.commands.executeCommand('lockscope.refreshCatalog');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder === undefined) throw new Error('no workspace');

  const document = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder, 'checkout.sql'));
  await vscode.window.showTextDocument(document);
  const position = new vscode.Position(1, 5);
  // VS Code's own round trip: a provider that answers at once, on a plain-text file, asked alternately with Lockscope's.
  const plain = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'SELECT 1;\n' });
  const baseline = vscode.languages.registerHoverProvider('plaintext', {
    provideHover: (_document, at) => new vscode.Hover('baseline', new vscode.Range(at, at)),
  });
  const hover = async (uri: vscode.Uri, at: vscode.Position): Promise<number> => {
    const start = performance.now();
    const answer = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    if (answer.length === 0) throw new Error(`no hover at ${uri.toString()}`);
    return performance.now() - start;
  };
  await hover(document.uri, position); // warm
  await hover(plain.uri, new vscode.Position(0, 1));
  const hovers: number[] = [];
  const baselines: number[] = [];
  for (let i = 0; i < 200; i++) {
    hovers.push(await hover(document.uri, position));
    baselines.push(await hover(plain.uri, new vscode.Position(0, 1)));
  }
  baseline.dispose();
  console.log(
    `editor bench: hover latency over 200 warm requests: median ${percentile(hovers, 0.5).toFixed(2)} ms, p95 ${percentile(hovers, 0.95).toFixed(2)} ms; a trivial provider's (VS Code's round trip) asked alternately: median ${percentile(baselines, 0.5).toFixed(2)} ms, p95 ${percentile(baselines, 0.95).toFixed(2)} ms. Both are vscode.executeHoverProvider's round trip: this extension host → the window (over code-server's websocket) → the providers on this host → the window → here; Lockscope's provider answers synchronously from the analysis held for the version, so the difference is all Lockscope adds and the trivial provider's figure is the floor${load()}`,
  );

  // A 5,000-line SQL file: 1,250 four-line statements over the cluster's tables.
  const statements: string[] = [];
  for (let i = 0; i < 1250; i++)
    statements.push(`SELECT o.*, c.email\n  FROM orders o JOIN customers c ON c.id = o.customer\n WHERE o.id = ${i}\n   FOR UPDATE OF o;`);
  const big = vscode.Uri.joinPath(folder, 'big.sql');
  await vscode.workspace.fs.writeFile(big, new TextEncoder().encode(statements.join('\n')));
  const bigDocument = await vscode.workspace.openTextDocument(big);
  const { result, ms, stallMs } = await withStallProbe(() =>
    vscode.commands.executeCommand<FileSummary>('lockscope.analyzeFile', bigDocument.uri),
  );
  console.log(
    `editor bench: analyzing a ${bigDocument.lineCount}-line file (${result?.sites ?? '?'} statements, ${result?.findings ?? '?'} findings) took ${ms.toFixed(0)} ms, longest host stall ${stallMs.toFixed(0)} ms${load()}`,
  );
  const lensStart = performance.now();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bigDocument.uri);
  console.log(
    `editor bench: ${lenses.length} CodeLenses for it in ${(performance.now() - lensStart).toFixed(0)} ms (cached analysis)${load()}`,
  );
  await typeAndWaitForDiagnostics(bigDocument, `${bigDocument.lineCount}-line SQL file`);
  await editRoundTrip(bigDocument.getText(), `${bigDocument.lineCount}-line SQL file`);
  // The same keystrokes without the 1,250 CodeLenses VS Code asks for again after each edit: what they cost the trip.
  const config = vscode.workspace.getConfiguration('lockscope');
  await config.update('annotations', 'off', vscode.ConfigurationTarget.Global);
  await typeAndWaitForDiagnostics(bigDocument, `${bigDocument.lineCount}-line SQL file with lockscope.annotations off`);
  await config.update('annotations', undefined, vscode.ConfigurationTarget.Global);
  await vscode.workspace.fs.delete(big);

  // A 5,000-line Python file: 556 nine-line SQLAlchemy functions on the model in app/models.py (found across files),
  // the same text the plain-node incremental-scan bench re-lints.
  const python = BENCH_SOURCES['python'];
  if (python === undefined) throw new Error('bench/support/large-source.ts has no Python source');
  const bigPy = vscode.Uri.joinPath(folder, 'app', 'big_service.py');
  await vscode.workspace.fs.writeFile(bigPy, new TextEncoder().encode(python.text()));
  const pyDocument = await vscode.workspace.openTextDocument(bigPy);
  const py = await withStallProbe(() => vscode.commands.executeCommand<FileSummary>('lockscope.analyzeFile', pyDocument.uri));
  console.log(
    `editor bench: analyzing a ${pyDocument.lineCount}-line Python file (${py.result?.sites ?? '?'} sites, ${py.result?.findings ?? '?'} findings) took ${py.ms.toFixed(0)} ms, longest host stall ${py.stallMs.toFixed(0)} ms${load()}`,
  );
  await typeAndWaitForDiagnostics(pyDocument, `${pyDocument.lineCount}-line Python file`);
  await vscode.workspace.fs.delete(bigPy);

  // One file of a 400-module app, once the workspace index holds them all (the helper it calls is in another module).
  const modules = await generateApp(folder, 400);
  const target = modules[200];
  if (target === undefined) throw new Error('no generated module');
  const targetDocument = await vscode.workspace.openTextDocument(target);
  let seen: FileSummary;
  const indexStart = performance.now();
  // The index reads created files in the background: wait until the call into the next module is seen.
  do seen = await vscode.commands.executeCommand<FileSummary>('lockscope.analyzeFile', target);
  while ((seen?.findings ?? 0) < 8 && performance.now() - indexStart < 60_000);
  console.log(
    `editor bench: a ${modules.length}-module app indexed and one module analysed (${seen?.sites ?? '?'} sites, ${seen?.findings ?? '?'} findings) in ${(performance.now() - indexStart).toFixed(0)} ms${load()}`,
  );
  await typeAndWaitForDiagnostics(targetDocument, `one module of the ${modules.length}-module app (warm workspace index)`);
  console.log('1 passed, 0 failed');
}
