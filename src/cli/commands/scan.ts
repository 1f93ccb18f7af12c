/** `lockscope scan`: query sites in code and SQL files, their lock totals, and rule findings (text, JSON or SARIF). */
import type { Analysis, AnalyzedSite } from '../../core/analyze/analyze.js';
import type { Catalog } from '../../core/catalog.js';
import { lint } from '../../core/lint/lint.js';
import { unresolvedCallRow, unresolvedCalls, unresolvedSummary, type UnresolvedReport } from '../../core/lint/unresolved.js';
import type { SeverityConfig } from '../../core/rules/index.js';
import type { Finding } from '../../core/rules/types.js';
import { loadSqlParser } from '../../core/sql/index.js';
import { resolveConnectionTarget } from '../../db/connection-target.js';
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DbError } from '../../db/errors.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { serverJson } from '../../core/present/cli-json.js';
import { openCatalog, type DatabaseOptions } from '../open-database.js';
import { toSarif } from '../../core/present/sarif.js';
import type { SkippedPath } from '../../db/file-walk.js';
import { collectFilesToScan } from '../scan-files.js';
import { indexSourceFiles } from '../scan-sources.js';
import { catalogForTarget, describeTarget, resolveTarget, type LockTarget, type TargetSpec } from '../../core/target.js';
import { targetJsonOf } from '../target-report.js';
import { NO_TIMINGS, phaseTimer } from '../scan-timings.js';
import { jsonChunks, LazyArray, lazyRows } from '../json-chunks.js';

export interface ScanOptions extends DatabaseOptions {
  format: 'text' | 'json' | 'sarif';
  severity: SeverityConfig;
  /** The server the code will run on (--target, --max-locks); empty: the connected server or the embedded default. */
  target: TargetSpec;
  /** Worker threads extracting files (--jobs; 1: none); default by the tree's size and the cores. */
  jobs?: number | undefined;
  /** Reuse and keep per-file results in the cache directory (--no-cache: false). */
  cache?: boolean | undefined;
  /** Per-phase wall time, CPU time and peak RSS on stderr (--timings). */
  timings?: boolean | undefined;
}

const where = (f: { file: string; range: { start: { line: number; character: number } } }): string =>
  `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`;

/** Each file's own sites (not those seen through calls), grouped once: filtering all sites per file is quadratic. */
function ownSitesByFile(analysis: Analysis): Map<string, AnalyzedSite[]> {
  const byFile = new Map<string, AnalyzedSite[]>();
  for (const a of analysis.sites) {
    if (a.via !== undefined) continue;
    const list = byFile.get(a.site.file);
    if (list === undefined) byFile.set(a.site.file, [a]);
    else list.push(a);
  }
  return byFile;
}

function text(analysis: Analysis, findings: Finding[], unresolved: UnresolvedReport): string {
  const out: string[] = [];
  const own = ownSitesByFile(analysis);
  for (const scan of analysis.scans) {
    const sites = own.get(scan.file) ?? [];
    if (sites.length === 0 && scan.subtransactions.length === 0 && scan.problems.length === 0) continue;
    out.push(`${scan.file} (${scan.language})`);
    for (const a of sites) {
      const totals =
        a.plan === undefined
          ? a.error !== undefined
            ? `error: ${a.error}`
            : ''
          : `${a.plan.totals.locks} lock${a.plan.totals.locks === 1 ? '' : 's'} · ${a.plan.totals.slowpath} slow-path`;
      const context = [
        a.site.transaction !== undefined ? `in ${a.site.transaction.kind}` : '',
        a.site.loops.length > 0 ? `in ${a.site.loops.length} loop(s)` : '',
      ]
        .filter(Boolean)
        .join(', ');
      out.push(
        `  ${a.site.range.start.line + 1}:${a.site.range.start.character + 1}  ${a.site.origin.padEnd(12)} ${totals.padEnd(26)} ${a.site.label}${context ? `  (${context})` : ''}`,
      );
    }
    for (const p of scan.problems) out.push(`  ${p.range.start.line + 1}:${p.range.start.character + 1}  problem: ${p.message}`);
  }
  if (findings.length > 0) out.push('', 'findings:');
  for (const f of findings) out.push(`${where(f)}  ${f.severity}  ${f.ruleId}  ${f.message}\n    help: ${f.help}`);
  const summary = unresolvedSummary(unresolved, '--format json');
  if (summary !== undefined) out.push('', summary);
  return out.join('\n');
}

