/**
 * The load probe: N client sessions run the statements (as one transaction that is always rolled back) for a
 * bounded time, with a warm-up, optional think time and cancellation (running statements are interrupted with a
 * CancelRequest); latencies, throughput per second, errors by SQLSTATE, and wait events of the probe's sessions
 * sampled every 100 ms. Every session is closed on every path. The per-session loop is in client-loop.ts.
 */
import pg from 'pg';
import { checkProbeLoad } from '../../core/probe/limits.js';
import type { ParamSpec } from '../../core/probe/params.js';
import { TransactionEscapedError } from '../../core/safety/index.js';
import { guardBeforeSend } from '../guard-before-send.js';
import type { ConnectionTarget } from '../connection-target.js';
import { classifyDbError, DbError } from '../errors.js';
import { openServerSession } from '../server-session.js';
import { closeClient, dropClient, sendCancelRequest } from '../cancel-request.js';
import { DEFAULT_SAFETY } from '../session.js';
import { IterationSource, startClientLoop, type ProbeProtocol } from './client-loop.js';
import { ProbeStats } from './client-loop-stats.js';
import { emptyWaits, WaitSampler, type WaitCounts } from './wait-sampler.js';

export type { ProbeProtocol } from './client-loop.js';

/**
 * Past the end of the measured period: a CancelRequest goes to statements still running after CANCEL_AFTER_MS, and
 * sessions that have still not answered after GIVE_UP_AFTER_MS are dropped (the server stopped answering: a frozen
 * host does not process cancel requests either). A probe therefore ends by warm-up + duration + 3 s whatever happens.
 */
export const PROBE_DEADLINE = { cancelAfterMs: 1000, giveUpAfterMs: 3000 } as const;
const APPLICATION_NAME = 'lockscope-probe';

export interface ProbeOptions {
  clients: number;
  durationSeconds: number;
  warmupSeconds: number;
  thinkTimeMs: number;
  /** The statements of one iteration, normalised ($n placeholders). */
  statements: string[];
  params: ParamSpec[];
  /** statement_timeout / lock_timeout of each probe session. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /**
   * Every statement is a plain SELECT (no row locks): the sessions are then read-only and each iteration is a
   * BEGIN READ ONLY … ROLLBACK transaction that no statement can turn into a writing one.
   */
  readOnly?: boolean;
  /**
   * How parameters reach the server (default `simple`: literals in the text, a custom plan each time, as before).
   * `prepared` parses each statement once per session and binds the values, as pgbench -M prepared does: less server
   * CPU per iteration, but after five executions the server may use a generic plan (e.g. no partition pruning at
   * plan time), which is what an application using prepared statements gets.
   */
  protocol?: ProbeProtocol;
  /** Give up connecting a session after this long (default: DEFAULT_SAFETY.connectTimeoutMs). */
  connectTimeoutMs?: number;
  /** The database is a throwaway: the guard lets DDL through (still rolled back). Nothing else is relaxed. */
  disposable?: boolean;
  /** Each statement in its own BEGIN … ROLLBACK (the probe runner's "split" mode): row locks are released at once. */
  split?: boolean;
}

/** Why a probe ended before its time with a result that covers only part of the run. */
export interface ProbeFault {
  /** connection-lost: a session's connection died mid-run (server killed or restarted, network cut); unresponsive: the server stopped answering. */
  kind: 'connection-lost' | 'unresponsive';
  /** For people: what happened and that the figures are partial. */
  message: string;
}

export interface ProbeProgress {
  elapsedSeconds: number;
  transactions: number;
  errors: number;
  /** Percentiles of the iterations completed since the previous progress call (about one second). */
  latencyMs?: { p50: number; p95: number; p99: number };
}

export interface ProbeResult {
  clients: number;
  durationSeconds: number;
  transactions: number;
  tps: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  /** Completed iterations per second of the measured period. */
  throughput: number[];
  errors: Record<string, number>;
  waits: WaitCounts;
  waitTimeline: WaitCounts[];
  waitSamples: number;
  cancelled: boolean;
  /** Set when the run was cut short by the server (killed, frozen, connection cut): the figures are partial. */
  fault?: ProbeFault;
  /** The guard's warnings: what the statements change that PostgreSQL cannot roll back (sequences). */
  warnings: string[];
}

/** Checks the options and passes every statement through the guard (throws GuardRefusedError); returns its warnings. */
async function validate(options: ProbeOptions): Promise<string[]> {
  checkProbeLoad(options);
  if (options.statements.length === 0) throw new DbError('query-failed', 'nothing to run.');
  if (options.protocol !== undefined && options.protocol !== 'simple' && options.protocol !== 'prepared')
    throw new DbError('query-failed', `protocol must be simple or prepared.`);
  return guardBeforeSend(options.statements, { purpose: 'probe', disposable: options.disposable === true });
}

