/**
 * Lock counts next to queries, as CodeLens above them or inlay hints after them (`lockscope.annotations`): each
 * site's "23 locks · 7 slow-path" (click: the probe runner with that query) and each transaction's running total.
 */
import * as vscode from 'vscode';
import type { PortableSite } from '../core/analyze/portable.js';
import { summary } from '../core/present/hover.js';
import type { SourceRange } from '../core/scan/types.js';
import type { AnalysisService } from './analysis-service.js';

type AnnotationMode = 'codeLens' | 'inlayHints' | 'both' | 'off';

const mode = (): AnnotationMode => vscode.workspace.getConfiguration('lockscope').get<AnnotationMode>('annotations', 'codeLens');
const toRange = (r: SourceRange): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const ownSites = (sites: PortableSite[]): PortableSite[] => sites.filter((s) => s.via === undefined);

/** What the probe runner needs to open on a site (CodeLens argument). */
export interface ProbeRequest {
  sql: string;
  file: string;
  line: number;
  label: string;
}

const probeCommand = (site: PortableSite): vscode.Command => ({
  title: '',
  command: 'lockscope.openProbeRunner',
  arguments: [
    { sql: site.site.sql, file: site.site.file, line: site.site.range.start.line, label: site.site.label } satisfies ProbeRequest,
  ],
});

export function registerLockAnnotations(
  service: AnalysisService,
  selector: vscode.DocumentSelector,
  changed: vscode.Event<void>,
): vscode.Disposable[] {
  const lensesChanged = new vscode.EventEmitter<void>();
  const hintsChanged = new vscode.EventEmitter<void>();
  const fire = (): void => {
    lensesChanged.fire();
    hintsChanged.fire();
  };

  /** A site's lens, made once: the host's copy of the lint keeps an unchanged site's object (delta.ts). */
  const lensOf = new WeakMap<PortableSite, vscode.CodeLens>();
  const siteLens = (site: PortableSite, plan: NonNullable<PortableSite['plan']>): vscode.CodeLens => {
    let lens = lensOf.get(site);
    if (lens === undefined)
      lensOf.set(
        site,
        (lens = new vscode.CodeLens(toRange(site.site.range), {
          ...probeCommand(site),
          title: summary(plan),
          tooltip: 'Lockscope: predicted relation locks of this query. Click to open the probe runner (EXPLAIN, exact locks, load).',
        })),
      );
    return lens;
  };

  const lenses = vscode.languages.registerCodeLensProvider(selector, {
    onDidChangeCodeLenses: lensesChanged.event,
    async provideCodeLenses(document) {
      if (mode() !== 'codeLens' && mode() !== 'both') return [];
      const result = await service.analyzeDocument(document);
      if (result === undefined) return [];
      const out: vscode.CodeLens[] = [];
      for (const site of ownSites(result.analysis.sites)) {
        if (site.plan !== undefined) out.push(siteLens(site, site.plan));
      }
      for (const txn of result.analysis.transactions) {
        if (txn.plan === undefined || txn.sites.length < 2) continue;
        out.push(
          new vscode.CodeLens(toRange(txn.scope.range), {
            title: `transaction: ${summary(txn.plan)}`,
            command: 'lockscope.showOutput',
            tooltip: `Lockscope: the locks this transaction (${txn.scope.kind}) holds until it ends`,
          }),
        );
      }
      return out;
    },
  });

  const hints = vscode.languages.registerInlayHintsProvider(selector, {
    onDidChangeInlayHints: hintsChanged.event,
    async provideInlayHints(document, range) {
      if (mode() !== 'inlayHints' && mode() !== 'both') return [];
      const result = await service.analyzeDocument(document);
      if (result === undefined) return [];
      const out: vscode.InlayHint[] = [];
      for (const site of ownSites(result.analysis.sites)) {
        const line = site.site.range.start.line;
        if (site.plan === undefined || line < range.start.line || line > range.end.line) continue;
        // At the end of the query's first line, where it does not push code around.
        const hint = new vscode.InlayHint(
          document.lineAt(line).range.end,
          [{ value: ` ${summary(site.plan)}`, command: { ...probeCommand(site), title: 'Open the probe runner' } }],
          vscode.InlayHintKind.Type,
        );
        hint.paddingLeft = true;
        hint.tooltip = 'Lockscope: predicted relation locks of this query';
        out.push(hint);
      }
      return out;
    },
  });

  return [
    lensesChanged,
    hintsChanged,
    lenses,
    hints,
    changed(fire),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('lockscope.annotations')) fire();
    }),
  ];
}
