/**
 * The load probe: N client sessions run the statements (as one transaction that is always rolled back) for a
 * bounded time, with a warm-up, optional think time and cancellation; latencies, throughput per second, errors by
 * SQLSTATE, and wait events of the probe's sessions sampled every 100 ms. Every session is closed on every path.
 */
import pg from 'pg';
import { percentile, renderStatement, type ParamSpec } from '../../core/probe/params.js';
import type { ConnectionTarget } from '../connection-target.js';
import { classifyDbError, DbError } from '../errors.js';
import { openServerSession } from '../server-session.js';
import { DEFAULT_SAFETY } from '../session.js';
import { emptyWaits, WaitSampler, type WaitCounts } from './wait-sampler.js';

export const PROBE_LIMITS = { maxClients: 256, maxDurationSeconds: 300 } as const;
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
   * Every statement is a plain SELECT (no row locks): the sessions are then read-only and run each statement on its
   * own — nothing can be written, so there is nothing to roll back, and a probe costs one statement per iteration.
   */
  readOnly?: boolean;
}

export interface ProbeProgress {
  elapsedSeconds: number;
  transactions: number;
  errors: number;
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
}

function validate(options: ProbeOptions): void {
  if (!(options.clients >= 1 && options.clients <= PROBE_LIMITS.maxClients)) throw new DbError('query-failed', `clients must be 1–${PROBE_LIMITS.maxClients}.`);
  if (!(options.durationSeconds > 0 && options.durationSeconds <= PROBE_LIMITS.maxDurationSeconds)) throw new DbError('query-failed', `duration must be 0–${PROBE_LIMITS.maxDurationSeconds} s.`);
  if (options.statements.length === 0) throw new DbError('query-failed', 'nothing to run.');
}

export async function runProbe(target: ConnectionTarget, options: ProbeOptions, signal?: AbortSignal, onProgress?: (p: ProbeProgress) => void): Promise<ProbeResult> {
  validate(options);
  const clients: pg.Client[] = [];
  const config = (): pg.ClientConfig => ({
    ...(target.connectionString !== undefined ? { connectionString: target.connectionString } : {}),
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: DEFAULT_SAFETY.connectTimeoutMs,
    options: `-c statement_timeout=${options.statementTimeoutMs} -c lock_timeout=${options.lockTimeoutMs} -c idle_in_transaction_session_timeout=${DEFAULT_SAFETY.idleInTransactionTimeoutMs} -c jit=off${options.readOnly === true ? ' -c default_transaction_read_only=on' : ''}`,
  });
  const observer = await openServerSession(target, { ...DEFAULT_SAFETY, applicationName: 'lockscope-probe-sampler' });
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
    const latencies: number[] = [];
    const throughput: number[] = [];
    const errors: Record<string, number> = {};
    let transactions = 0;
    const begin = performance.now();
    const measureFrom = begin + options.warmupSeconds * 1000;
    const end = measureFrom + options.durationSeconds * 1000;
    sampler = new WaitSampler(observer, APPLICATION_NAME, Date.now() + options.warmupSeconds * 1000);
    const samplerStart = setTimeout(() => sampler?.start(), options.warmupSeconds * 1000);
    const stopped = (): boolean => signal?.aborted === true || performance.now() >= end;
    const progress = setInterval(() => onProgress?.({ elapsedSeconds: (performance.now() - measureFrom) / 1000, transactions, errors: Object.values(errors).reduce((a, b) => a + b, 0) }), 1000);
    // Writes never persist: every iteration is BEGIN … ROLLBACK, sent as one round trip (read-only probes: the
    // session cannot write at all, so the statement runs alone).
    const wrap = (body: string): string => (options.readOnly === true && options.statements.length === 1 ? body : `BEGIN;\n${body};\nROLLBACK`);
    const loop = async (client: pg.Client): Promise<void> => {
      while (!stopped()) {
        const body = options.statements.map((s) => renderStatement(s, options.params, Math.random)).join(';\n');
        const t0 = performance.now();
        try {
          await client.query(wrap(body));
          const t1 = performance.now();
          if (t0 >= measureFrom && t1 <= end) {
            latencies.push(t1 - t0);
            transactions++;
            const second = Math.floor((t1 - measureFrom) / 1000);
            throughput[second] = (throughput[second] ?? 0) + 1;
          }
        } catch (error) {
          const code = (error as { code?: string }).code ?? 'client';
          errors[code] = (errors[code] ?? 0) + 1;
          await client.query('ROLLBACK').catch(() => undefined);
          if (code === 'client' || code === '57P01') return; // the connection is gone
        }
        if (options.thinkTimeMs > 0) await new Promise((r) => setTimeout(r, options.thinkTimeMs));
      }
    };
    await Promise.all(clients.map(loop));
    clearTimeout(samplerStart);
    clearInterval(progress);
    sampler.stop();
    latencies.sort((a, b) => a - b);
    const measuredSeconds = Math.max(0.001, Math.min(options.durationSeconds, (performance.now() - measureFrom) / 1000));
    return {
      clients: options.clients,
      durationSeconds: Number(measuredSeconds.toFixed(3)),
      transactions,
      tps: transactions / measuredSeconds,
      latencyMs: { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), p99: percentile(latencies, 0.99), max: latencies[latencies.length - 1] ?? 0, mean: latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length) },
      throughput: Array.from({ length: Math.ceil(measuredSeconds) }, (_, i) => throughput[i] ?? 0),
      errors,
      waits: sampler.totals,
      waitTimeline: sampler.perSecond.map((w) => w ?? emptyWaits()),
      waitSamples: sampler.samples,
      cancelled: signal?.aborted === true,
    };
  } finally {
    sampler?.stop();
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    await observer.close();
  }
}
