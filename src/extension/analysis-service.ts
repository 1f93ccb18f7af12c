/**
 * Lints for the editor through core's one entry point (lint) over the workspace index: the catalog of the configured
 * database (cached, refreshable), and one document's analysis at a time on the analysis worker's thread (the host
 * only maps results to hovers, lenses and diagnostics), cached per document version and workspace state so hovers,
 * lenses and diagnostics share one analysis.
 */
import * as vscode from 'vscode';
import type { Catalog } from '../core/catalog.js';
import { lint, type LintResult } from '../core/lint/lint.js';
import { parseSeverityConfig, type SeverityConfig } from '../core/rules/index.js';
import { loadSqlParser } from '../core/sql/index.js';
import { loadCatalog } from '../db/catalog-loader.js';
import { loadGrammarFiles } from '../db/grammar-files.js';
import { withSession } from '../db/session.js';
import type { LockPlan } from '../core/lock-plan.js';
import { upgradeSentence } from '../core/predict/retarget.js';
import {
  catalogForTarget,
  describeTarget,
  parseMaxLocks,
  parseTargetMajor,
  resolveTarget,
  type LockTarget,
  type TargetSpec,
} from '../core/target.js';
import type { DocumentLint } from '../analysis-worker/delta.js';
import type { LintTiming } from '../analysis-worker/timing.js';
import { UntrustedWorkspaceError, type ConnectionManager } from './connection.js';
import type { Log } from './log.js';
import type { CatalogStatus } from './status-bar.js';
import { DocumentLinter } from './document-linter.js';
import { WorkspaceFiles, isWorkspaceCodeFile } from './workspace-index.js';

export interface DocumentAnalysis extends DocumentLint {
  version: number;
  /** Where the lint's time went (the editor bench's breakdown). */
  timing: LintTiming;
  /** The workspace state it was made from (files, other documents' edits, catalog): any change makes it stale. */
  workspace: string;
}

export class AnalysisService implements vscode.Disposable {
  private ready: Promise<void> | undefined;
  private catalog: Promise<Catalog | undefined> | undefined;
  private catalogSource = 'no database';
  private lastCatalog: Catalog | undefined;
  private readonly cache = new Map<string, DocumentAnalysis>();
  private reportedSeverityProblems = '';
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the catalog changes (connect, refresh): every cached analysis is stale. */
  readonly onDidChange = this.changed.event;

  private readonly workspace: WorkspaceFiles;
  private readonly linter: DocumentLinter;
  /** Lints asked and not answered, per document: hovers, lenses and diagnostics of one version share one. */
  private readonly inflight = new Map<string, { version: number; workspace: string; promise: Promise<DocumentAnalysis | undefined> }>();
  /** The version of each document last sent for analysis: another one changes what other documents see. */
  private readonly sentVersions = new Map<string, number>();
  private documentEdits = 0;
  /** The catalog as predicted for lockscope.target, kept while neither the catalog nor the setting changes. */
  private targeted: { base: Catalog; key: string; catalog: Catalog; target: LockTarget } | undefined;
  private reportedTargetProblem = '';