function json(
  analysis: Analysis,
  findings: Finding[],
  catalog: Catalog | undefined,
  target: LockTarget | undefined,
  skipped: SkippedPath[],
  unresolved: UnresolvedReport,
): Record<string, unknown> {
  const own = ownSitesByFile(analysis);
  // The arrays are written an element at a time (json-chunks.ts): no row object outlives its own few lines of text.
  return {
    ...(catalog !== undefined ? { server: serverJson(catalog.profile) } : {}),
    ...(target !== undefined ? { target: targetJsonOf(target) } : {}),
    files: lazyRows(analysis.scans, (s) => ({
      file: s.file,
      language: s.language,
      sites: (own.get(s.file) ?? []).map((a) => ({
        range: a.site.range,
        origin: a.site.origin,
        label: a.site.label,
        sql: a.site.sql,
        synthesized: a.site.synthesized,
        confidence: a.site.confidence,
        transaction: a.site.transaction?.id,
        loops: a.site.loops.length,
        enclosingFunction: a.site.enclosingFunction,
        totals: a.plan?.totals,
        error: a.error,
      })),
      subtransactions: s.subtransactions.map((t) => ({ range: t.range, kind: t.kind, loops: t.loops.length })),
      problems: s.problems,
    })),
    transactions: lazyRows(analysis.transactions, (t) => ({
      id: t.scope.id,
      file: t.file,
      kind: t.scope.kind,
      nested: t.scope.nested,
      range: t.scope.range,
      sites: t.sites.length,
      totals: t.plan?.totals,
    })),
    findings: new LazyArray(findings),
    skipped,
    // Query-like calls that are not sites, with why (additive: scripts reading the fields above are unaffected).
    unresolved: lazyRows(unresolved.calls, unresolvedCallRow),
    unresolvedCounts: unresolved.counts,
  };
}

/** The folder whose schema discovery looks at: the first path, or the folder of the first file. */
function scanRoot(paths: readonly string[]): string {
  const first = paths[0] ?? '.';
  return statSync(first, { throwIfNoEntry: false })?.isDirectory() === true ? first : dirname(first);
}

/**
 * With no database configured, the catalog of the repository's own schema (lockscope schema): a source that does not
 * load is a note, not a failure — the scan still runs, without lock counts.
 */
async function discoveredCatalog(ctx: CommandContext, root: string): Promise<Catalog | undefined> {
  try {
    return await openCatalog({ discovery: { root, note: ctx.stderr } }, ctx.env);
  } catch (error) {
    if (error instanceof UsageError) return undefined;
    if (DbError.is(error, 'schema-load')) {
      ctx.stderr(`lockscope: the discovered schema does not load (${error.message})`);
      return undefined;
    }
    throw error;
  }
}

export async function runScanCommand(
  ctx: CommandContext,
  paths: readonly string[],
  options: ScanOptions,
  version: string,
): Promise<number> {
  if (paths.length === 0) throw new UsageError('lockscope scan PATH... [--db URL | --schema FILE] [--format text|json|sarif]');
  const timer = options.timings === true ? phaseTimer(ctx.stderr, 'walk the tree') : NO_TIMINGS;
  const { files, skipped } = collectFilesToScan(paths);
  timer.mark('load the SQL parser');
  // The grammars are loaded where files are parsed: the worker threads, or here when scanning in one thread.
  await loadSqlParser();
  timer.mark('catalog');
  const haveDatabase =
    options.db !== undefined || options.schema !== undefined || resolveConnectionTarget(undefined, ctx.env) !== undefined;
  // A --schema whose catalog was kept by an earlier run is answered without starting the embedded PostgreSQL.
  const catalog = haveDatabase ? await openCatalog(options, ctx.env) : await discoveredCatalog(ctx, scanRoot(paths));
  if (catalog === undefined) ctx.stderr('lockscope: no database (--db, --schema, DATABASE_URL): scanning without lock counts.');
  const target = catalog === undefined ? undefined : resolveTarget(catalog.profile, options.target);
  if (catalog !== undefined && target !== undefined) ctx.stderr(`lockscope: lock budget of ${describeTarget(target, catalog.profile)}`);
  const skippedByWalk = skipped.length;
  const index = await indexSourceFiles(ctx, files, skipped, { jobs: options.jobs, cache: options.cache, timer });
  timer.mark('analyse and run the rules');
  // Lock sets and fast-path flags are the target's: its version's rules and its slot budget.
  const { analysis, findings } = lint('workspace', {
    catalog: catalog === undefined || target === undefined ? undefined : catalogForTarget(catalog, target),
    index,
    severity: options.severity,
  });
  timer.mark('output');
  const unresolved = unresolvedCalls(analysis.scans);
  ctx.stderr(
    `lockscope: ${files.length - (skipped.length - skippedByWalk)} files, ${skipped.length} skipped, ${analysis.sites.filter((a) => a.via === undefined).length} query sites, ${findings.length} findings`,
  );
  if (options.format === 'json') {
    const chunks = jsonChunks(json(analysis, findings, catalog, target, skipped, unresolved));
    // Written as it is made when the sink takes pieces; the same bytes either way (stdout adds the final newline).
    if (ctx.write === undefined) ctx.stdout([...chunks].join(''));
    else {
      for (const chunk of chunks) ctx.write(chunk);
      ctx.write('\n');
    }
  } else ctx.stdout(options.format === 'sarif' ? toSarif(findings, version) : text(analysis, findings, unresolved));
  timer.mark();
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
