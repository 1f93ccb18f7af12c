/**
 * The one entry point from source text to findings: `lint(files, { catalog, index, severity })`. `lockscope scan`,
 * the editor's hovers and diagnostics, Analyze Workspace, Live Activity and the Lock Cost view all call it, so they
 * see the same sites, the same calls across files and the same findings.
 */
import { analyze, type Analysis } from '../analyze/analyze.js';
import type { Catalog } from '../catalog.js';
import { runRules, type SeverityConfig } from '../rules/index.js';
import type { Finding } from '../rules/types.js';
import type { SourceFile } from '../scan/registry.js';
import type { SourceRange } from '../scan/types.js';
import { WorkspaceIndex } from './workspace-index.js';

export interface LintOptions {
  /** The catalog predictions are made from; without one, sites and findings that need no lock counts only. */
  catalog: Catalog | undefined;
  /**
   * The workspace the files belong to: its other files' models and functions are seen from the linted ones (a loop
   * here calling a locking helper there). Default: a workspace of the given files alone.
   */
  index?: WorkspaceIndex;
  /** Per-rule severities ("off" disables a rule). */
  severity?: SeverityConfig;
  /** Told as each phase ends (the editor bench's breakdown of a keystroke's lint; analysis-worker/timing.ts). */
  phaseEnded?: (phase: LintPhase) => void;
}

export type LintPhase = 'update' | 'scan' | 'analyze' | 'rules';

/** Something that kept a file from being read fully (too large, syntax errors, a scanner's failure). */
export interface LintProblem {
  file: string;
  range: SourceRange;
  message: string;
}

export interface LintResult {
  analysis: Analysis;
  findings: Finding[];
  problems: LintProblem[];
}

/**
 * Lints `files` (their text replaces the index's copy) within the index's workspace, reporting the sites, findings
 * and problems of these files only; `'workspace'` lints every file of the index.
 */
export function lint(files: readonly SourceFile[] | 'workspace', options: LintOptions): LintResult {
  const index = options.index ?? new WorkspaceIndex();
  // The files asked about are the ones being edited: kept parsed, so the next version re-reads only what changed.
  const ended = options.phaseEnded ?? ((): void => undefined);
  if (files !== 'workspace') for (const f of files) index.update(f.file, f.text, { keep: true });
  ended('update');
  const scans = index.scans();
  ended('scan');
  const focus = files === 'workspace' ? undefined : new Set(files.map((f) => f.file));
  const analysis = analyze(scans, options.catalog, focus === undefined ? {} : { focus });
  ended('analyze');
  const findings = runRules(analysis, options.severity);
  ended('rules');
  return {
    analysis,
    findings,
    problems: analysis.scans.flatMap((scan) => scan.problems.map((p) => ({ file: scan.file, range: p.range, message: p.message }))),
  };
}
