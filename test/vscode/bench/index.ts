/**
 * Editor benchmark inside the real extension host: hover latency on a SQL statement (median and p95, warm) and
 * the time to analyze a 5,000-line SQL file and a 5,000-line Python file, the extension host's longest stall meanwhile
 * (a 5 ms interval timer's lateness), and the re-analysis after one character is typed in each. Prints figures; run
 * by bench/editor.bench.ts.
 */
import * as vscode from 'vscode';

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

/** Types one character in the middle of `document` and times the analysis of the new version (no debounce). */
async function typeOneCharacter(document: vscode.TextDocument, label: string): Promise<void> {
  const line = Math.floor(document.lineCount / 2);
  const edit = new vscode.WorkspaceEdit();
  edit.insert(document.uri, new vscode.Position(line, document.lineAt(line).text.length), ' ');
  await vscode.workspace.applyEdit(edit);
  const { ms, stallMs } = await withStallProbe(() => vscode.commands.executeCommand<FileSummary>('lockscope.analyzeFile', document.uri));
  console.log(
    `editor bench: one character typed in the ${label} file: re-analysis ${ms.toFixed(0)} ms, longest host stall ${stallMs.toFixed(0)} ms`,
  );
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
  await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position); // warm
  const hovers: number[] = [];
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await vscode.commands.executeCommand('vscode.executeHoverProvider', document.uri, position);
    hovers.push(performance.now() - start);
  }
  console.log(
    `editor bench: hover latency over 200 warm requests: median ${percentile(hovers, 0.5).toFixed(2)} ms, p95 ${percentile(hovers, 0.95).toFixed(2)} ms`,
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
    `editor bench: analyzing a ${bigDocument.lineCount}-line file (${result?.sites ?? '?'} statements, ${result?.findings ?? '?'} findings) took ${ms.toFixed(0)} ms, longest host stall ${stallMs.toFixed(0)} ms`,
  );
  const lensStart = performance.now();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bigDocument.uri);
  console.log(`editor bench: ${lenses.length} CodeLenses for it in ${(performance.now() - lensStart).toFixed(0)} ms (cached analysis)`);
  await typeOneCharacter(bigDocument, `${bigDocument.lineCount}-line SQL`);
  await vscode.workspace.fs.delete(big);

  // A 5,000-line Python file: 556 nine-line SQLAlchemy functions on the model in app/models.py (found across files).
  const functions: string[] = ['from .models import Order', ''];
  for (let i = 0; i < 556; i++) {
    functions.push(
      `def handler_${i}(session, order_id, totals):`,
      '    with session.begin():',
      '        order = session.query(Order).filter_by(id=order_id).with_for_update().one()',
      '        for total in totals:',
      '            session.execute(text("UPDATE orders SET total = :t WHERE id = :id"), {"t": total, "id": order.id})',
      '        return order',
      '',
      '',
      '',
    );
  }
  const bigPy = vscode.Uri.joinPath(folder, 'app', 'big_service.py');
  await vscode.workspace.fs.writeFile(bigPy, new TextEncoder().encode(functions.join('\n')));
  const pyDocument = await vscode.workspace.openTextDocument(bigPy);
  const py = await withStallProbe(() => vscode.commands.executeCommand<FileSummary>('lockscope.analyzeFile', pyDocument.uri));
  console.log(
    `editor bench: analyzing a ${pyDocument.lineCount}-line Python file (${py.result?.sites ?? '?'} sites, ${py.result?.findings ?? '?'} findings) took ${py.ms.toFixed(0)} ms, longest host stall ${py.stallMs.toFixed(0)} ms`,
  );
  await typeOneCharacter(pyDocument, `${pyDocument.lineCount}-line Python`);
  await vscode.workspace.fs.delete(bigPy);
  console.log('1 passed, 0 failed');
}
