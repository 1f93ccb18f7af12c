/** Hover, diagnostics and code actions over the analysis service (lock counts: lock-annotations.ts): thin adapters. */
import * as vscode from 'vscode';
import type { PortableSite } from '../core/analyze/portable.js';
import type { LintProblem } from '../core/lint/lint.js';
import { epochNow, type LintTiming } from '../analysis-worker/timing.js';
import { hoverMarkdown } from '../core/present/hover.js';
import type { Finding } from '../core/rules/types.js';
import type { SourceRange } from '../core/scan/types.js';
import type { AnalysisService, DocumentAnalysis } from './analysis-service.js';
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

const toRange = (r: SourceRange): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

/** When a document's diagnostics were last set and how long mapping the lint to them took (the editor bench reads it). */
export interface DiagnosticsTiming {
  version: number;
  /** performance.now() of the extension host when diagnostics.set was called. */
  setAt: number;
  mapMs: number;
  /**
   * Epoch ms (timing.ts): the version's change event on the host, mapping begun, diagnostics set (or found the same as
   * already set: `unchanged`, and then not set again); and the lint's hops.
   */
  changed: number | undefined;
  mapStart: number;
  set: number;
  unchanged: boolean;
  lint: LintTiming;
}
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
  const timings = new Map<string, DiagnosticsTiming>();
  /** When each document's latest version's change event reached the host (epoch ms). */
  const changedAt = new Map<string, { version: number; at: number }>();
  const docsUris = new Map<string, vscode.Uri>();
  const docsUri = (ruleId: string): vscode.Uri => {
    let uri = docsUris.get(ruleId);
    if (uri === undefined) docsUris.set(ruleId, (uri = vscode.Uri.joinPath(extensionUri, 'docs', 'rules', `${ruleId}.md`)));
    return uri;
  };

  /**
   * A finding's diagnostic, made once: the host's copy of the lint keeps an unchanged finding's object from one lint to
   * the next (delta.ts), so a keystroke maps only the findings it changed.
   */
  const diagnosticOf = new WeakMap<Finding, vscode.Diagnostic>();
  const cachedDiagnostic = (f: Finding): vscode.Diagnostic => {
    let d = diagnosticOf.get(f);
    if (d === undefined) diagnosticOf.set(f, (d = toDiagnostic(f)));
    return d;
  };
  const problemOf = new WeakMap<LintProblem, vscode.Diagnostic>();
  const cachedProblem = (p: LintProblem): vscode.Diagnostic => {
    let d = problemOf.get(p);
    if (d === undefined) problemOf.set(p, (d = problemDiagnostic(p)));
    return d;
  };
  /** Per document, the diagnostics last set (the very objects). */
  const lastSet = new Map<string, vscode.Diagnostic[]>();
  const toDiagnostic = (f: Finding): vscode.Diagnostic => {
    const d = new vscode.Diagnostic(toRange(f.range), `${f.message}\n${f.help}`, SEVERITY[f.severity]);
    d.source = 'lockscope';
    d.code = { value: f.ruleId, target: docsUri(f.ruleId) };
    d.relatedInformation = f.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.file), toRange(r.range)), r.message),
    );
    return d;
  };

  /** `typed`: the refresh of an edit, after which VS Code asks for the document's lenses again by itself. */
  const refresh = async (document: vscode.TextDocument, typed = false): Promise<void> => {
    if (!vscode.languages.match(DOCUMENT_SELECTOR, document)) return;
    const result = await service.analyzeDocument(document);
    if (result === undefined) return;
    const mapStart = epochNow();
    const start = performance.now();
    const file = document.uri.fsPath;
    const list: vscode.Diagnostic[] = [];
    for (const f of result.findings) if (f.file === file) list.push(cachedDiagnostic(f));
    for (const p of result.problems) if (p.file === file) list.push(cachedProblem(p));
    // The same diagnostics as last set (most keystrokes change no finding): setting them again would only make VS
    // Code's window re-decorate every marker of the document (1,250 in the editor bench's file) and redraw Problems.
    const key = document.uri.toString();
    const before = lastSet.get(key);
    const unchanged = before !== undefined && before.length === list.length && before.every((d, i) => d === list[i]);
    if (!unchanged) {
      diagnostics.set(document.uri, list);
      lastSet.set(key, list);
    }
    const setAt = performance.now();
    const changed = changedAt.get(document.uri.toString());
    timings.set(document.uri.toString(), {
      version: result.version,
      setAt,
      mapMs: setAt - start,
      changed: changed?.version === result.version ? changed.at : undefined,
      mapStart,
      set: epochNow(),
      unchanged,
      lint: result.timing,
    });
    // After an edit VS Code requests the lenses again (its CodeLens and inlay-hint contributions listen to the
    // document), and that request shares this version's analysis: firing here asked for all of them a second time.
    if (!typed) lensesChanged.fire();
  };
  /**
   * A keystroke is analysed at once when none of the document's analyses is under way; keystrokes arriving meanwhile
   * ask for one more, of the newest text, when it ends. No fixed debounce: typed → diagnostics is one analysis when
   * the user pauses, and a burst costs two (bench/editor.bench.ts).
   */
  const running = new Map<string, { again: boolean }>();
  const schedule = (document: vscode.TextDocument): void => {
    const key = document.uri.toString();
    const run = running.get(key);
    if (run !== undefined) {
      run.again = true;
      return;
    }
    const state = { again: false };
    running.set(key, state);
    const next = (): void => {
      state.again = false;
      void refresh(document, true)
        .catch(() => undefined) // the service logged it; the next keystroke tries again
        .then(() => {
          if (state.again && !document.isClosed) next();
          else running.delete(key);
        });
    };
    next();
  };

  /** The hover of `result` at `position`: built from the host's copy of the lint, without waiting for anything. */
  const hoverAt = (
    document: vscode.TextDocument,
    position: vscode.Position,
    result: DocumentAnalysis | undefined,
  ): vscode.Hover | undefined => {
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
        docsLink: docsUri(f.ruleId).toString(),
      }));
    // The upgrade question is asked of the transaction when the site is part of one, else of the site.
    const whole = transaction?.plan !== undefined && transaction.sites.length > 1 ? transaction.plan : site.plan;
    const upgrade = whole === undefined ? undefined : service.upgradeOf(whole);
    const markdown = new vscode.MarkdownString(
      hoverMarkdown({ site, transaction, source: service.source, target: service.targetDescription, upgrade, findings }),
    );
    markdown.isTrusted = false;
    return new vscode.Hover(markdown, toRange(site.site.range));
  };

  const hover = vscode.languages.registerHoverProvider(DOCUMENT_SELECTOR, {
    // Answered synchronously from the analysis of this version when there is one (the usual, warm case).
    provideHover(document, position) {
      const fresh = service.freshAnalysis(document);
      if (fresh !== undefined) return hoverAt(document, position, fresh);
      return service.analyzeDocument(document).then((result) => hoverAt(document, position, result));
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
    vscode.workspace.onDidChangeTextDocument((e) => {
      changedAt.set(e.document.uri.toString(), { version: e.document.version, at: epochNow() });
      schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      diagnostics.delete(d.uri);
      lastSet.delete(d.uri.toString());
      service.forget(d);
    }),
    service.onDidChange(() => {
      for (const d of vscode.workspace.textDocuments) void refresh(d);
    }),
    // Internal (not contributed): when the document's diagnostics were last set, for bench/editor.bench.ts.
    vscode.commands.registerCommand('lockscope.diagnosticsTiming', (uri: unknown) =>
      uri instanceof vscode.Uri ? timings.get(uri.toString()) : undefined,
    ),
    vscode.workspace.onDidCloseTextDocument((d) => {
      timings.delete(d.uri.toString());
      changedAt.delete(d.uri.toString());
    }),
  ];
}