  constructor(
    private readonly connections: ConnectionManager,
    private readonly log: Log,
    private readonly status: CatalogStatus,
  ) {
    this.linter = new DocumentLinter(log, () => this.workspace.texts());
    this.workspace = new WorkspaceFiles(
      log,
      () => this.init(),
      (file, text) => this.linter.fileChanged(file, text),
    );
    // Another database: the cached catalog is another database's, not a fallback for this one.
    this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => void this.refreshCatalog()));
    // Another target: the same catalog, other rules and slots; every cached analysis is stale.
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('lockscope.target') && !e.affectsConfiguration('lockscope.targetMaxLocks')) return;
        this.targeted = undefined;
        this.cache.clear();
        this.changed.fire();
      }),
    );
    this.subscriptions.push(
      connections.onDidChange(() => {
        this.lastCatalog = undefined;
        void this.refreshCatalog();
      }),
    );
  }

  private init(): Promise<void> {
    this.ready ??= Promise.all([loadSqlParser(), loadGrammarFiles()]).then(() => undefined);
    return this.ready;
  }

  /** The catalog of the configured database, loaded once; undefined when none can be had (the error is logged). */
  getCatalog(): Promise<Catalog | undefined> {
    this.catalog ??= withSession(() => this.connections.open(), loadCatalog).then(
      (catalog) => {
        const p = catalog.profile;
        this.catalogSource = `${p.source === 'embedded' ? 'predicted on the embedded' : 'predicted from the catalog of'} PostgreSQL ${p.version}`;
        this.log.info(`Catalog loaded: ${catalog.relations.size} relations, PostgreSQL ${p.version}, ${p.fastPathSlots} fast-path slots`);
        const profile = this.connections.activeProfile();
        this.status.loaded(
          `${profile !== undefined ? `${profile.name} [${profile.environment}] · ` : ''}PostgreSQL ${p.version}${p.source === 'embedded' ? ' (embedded)' : ''} · ${catalog.database}`,
          catalog.loadedAt,
        );
        this.lastCatalog = catalog;
        return catalog;
      },
      (error: unknown) => {
        this.catalog = undefined;
        if (error instanceof UntrustedWorkspaceError) {
          this.status.restricted();
          this.catalogSource = 'untrusted workspace, Lockscope connects to no database until it is trusted';
          return undefined;
        }
        this.log.error('Could not load the catalog; predictions continue from the last one loaded, if any', error);
        this.status.failed(error instanceof Error ? error.message : String(error));
        // A dropped connection or a restart must not blank the editor: keep predicting from the cached catalog.
        if (this.lastCatalog === undefined) this.catalogSource = 'the catalog could not be loaded (see the Lockscope output)';
        return this.lastCatalog;
      },
    );
    return this.catalog;
  }

  /** The last catalog loaded successfully (kept when a later load fails). */
  get currentCatalog(): Catalog | undefined {
    return this.lastCatalog;
  }

  get source(): string {
    return this.catalogSource;
  }

  refreshCatalog(): Promise<Catalog | undefined> {
    this.catalog = undefined;
    this.cache.clear();
    const next = this.getCatalog();
    void next.then(() => this.changed.fire());
    return next;
  }

  /** The analysis of the document's current version, if one is already made: what a hover answers from, synchronously. */
  freshAnalysis(document: vscode.TextDocument): DocumentAnalysis | undefined {
    const cached = this.cache.get(document.uri.toString());
    return cached?.version === document.version && cached.workspace === this.workspaceState() ? cached : undefined;
  }

  /** Files read, other documents' unsaved edits, catalog sent: what a document's analysis depends on. */
  private workspaceState(): string {
    return `${this.workspace.generation}/${this.documentEdits}/${this.linter.catalogGeneration}`;
  }

  /**
   * One document linted within the workspace (a loop here calling a locking helper in another file is seen), on the
   * analysis worker. Undefined when no scanner reads the file, or when a newer version of it superseded this one.
   */
  async analyzeDocument(document: vscode.TextDocument): Promise<DocumentAnalysis | undefined> {
    const key = document.uri.toString();
    if (this.sentVersions.has(key) && this.sentVersions.get(key) !== document.version) this.documentEdits++;
    this.sentVersions.set(key, document.version);
    const fresh = this.freshAnalysis(document);
    if (fresh !== undefined) return fresh;
    await this.init();
    await this.workspace.get();
    const catalog = this.forTarget(await this.getCatalog());
    this.linter.useCatalog(catalog);
    const workspace = this.workspaceState();
    const asked = this.inflight.get(key);
    if (asked?.version === document.version && asked.workspace === workspace) return asked.promise;
    const version = document.version;
    const promise = this.linter.lint(document.uri.fsPath, document.getText(), this.severities()).then((result) => {
      if (this.inflight.get(key)?.promise === promise) this.inflight.delete(key);
      if (result === 'superseded' || result?.lint === undefined) return undefined;
      const analysis = { ...result.lint, timing: result.timing, version, workspace };
      const cached = this.cache.get(key);
      // An answer older than the one cached (they can cross) does not replace it.
      if (cached === undefined || cached.version <= version) this.cache.set(key, analysis);
      return analysis;
    });
    this.inflight.set(key, { version, workspace, promise });
    return promise;
  }

  /** Every file of the workspace linted together (Analyze Workspace, Live Activity's and Lock Cost's code links). */
  async analyzeWorkspace(): Promise<LintResult & { files: number }> {
    await this.init();
    const index = await this.workspace.get();
    // What the editor shows, saved or not.
    for (const d of vscode.workspace.textDocuments)
      if (d.isDirty && isWorkspaceCodeFile(d.uri)) this.workspace.put(d.uri.fsPath, d.getText());
    const catalog = this.forTarget(await this.getCatalog());
    return { ...lint('workspace', { catalog, index, severity: this.severities() }), files: index.size };
  }

  /** lockscope.target / lockscope.targetMaxLocks; a value out of range is logged once and read as "auto". */
  private targetSpec(): TargetSpec {
    const config = vscode.workspace.getConfiguration('lockscope');
    const spec: TargetSpec = {};
    const problems: string[] = [];
    try {
      spec.major = parseTargetMajor(String(config.get<unknown>('target') ?? 'auto'));
    } catch (error) {
      problems.push(`lockscope.target: ${(error as Error).message}`);
    }
    try {
      spec.maxLocksPerTransaction = parseMaxLocks(String(config.get<unknown>('targetMaxLocks') ?? 0));
    } catch (error) {
      problems.push(`lockscope.targetMaxLocks: ${(error as Error).message}`);
    }
    const report = problems.join('; ');
    if (report !== '' && report !== this.reportedTargetProblem) this.log.warn(report);
    this.reportedTargetProblem = report;
    return spec;
  }

  /** The catalog as the predictor reads it for the target: its version's lock rules and fast-path budget. */
  private forTarget(catalog: Catalog | undefined): Catalog | undefined {
    if (catalog === undefined) return undefined;
    const spec = this.targetSpec();
    const key = `${spec.major ?? 'auto'}/${spec.maxLocksPerTransaction ?? 'auto'}`;
    if (this.targeted?.base !== catalog || this.targeted.key !== key) {
      const target = resolveTarget(catalog.profile, spec);
      this.targeted = { base: catalog, key, catalog: catalogForTarget(catalog, target), target };
    }
    return this.targeted.catalog;
  }

  /** "target PostgreSQL 17 … : 16 fast-path slots per backend", for hovers and the status bar tooltip. */
  get targetDescription(): string | undefined {
    const t = this.targeted;
    return t === undefined ? undefined : describeTarget(t.target, t.base.profile);
  }

  /** What PostgreSQL 18, and more max_locks_per_transaction there, would do with a plan predicted for the target. */
  upgradeOf(plan: LockPlan): string | undefined {
    const t = this.targeted;
    if (t === undefined || plan.totals.slowpath === 0) return undefined;
    const sentence = upgradeSentence(plan, t.target.profile, t.catalog);
    return sentence === undefined ? undefined : [sentence, t.target.oidCaveat].filter((x) => x !== undefined).join('. ');
  }

  /** lockscope.ruleSeverity, validated: a misspelt rule id or level is logged once, not silently ignored. */
  private severities(): SeverityConfig {
    const { config, problems } = parseSeverityConfig(vscode.workspace.getConfiguration('lockscope').get<unknown>('ruleSeverity'));
    const report = problems.join('; ');
    if (report !== '' && report !== this.reportedSeverityProblems) this.log.warn(`lockscope.ruleSeverity: ${report}`);
    this.reportedSeverityProblems = report;
    return config;
  }

  /** A closed document: its analysis is dropped and the index goes back to the text on disk. */
  forget(document: vscode.TextDocument): void {
    this.cache.delete(document.uri.toString());
    this.sentVersions.delete(document.uri.toString());
    this.linter.forget(document.uri.fsPath);
    this.documentEdits++;
    void this.workspace.reload(document.uri).catch((error: unknown) => this.log.error('Workspace index update failed', error));
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.workspace.dispose();
    void this.linter.dispose();
    this.changed.dispose();
    this.cache.clear();
  }
}