export async function runProbe(
  target: ConnectionTarget,
  options: ProbeOptions,
  signal?: AbortSignal,
  onProgress?: (p: ProbeProgress) => void,
): Promise<ProbeResult> {
  const warnings = await validate(options);
  const clients: pg.Client[] = [];
  const config = (): pg.ClientConfig => ({
    ...(target.connectionString !== undefined ? { connectionString: target.connectionString } : {}),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_SAFETY.connectTimeoutMs,
    options: `-c statement_timeout=${options.statementTimeoutMs} -c lock_timeout=${options.lockTimeoutMs} -c idle_in_transaction_session_timeout=${DEFAULT_SAFETY.idleInTransactionTimeoutMs} -c jit=off${options.readOnly === true ? ' -c default_transaction_read_only=on' : ''}`,
  });
  const observer = await openServerSession(target, {
    ...DEFAULT_SAFETY,
    applicationName: 'lockscope-probe-sampler',
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_SAFETY.connectTimeoutMs,
  });
  let fault: ProbeFault | undefined;
  let escape: TransactionEscapedError | undefined;
  let sampler: WaitSampler | undefined;
  try {
    for (let i = 0; i < options.clients; i++) {
      const client = new pg.Client(config());
      client.on('error', () => undefined); // a dying client must not crash the process; its loop sees the error
      clients.push(client);
      try {
        await client.connect();
      } catch (error) {
        throw classifyDbError(error, target.display);
      }
    }
    const begin = performance.now();
    const measureFrom = begin + options.warmupSeconds * 1000;
    const end = measureFrom + options.durationSeconds * 1000;
    const stats = new ProbeStats(measureFrom, end);
    sampler = new WaitSampler(observer, APPLICATION_NAME, Date.now() + options.warmupSeconds * 1000);
    const samplerStart = setTimeout(() => sampler?.start(), options.warmupSeconds * 1000);
    const control = {
      stopped: (now: number): boolean => signal?.aborted === true || escape !== undefined || now >= end,
      thinkTimeMs: options.thinkTimeMs,
      connectionLost: (): void => {
        const after = ((performance.now() - begin) / 1000).toFixed(1);
        fault ??= { kind: 'connection-lost', message: `connection lost mid-run after ${after} s: the result is partial.` };
      },
      // A statement left the transaction: every session is dropped now (the server rolls back what is still open) and
      // the probe ends with TransactionEscapedError instead of a result.
      escaped: (sql: string, status: string): void => {
        escape ??= new TransactionEscapedError(sql, status === 'I' ? 'idle: no transaction in progress' : status);
        for (const client of clients) dropClient(client);
      },
    };
    const progress = setInterval(() => {
      const latencyMs = stats.takeWindow();
      onProgress?.({
        elapsedSeconds: (performance.now() - measureFrom) / 1000,
        transactions: stats.transactions,
        errors: stats.errorCount,
        ...(latencyMs !== undefined ? { latencyMs } : {}),
      });
    }, 1000);
    // Writes never persist: every iteration is BEGIN [READ ONLY] … ROLLBACK, read-only probes included (a read-only
    // session alone does not stop set_config(…, false), lo_import or pg_notify from outliving an autocommit SELECT).
    const source = new IterationSource(
      options.statements,
      options.params,
      options.protocol ?? 'simple',
      options.readOnly === true,
      options.split === true,
    );
    const loops = clients.map((client) => startClientLoop(client, source, control, stats));
    // Cancel, and a statement still running a second past the deadline, are cut short with a CancelRequest: the
    // probe ends within about a second whatever the statement does, and then every session is idle and closable.
    const cutShort = (): void => {
      for (const [i, loop] of loops.entries()) {
        const client = clients[i];
        if (loop.busy() && client !== undefined) void sendCancelRequest(client);
      }
    };
    // A session that has not answered even the cancel is dropped: the server stopped answering, the run is partial.
    const giveUp = (): void => {
      const stuck = loops.filter((loop) => loop.busy()).length;
      if (stuck === 0) return;
      const after = ((performance.now() - begin) / 1000).toFixed(1);
      fault ??= {
        kind: 'unresponsive',
        message: `server stopped answering: ${stuck} of ${loops.length} sessions had no reply ${after} s into the run; the result is partial.`,
      };
      for (const client of clients) dropClient(client);
    };
    signal?.addEventListener('abort', cutShort, { once: true });
    const untilEnd = Math.max(0, end - performance.now());
    const overtime = setTimeout(cutShort, untilEnd + PROBE_DEADLINE.cancelAfterMs);
    const deadline = setTimeout(giveUp, untilEnd + PROBE_DEADLINE.giveUpAfterMs);
    const onAbortDeadline = (): void => {
      clearTimeout(deadline);
      abortDeadline = setTimeout(giveUp, PROBE_DEADLINE.giveUpAfterMs);
    };
    let abortDeadline: NodeJS.Timeout | undefined;
    signal?.addEventListener('abort', onAbortDeadline, { once: true });
    try {
      await Promise.all(loops.map((l) => l.done));
    } finally {
      signal?.removeEventListener('abort', cutShort);
      signal?.removeEventListener('abort', onAbortDeadline);
      clearTimeout(overtime);
      clearTimeout(deadline);
      clearTimeout(abortDeadline);
      clearTimeout(samplerStart);
      clearInterval(progress);
    }
    sampler.stop();
    if (escape !== undefined) throw escape;
    const measuredSeconds = Math.max(0.001, Math.min(options.durationSeconds, (performance.now() - measureFrom) / 1000));
    const latency = stats.latency;
    return {
      clients: options.clients,
      durationSeconds: Number(measuredSeconds.toFixed(3)),
      transactions: stats.transactions,
      tps: stats.transactions / measuredSeconds,
      latencyMs: {
        p50: latency.percentileMs(0.5),
        p95: latency.percentileMs(0.95),
        p99: latency.percentileMs(0.99),
        max: latency.maxMs,
        mean: latency.meanMs,
      },
      throughput: stats.throughput(Math.ceil(measuredSeconds)),
      errors: stats.errors,
      waits: sampler.totals,
      waitTimeline: sampler.perSecond.map((w) => w ?? emptyWaits()),
      waitSamples: sampler.samples,
      cancelled: signal?.aborted === true,
      ...(fault !== undefined ? { fault } : {}),
      warnings,
    };
  } finally {
    sampler?.stop();
    await Promise.all(clients.map((c) => closeClient(c)));
    await observer.close();
  }
}
