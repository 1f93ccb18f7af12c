/**
 * The probe runner's host side, without vscode: turns the page's commands into EXPLAIN runs, lock-set measurements and
 * load probes against one connection target, posts the results back, and owns every session it opens (cancel and
 * dispose close them). The extension panel and the browser tests both drive this class.
 */
import type { Catalog } from '../core/catalog.js';
import { checkProbeLoad } from '../core/probe/limits.js';
import { parseParamSpec, renderStatement, type ParamSpec } from '../core/probe/params.js';
import { loadSqlParser, parseSql } from '../core/sql/index.js';
import type { Statement } from '../core/statement.js';
import type { ConnectionTarget } from '../db/connection-target.js';
import { DbError } from '../db/errors.js';
import { openServerSession } from '../db/server-session.js';
import { DEFAULT_SAFETY, type SessionSafety, type SqlSession } from '../db/session.js';
import { runProbe, type ProbeResult } from '../db/probe/engine.js';
import { explainStatements } from '../db/probe/explain.js';
import { measureLockSet } from '../db/probe/lock-set.js';
import { invalidCommand } from '../protocol/ipc.js';
import {
  PROBE_COMMANDS,
  PROBE_MESSAGES as m,
  type EnvironmentTag,
  type ExplainOptions,
  type ExplainResult,
  type LoadOptions,
  type LoadRunResult,
  type LocksResult,
  type ProbeOpenState,
  type ProbeOperation,
  type ProbeParam,
  type WaitsByType,
} from '../protocol/probe.js';
import { LiveWaits } from './live-waits.js';
import { resultsJson, resultsMarkdown } from './probe-export.js';

export interface ProbeHostInput {
  sql: string;
  params?: ProbeParam[];
  /** The statements of the query's transaction scope, in order (for the "transaction with scope" load mode). */
  scope?: string[];
  connection: { label: string; environment: EnvironmentTag };
}

export interface ProbeHostDeps {
  target: ConnectionTarget;
  /** Loaded before (outside any probe transaction): names relations, gives the server profile and slot budget. */
  catalog: Catalog;
  post: (message: { method: string; params: unknown }) => void;
  /** Saves an export (the panel asks where with a save dialog); returns where it went, or undefined if declined. */
  save?: (suggestedName: string, content: string, format: 'json' | 'markdown') => Promise<string | undefined>;
  /** Opens an analysis session; defaults to a guarded node-postgres session to `target`. */
  openSession?: (safety: SessionSafety) => Promise<SqlSession>;
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
}

