/**
 * Editor benchmark inside the real extension host: hover latency on a SQL statement (median and p95, warm) and
 * the time to analyze a 5,000-line SQL file and a 5,000-line Python file. Prints figures; run by bench/editor.bench.ts.
 */
import * as vscode from 'vscode';

const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;

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
  const start = performance.now();
  const result = (await vscode.commands.executeCommand('lockscope.analyzeFile', bigDocument.uri)) as
    { sites: number; findings: number } | undefined;
  const ms = performance.now() - start;
  console.log(
    `editor bench: analyzing a ${bigDocument.lineCount}-line file (${result?.sites ?? '?'} statements, ${result?.findings ?? '?'} findings) took ${ms.toFixed(0)} ms`,
  );
  const lensStart = performance.now();
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', bigDocument.uri);
  console.log(`editor bench: ${lenses.length} CodeLenses for it in ${(performance.now() - lensStart).toFixed(0)} ms (cached analysis)`);
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
  const pyStart = performance.now();
  const pyResult = (await vscode.commands.executeCommand('lockscope.analyzeFile', pyDocument.uri)) as
    { sites: number; findings: number } | undefined;
  console.log(
    `editor bench: analyzing a ${pyDocument.lineCount}-line Python file (${pyResult?.sites ?? '?'} sites, ${pyResult?.findings ?? '?'} findings) took ${(performance.now() - pyStart).toFixed(0)} ms`,
  );
  await vscode.workspace.fs.delete(bigPy);
  console.log('1 passed, 0 failed');
}
