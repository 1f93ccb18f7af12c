/** Hover, diagnostics and code actions over the analysis service (lock counts: lock-annotations.ts): thin adapters. */
import * as vscode from 'vscode';
import type { PortableSite } from '../core/analyze/portable.js';
import type { LintProblem } from '../core/lint/lint.js';
import { hoverMarkdown } from '../core/present/hover.js';
import type { Finding } from '../core/rules/types.js';
import type { SourceRange } from '../core/scan/types.js';
import type { AnalysisService } from './analysis-service.js';
import { registerLockAnnotations } from './lock-annotations.js';

export const DOCUMENT_SELECTOR: vscode.DocumentSelector = [
  'sql',
  'python',
  'ruby',
  'typescript',
  'typescriptreact',
  'javascript',
  'javascriptreact',
  'go',
].map((language) => ({ language, scheme: 'file' }));

/** Keystrokes closer together than this share one analysis. */
const SCHEDULE_DEBOUNCE_MS = 30;

const toRange = (r: SourceRange): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const SEVERITY = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
} as const;

/** What kept the file from being read fully (syntax errors, size): information, so it is seen but never alarms. */
function problemDiagnostic(problem: LintProblem): vscode.Diagnostic {
  const d = new vscode.Diagnostic(toRange(problem.range), `Lockscope: ${problem.message}`, vscode.DiagnosticSeverity.Information);
  d.source = 'lockscope';
  return d;
}

function ownSites(sites: PortableSite[]): PortableSite[] {
  return sites.filter((s) => s.via === undefined);
}

export function registerEditorFeatures(service: AnalysisService, extensionUri: vscode.Uri): vscode.Disposable[] {
  const diagnostics = vscode.languages.createDiagnosticCollection('lockscope');
  const lensesChanged = new vscode.EventEmitter<void>();
  const timers = new Map<string, NodeJS.Timeout>();

  const toDiagnostic = (f: Finding): vscode.Diagnostic => {
    const d = new vscode.Diagnostic(toRange(f.range), `${f.message}\n${f.help}`, SEVERITY[f.severity]);
    d.source = 'lockscope';
    d.code = { value: f.ruleId, target: vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${f.ruleId}.md`) };
    d.relatedInformation = f.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message),
    );
    return d;
  };

  const refresh = async (document: vscode.TextDocument): Promise<void> => {
    if (!vscode.languages.match(DOCUMENT_SELECTOR, document)) return;
    const result = await service.analyzeDocument(document);
    if (result === undefined) return;
    diagnostics.set(document.uri, [
      ...result.findings.filter((f) => f.file === document.uri.fsPath).map(toDiagnostic),
      ...result.problems.filter((p) => p.file === document.uri.fsPath).map(problemDiagnostic),
    ]);
    lensesChanged.fire();
  };
  // A burst of keystrokes asks for one analysis; the worker skips any it superseded, and the diagnostics are set as
  // soon as it answers. Short enough for "typed → diagnostics" in 100 ms (bench/editor.bench.ts).
  const schedule = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => void refresh(document), SCHEDULE_DEBOUNCE_MS),
    );
  };

  const hover = vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, {
    async provideHover(document, position) {
      const result = await service.analyzeDocument(document);
      // A query written here, else a call here of a helper that queries (in this file or another).
      const sites = result?.analysis.sites ?? [];
      const site =
        ownSites(sites).find((s) => toRange(s.site.range).contains(position)) ??
        sites.find((s) => s.via !== undefined && s.site.file === document.uri.fsPath && toRange(s.site.range).contains(position));
      if (site === undefined || result === undefined) return undefined;
      const transaction = result.analysis.transactions.find((t) => t.scope.id === site.site.transaction?.id);
      const siteRange = toRange(site.site.range);
      const findings = result.findings
        .filter((f) => f.file === document.uri.fsPath && toRange(f.range).intersection(siteRange) !== undefined)
        .map((f) => ({
          ruleId: f.ruleId,
          severity: f.severity,
          message: f.message,
          docsLink: vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${f.ruleId}.md`).toString(),
        }));
      // The upgrade question is asked of the transaction when the site is part of one, else of the site.
      const whole = transaction?.plan !== undefined && transaction.sites.length > 1 ? transaction.plan : site.plan;
      const upgrade = whole === undefined ? undefined : service.upgradeOf(whole);
      const markdown = new vscode.MarkdownString(
        hoverMarkdown({ site, transaction, source: service.source, target: service.targetDescription, upgrade, findings }),
      );
      markdown.isTrusted = false;
      return new vscode.Hover(markdown, toRange(site.site.range));
    },
  });

  // Quick fixes where the rewrite is mechanical (SKIP LOCKED, CONCURRENTLY), and the rule's docs for every finding.
  const actions = vscode.languages.registerCodeActionsProvider(
    DOCUMENT_SELECTOR,
    {
      async provideCodeActions(document, range) {
        const result = await service.analyzeDocument(document);
        const out: vscode.CodeAction[] = [];
        for (const finding of result?.findings ?? []) {
          if (finding.file !== document.uri.fsPath || toRange(finding.range).intersection(range) === undefined) continue;
          const diagnostic = toDiagnostic(finding);
          // The first fix is the preferred one (SKIP LOCKED, CONCURRENTLY); the others are alternatives (NOWAIT, lock_timeout).
          [finding.fix, ...(finding.moreFixes ?? [])].forEach((fix, i) => {
            if (fix === undefined) return;
            const action = new vscode.CodeAction(`Lockscope: ${fix.description}`, vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            for (const edit of fix.edits) action.edit.replace(vscode.Uri.file(edit.file), toRange(edit.range), edit.newText);
            action.diagnostics = [diagnostic];
            action.isPreferred = i === 0;
            out.push(action);
          });
          const docs = new vscode.CodeAction(`Lockscope: open the docs of ${finding.ruleId}`, vscode.CodeActionKind.Empty);
          docs.command = {
            command: 'markdown.showPreview',
            title: 'Open rule docs',
            arguments: [vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${finding.ruleId}.md`)],
          };
          out.push(docs);
        }
        return out;
      },
    },
    { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, vscode.CodeActionKind.Empty] },
  );

  return [
    diagnostics,
    lensesChanged,
    hover,
    actions,
    ...registerLockAnnotations(service, DOCUMENT_SELECTOR, lensesChanged.event),
    vscode.workspace.onDidOpenTextDocument((d) => void refresh(d)),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      service.forget(d);
    }),
    service.onDidChange(() => {
      for (const d of vscode.workspace.textDocuments) void refresh(d);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  ];
}