const WRITE_KINDS = new Set(['insert', 'update', 'delete', 'merge']);
const writes = (s: Statement): boolean =>
  WRITE_KINDS.has(s.kind) || s.rowLocks.length > 0 || s.relations.some((r) => r.role === 'write-target');
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class ProbeRunnerHost {
  private state: ProbeOpenState;
  private busy: ProbeOperation | undefined;
  private running: Promise<void> = Promise.resolve();
  private abort: AbortController | undefined;
  /** Backend pid of the analysis session running EXPLAIN or the lock set, for pg_cancel_backend. */
  private busyPid: number | undefined;
  private cancelled = false;
  private disposed = false;
  private runCounter = 0;
  private readonly sessions = new Set<SqlSession>();
  lastExplain: ExplainResult | undefined;
  lastLocks: LocksResult | undefined;
  readonly loads: LoadRunResult[] = [];

  constructor(
    private readonly deps: ProbeHostDeps,
    input: ProbeHostInput,
  ) {
    const p = deps.catalog.profile;
    this.state = {
      sql: input.sql,
      params: input.params ?? [],
      scope: input.scope ?? [],
      connection: { ...input.connection, serverVersion: p.version, serverVersionNum: p.versionNum, fastPathSlots: p.fastPathSlots },
    };
  }

  get openState(): ProbeOpenState {
    return this.state;
  }

  /**
   * Dispatches one message from the page after validating it against its protocol type: anything malformed or
   * unknown gets a typed error reply (probe/error), and nothing a message does makes this promise reject.
   */
  async handle(message: unknown): Promise<void> {
    if (this.disposed) return;
    const problem = invalidCommand(message, PROBE_COMMANDS);
    if (problem !== undefined) {
      this.deps.post(m.error.create({ operation: 'params', message: problem }));
      return;
    }
    try {
      await this.dispatch(message);
    } catch (error) {
      const method = (message as { method: string }).method;
      this.deps.post(m.error.create({ operation: 'params', message: `The ${method} message failed: ${messageOf(error)}` }));
    }
  }

  private async dispatch(message: unknown): Promise<void> {
    if (m.ready.is(message)) this.deps.post(m.opened.create({ state: this.state }));
    else if (m.setParams.is(message)) this.setParams(message.params.params);
    else if (m.cancel.is(message)) await this.cancel();
    else if (m.runExplain.is(message)) await this.exclusive('explain', () => this.explain(message.params.options));
    else if (m.runLocks.is(message)) await this.exclusive('locks', () => this.locks(message.params.execute));
    else if (m.runLoad.is(message)) await this.exclusive('load', () => this.load(message.params.options));
    else if (m.exportResults.is(message)) await this.export(message.params.format);
  }

  private setParams(params: ProbeParam[]): void {
    try {
      for (const p of params) parseParamSpec(p.spec);
      this.state = { ...this.state, params };
      this.deps.post(m.paramsAccepted.create({ params }));
    } catch (error) {
      this.deps.post(m.error.create({ operation: 'params', message: `Parameter: ${messageOf(error)}` }));
    }
  }

  /** One run at a time: a probe measuring contention must not be disturbed by our own EXPLAIN. */
  private async exclusive(operation: ProbeOperation, work: () => Promise<void>): Promise<void> {
    if (this.busy !== undefined) {
      this.deps.post(m.error.create({ operation, message: `A ${this.busy} run is in progress: cancel it or wait for it to finish.` }));
      return;
    }
    this.busy = operation;
    this.cancelled = false;
    const run = (async () => {
      try {
        await loadSqlParser();
        await work();
      } catch (error) {
        if (this.cancelled) this.deps.post(m.cancelled.create({ operation }));
        else if (!this.disposed) this.deps.post(m.error.create({ operation, message: messageOf(error) }));
      } finally {
        this.busy = undefined;
        this.busyPid = undefined;
        this.abort = undefined;
      }
    })();
    this.running = run;
    await run;
  }

  /** Parses the SQL (placeholders normalised to $n) and applies the safety rules before anything connects. */
  private statements(sqls: readonly string[]): Statement[] {
    const statements: Statement[] = [];
    for (const sql of sqls) {
      const outcome = parseSql(sql);
      if (!outcome.ok) throw new DbError('query-failed', `The SQL does not parse: ${outcome.error.message}`);
      statements.push(...outcome.statements);
    }
    if (statements.length === 0) throw new DbError('query-failed', 'There is no statement to run.');
    for (const s of statements) {
      if (s.kind === 'transaction')
        throw new DbError('query-failed', `Every run is wrapped in its own transaction (always rolled back): remove "${s.command}".`);
      if (s.kind === 'ddl' && this.state.connection.environment !== 'disposable') {
        throw new DbError(
          'query-failed',
          `Refusing to run DDL (${s.command}) on a ${this.state.connection.environment} database: only a profile marked disposable may probe DDL.`,
        );
      }
    }
    return statements;
  }

  private specs(): ParamSpec[] {
    return this.state.params.map((p) => parseParamSpec(p.spec));
  }

  /** The statements with this run's parameter values as literals (generators draw one value each). */
  private rendered(statements: readonly Statement[]): Statement[] {
    const specs = this.specs();
    return this.statements(statements.map((s) => renderStatement(s.sql, specs, Math.random)));
  }

  private async session(applicationName: string): Promise<SqlSession> {
    const safety: SessionSafety = {
      ...DEFAULT_SAFETY,
      applicationName,
      statementTimeoutMs: this.statementTimeoutMs,
      lockTimeoutMs: this.lockTimeoutMs,
    };
    const session = await (this.deps.openSession ?? ((s: SessionSafety) => openServerSession(this.deps.target, s)))(safety);
    this.sessions.add(session);
    return session;
  }

  private async release(session: SqlSession): Promise<void> {
    this.sessions.delete(session);
    await session.close();
  }

  private get statementTimeoutMs(): number {
    return this.deps.statementTimeoutMs ?? 10_000;
  }

  private get lockTimeoutMs(): number {
    return this.deps.lockTimeoutMs ?? DEFAULT_SAFETY.lockTimeoutMs;
  }

  /** Runs `work` on a fresh analysis session whose pid is known, so Cancel can stop the query on the server. */
  private async withAnalysisSession<T>(name: string, work: (session: SqlSession) => Promise<T>): Promise<T> {
    const session = await this.session(name);
    try {
      this.busyPid = Number((await session.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))[0]?.pid);
      return await work(session);
    } finally {
      await this.release(session);
    }
  }

  private async explain(options: ExplainOptions): Promise<void> {
    const parsed = this.statements([this.state.sql]);
    const versionNum = this.deps.catalog.profile.versionNum;
    // GENERIC_PLAN plans with $n unbound; every other EXPLAIN needs values for them.
    const generic = options.genericPlan && versionNum >= 160000;
    const inputs = (generic ? parsed : this.rendered(parsed)).map((s) => ({ sql: s.sql, writes: writes(s) }));
    const effective: ExplainOptions = { ...options, genericPlan: generic, analyze: options.analyze && !generic };
    const statements = await this.withAnalysisSession('lockscope-probe-explain', (session) =>
      explainStatements(session, inputs, effective, versionNum, {
        statementTimeoutMs: this.statementTimeoutMs,
        lockTimeoutMs: this.lockTimeoutMs,
      }),
    );
    this.lastExplain = { options: effective, statements, rolledBack: true };
    this.deps.post(m.explainResult.create({ result: this.lastExplain }));
  }

  private async locks(execute: boolean): Promise<void> {
    const statements = this.rendered(this.statements([this.state.sql]));
    this.lastLocks = await this.withAnalysisSession('lockscope-probe-locks', (session) =>
      measureLockSet(session, statements, this.deps.catalog, execute),
    );
    this.deps.post(m.locksResult.create({ result: this.lastLocks }));
  }

  /** The statements of one load iteration for the chosen mode. */
  private loadStatements(mode: LoadOptions['mode']): { statements: Statement[]; sqls: string[] } {
    if (mode === 'transaction-with-scope') {
      if (this.state.scope.length === 0)
        throw new DbError('query-failed', 'No transaction scope is known for this query: use "as is" or "split".');
      const statements = this.statements(this.state.scope);
      return { statements, sqls: statements.map((s) => s.sql) };
    }
    const statements = this.statements([this.state.sql]);
    // Split (each statement in its own transaction) is the engine's `split` option: no transaction control in the text.
    return { statements, sqls: statements.map((s) => s.sql) };
  }

  private async load(options: LoadOptions): Promise<void> {
    const { clients, durationSeconds, warmupSeconds, thinkTimeMs, mode } = options;
    // An early, typed refusal; the engine checks the same bounds again where the probe starts.
    checkProbeLoad(options);
    const { statements, sqls } = this.loadStatements(mode);
    const readOnly = statements.every((s) => s.kind === 'select' && !writes(s));
    const runId = ++this.runCounter;
    const abort = new AbortController();
    this.abort = abort;
    this.deps.post(m.loadStarted.create({ runId, options }));
    const live = new LiveWaits(await this.session('lockscope-probe-live'));
    let result: ProbeResult;
    try {
      live.startAfter(warmupSeconds);
      result = await runProbe(
        this.deps.target,
        {
          clients,
          durationSeconds,
          warmupSeconds,
          thinkTimeMs,
          statements: sqls,
          params: this.specs(),
          statementTimeoutMs: this.statementTimeoutMs,
          lockTimeoutMs: Math.max(this.lockTimeoutMs, 5000),
          readOnly,
          split: mode === 'split',
          disposable: this.state.connection.environment === 'disposable',
          protocol: options.protocol ?? 'simple',
        },
        abort.signal,
        (p) => {
          const progress = live.tick(runId, p);
          if (progress !== undefined && !abort.signal.aborted) this.deps.post(m.loadProgress.create({ progress }));
        },
      );
    } finally {
      live.stop();
      await this.release(live.session);
    }
    const run = loadRunResult(runId, options, sqls, result);
    this.loads.push(run);
    if (this.loads.length > 20) this.loads.shift();
    if (result.cancelled) this.deps.post(m.cancelled.create({ operation: 'load' }));
    this.deps.post(m.loadResult.create({ result: run }));
    // Cut short by the server (killed, frozen): say so beside the partial figures.
    if (result.fault !== undefined) this.deps.post(m.error.create({ operation: 'load', message: result.fault.message }));
  }

  /** Stops whatever runs: the probe through its AbortSignal, EXPLAIN or the lock set with pg_cancel_backend. */
  async cancel(): Promise<void> {
    if (this.busy === undefined) return;
    this.cancelled = true;
    this.abort?.abort();
    const pid = this.busyPid;
    if (pid !== undefined && Number.isFinite(pid)) {
      const session = await this.session('lockscope-probe-cancel');
      try {
        await session.query('SELECT pg_cancel_backend($1)', [pid]);
      } catch {
        // The query may have ended on its own in between; nothing to stop then.
      } finally {
        await this.release(session);
      }
    }
    await this.running;
  }

  private async export(format: 'json' | 'markdown'): Promise<void> {
    const results = { state: this.state, explain: this.lastExplain, locks: this.lastLocks, loads: this.loads };
    const content = format === 'json' ? resultsJson(results) : resultsMarkdown(results);
    try {
      const destination = await this.deps.save?.(`lockscope-probe.${format === 'json' ? 'json' : 'md'}`, content, format);
      if (destination !== undefined) this.deps.post(m.exported.create({ format, destination }));
    } catch (error) {
      this.deps.post(m.error.create({ operation: 'export', message: messageOf(error) }));
    }
  }

  /** Cancels what runs and closes every session; the page gets no more messages. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await this.cancel();
    this.disposed = true;
    await Promise.all([...this.sessions].map((s) => this.release(s)));
  }
}

/** Average active sessions per category from session-sample counts. */
export function perSample(counts: WaitsByType, samples: number): WaitsByType {
  const out = { ...counts };
  for (const key of Object.keys(out) as Array<keyof WaitsByType>) out[key] = samples > 0 ? counts[key] / samples : 0;
  return out;
}

function loadRunResult(runId: number, options: LoadOptions, statements: string[], r: ProbeResult): LoadRunResult {
  // The engine samples every 100 ms into per-second buckets: about waitSamples / seconds samples per bucket.
  const perSecond = r.waitSamples / Math.max(1, r.waitTimeline.length);
  return {
    runId,
    label: `#${runId} · ${options.clients} clients · ${options.mode}`,
    options,
    statements,
    transactions: r.transactions,
    tps: r.tps,
    durationSeconds: r.durationSeconds,
    latencyMs: r.latencyMs,
    throughput: r.throughput,
    // Samples taken while the last iterations drained fall into a bucket past the measured period: leave it out.
    waitTimeline: r.waitTimeline.slice(0, Math.max(1, r.throughput.length)).map((w) => perSample(w, perSecond)),
    waits: r.waits,
    waitSamples: r.waitSamples,
    errors: r.errors,
    cancelled: r.cancelled,
  };
}
