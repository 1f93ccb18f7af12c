/** `lockscope probe`: a bounded micro-load on the statements (always rolled back), with latency, throughput and waits. */
import { checkProbeLoad } from '../../core/probe/limits.js';
import { parseParamSpec } from '../../core/probe/params.js';
import { guardStatements } from '../../core/safety/index.js';
import { loadSqlParser } from '../../core/sql/index.js';
import { resolveConnectionTarget } from '../../db/connection-target.js';
import { runProbe, type ProbeResult } from '../../db/probe/engine.js';
import { EXIT, UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { parseArguments } from './estimate.js';

export interface ProbeCommandOptions {
  db: string | undefined;
  json: boolean;
  clients: number;
  durationSeconds: number;
  warmupSeconds: number;
  thinkTimeMs: number;
  params: string[];
  /** The database is a throwaway: DDL may be probed (still rolled back). */
  disposable: boolean;
  /** simple: one Query message per iteration; prepared: parse once per session, then Bind/Execute (generic plans after 5). */
  protocol?: 'simple' | 'prepared';
  /** --connect-timeout: seconds to wait for each session's connection (default 5). */
  connectTimeoutSeconds?: number | undefined;
}

export function probeText(r: ProbeResult): string {
  const waits =
    Object.entries(r.waits)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ') || 'none sampled';
  const errors =
    Object.entries(r.errors)
      .map(([k, n]) => `${k}×${n}`)
      .join(', ') || 'none';
  return [
    ...(r.fault !== undefined ? [`CUT SHORT — ${r.fault.message}`] : []),
    `${r.clients} clients, ${r.durationSeconds.toFixed(1)} s${r.cancelled ? ' (cancelled)' : ''}: ${r.transactions} transactions, ${r.tps.toFixed(0)}/s`,
    `latency: p50 ${r.latencyMs.p50.toFixed(2)} ms · p95 ${r.latencyMs.p95.toFixed(2)} ms · p99 ${r.latencyMs.p99.toFixed(2)} ms · max ${r.latencyMs.max.toFixed(2)} ms`,
    `waits of active probe sessions (${r.waitSamples} samples every 100 ms): ${waits}`,
    `errors: ${errors}`,
    'every iteration ran in a transaction that was rolled back; all probe sessions are closed',
  ].join('\n');
}

export async function runProbeCommand(
  ctx: CommandContext,
  sqlTexts: readonly string[],
  options: ProbeCommandOptions,
  signal?: AbortSignal,
): Promise<number> {
  // Bounds first: a wrong figure is said before anything is parsed or connected (the engine checks them again).
  checkProbeLoad(options);
  await loadSqlParser();
  const statements = parseArguments(sqlTexts);
  for (const s of statements) {
    if (s.kind === 'transaction')
      throw new UsageError(`The probe wraps each iteration in its own transaction (always rolled back): drop "${s.command}".`);
    if (s.kind === 'ddl' && !options.disposable)
      throw new UsageError(`Refusing to probe DDL (${s.command}) unless --disposable says the database is a throwaway.`);
  }
  // Early, for a refusal before any connection is made; runProbe checks again before it sends.
  guardStatements(
    statements.map((s) => s.sql),
    { purpose: 'probe', disposable: options.disposable },
  );
  const target = resolveConnectionTarget(options.db, ctx.env);
  if (target === undefined) throw new UsageError('lockscope probe needs a server: --db URL (or DATABASE_URL).');
  const params = options.params.map((p) => {
    try {
      return parseParamSpec(p);
    } catch (error) {
      throw new UsageError(`--param ${p}: ${(error as Error).message}`);
    }
  });
  const result = await runProbe(
    target,
    {
      clients: options.clients,
      durationSeconds: options.durationSeconds,
      warmupSeconds: options.warmupSeconds,
      thinkTimeMs: options.thinkTimeMs,
      statements: statements.map((s) => s.sql),
      params,
      statementTimeoutMs: 10_000,
      lockTimeoutMs: 5_000,
      protocol: options.protocol ?? 'simple',
      disposable: options.disposable,
      ...(options.connectTimeoutSeconds !== undefined ? { connectTimeoutMs: options.connectTimeoutSeconds * 1000 } : {}),
      readOnly: statements.every(
        (s) => s.kind === 'select' && s.rowLocks.length === 0 && !s.relations.some((r) => r.role === 'write-target'),
      ),
    },
    signal,
    (p) => ctx.stderr(`probe: ${p.elapsedSeconds.toFixed(0)} s · ${p.transactions} transactions · ${p.errors} errors`),
  );
  for (const warning of result.warnings) ctx.stderr(`lockscope: warning: ${warning}`);
  ctx.stdout(options.json ? JSON.stringify(result, null, 2) : probeText(result));
  // A run the server cut short is never a success: the figures cover only part of it (exit 3, as for a lost server).
  if (result.fault !== undefined) {
    ctx.stderr(`lockscope: probe against ${target.display}: ${result.fault.message}`);
    return EXIT.unreachable;
  }
  return EXIT.ok;
}
