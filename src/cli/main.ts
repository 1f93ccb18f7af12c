/** The `lockscope` command: parses arguments, dispatches to a command, maps failures to exit codes. */
import { parseArgs } from 'node:util';
import packageJson from '../../package.json';
import { redactSecrets } from '../core/redact.js';
import { parseSeverityConfig } from '../core/rules/index.js';
import { describeFailure, EXIT, UsageError } from './cli-error.js';
import type { CommandContext } from './command.js';
import { runActivityCommand } from './commands/activity.js';
import { runEstimateCommand } from './commands/estimate.js';
import { runMeasureCommand } from './commands/measure.js';
import { runProbeCommand } from './commands/probe.js';
import { runScanCommand } from './commands/scan.js';
import { runSchemaCommand } from './commands/schema.js';
import { runServerCommand } from './commands/server.js';
import { runWorkloadCommand } from './commands/workload.js';
import { catchInterrupts, exitCodeOf, type Interrupts } from './interrupts.js';
import { readSqlArguments } from './sql-input.js';
import { targetSpecOf } from './target-report.js';

const USAGE = `lockscope — what a Postgres query costs in heavyweight locks

Usage:
  lockscope server   [--db URL | --schema FILE] [--json]                      server lock profile
  lockscope estimate [--db URL | --schema FILE] [--target V] [--max-locks N] [--json] [--txn] [--generic] [--file F] SQL...
                                                                             predicted locks per statement
  lockscope measure  [--db URL | --schema FILE] [--json] [--execute] [--txn] [--file F] SQL...
                                                                             exact locks from pg_locks (rolled back)
  lockscope scan     PATH... [--db URL | --schema FILE] [--target V] [--format text|json|sarif] [--severity RULE=LEVEL]
                     [--jobs N] [--no-cache] [--timings]
                                                                             query sites in code, lock totals, findings
  lockscope probe    --db URL --clients N --duration S [--warmup S] [--think MS] [--param SPEC]... [--protocol P] [--json] SQL...
                                                                             micro-load, always rolled back
  lockscope activity --db URL [--json] [--watch S [--count N]]               waits, blockers, idle in transaction,
                                                                             slow-path locks, subtransactions
  lockscope schema   [PATH] [--json]                                         find the repository's schema source
                                                                             (no configuration), load it, list skips
  lockscope workload --db URL [--interval S] [--sort slowpath|locks] [--top N] [--json] [PATH...]
                                                                             pg_stat_statements ranked by predicted
                                                                             lock acquisitions/s, linked to code in PATH

Options:
  --db URL           postgres://user@host:port/db (default: DATABASE_URL, then PG* variables)
  --schema FILE      load FILE into the embedded PostgreSQL 18 (PGlite) and answer from there
  --connect-timeout S  seconds to wait for the server (default 5)
  --target V         estimate, scan: the PostgreSQL major the code will run on (15, 16, 17, 18 or auto):
                     its lock rules and fast-path slots decide the flags. auto (default): the connected server;
                     with --schema (embedded PostgreSQL 18) PostgreSQL 17, as production mostly runs today
  --max-locks N      the target's max_locks_per_transaction (default: the server's; 64 for the embedded default);
                     on 18 it sizes the fast-path groups
  --file FILE        read SQL from FILE ("-" for standard input), statement by statement
  --txn              all statements run in one transaction, in order (slots and locks accumulate)
  --generic          predict a prepared statement's generic plan
  --execute          measure: run the statements themselves (in a transaction that is rolled back), not EXPLAIN
  --format F         scan output: text (default), json or sarif
  --severity R=L     scan: set rule R to error, warning, info or off (repeatable)
  --jobs N           scan: worker threads reading and parsing files (default: the cores, one per 100 files;
                     1: none)
  --no-cache         scan: neither read nor keep per-file results in the cache directory (LOCKSCOPE_CACHE_DIR,
                     default ~/.cache/lockscope; LOCKSCOPE_CACHE_DIR=off disables every cache)
  --timings          scan: each phase's wall time, CPU time and peak memory on stderr
  --clients N        probe: concurrent sessions (1–256)
  --duration S       probe: measured seconds (≤ 300), after --warmup S (default 1)
  --param SPEC       probe: value of $1, $2… in order: 42, int:1..1000, pick:a,b,c
  --disposable       probe: the database is a throwaway, DDL may be probed (still rolled back)
  --protocol P       probe: simple (default; values as literals in the text, parsed each time: custom plans) or
                     prepared (parse once per session, like drivers with server-side prepare and pgbench -M prepared;
                     generic plans after 5 runs). Either way each statement is its own protocol message
  --watch S          sample every S seconds until interrupted (or --count samples)
  --interval S       workload: seconds between the two pg_stat_statements samples (default 60)
  --sort K           workload: rank by slowpath (default: slow-path acquisitions/s) or locks (all relation locks/s)
  --top N            workload text: statements shown (default 20)
  -v, --verbose      list every index lock instead of one line per table's indexes
  --json             machine-readable output
  -h, --help         this text

Always rolled back: every statement runs in a transaction that is rolled back, after one guard on its parse tree
refuses transaction control, DO/CALL, SET ROLE, COPY … PROGRAM, LISTEN/NOTIFY and functions with effects outside the
transaction (docs/safety.md). PostgreSQL itself cannot roll back sequences (nextval/setval, serial inserts: allowed
with a warning), COPY PROGRAM, dblink or signalled sessions (refused).

Exit codes: 0 success, 1 error-severity findings, 2 bad input, 3 the database failed the run (unreachable, too many
connections, connection lost, stopped answering: a probe's result is then partial), 70 internal error,
130 interrupted (SIGINT), 143 terminated (SIGTERM). Ctrl-C cancels running statements on the server and closes every
session; a second Ctrl-C exits at once.`;

const OPTIONS = {
  db: { type: 'string' },
  schema: { type: 'string' },
  json: { type: 'boolean', default: false },
  txn: { type: 'boolean', default: false },
  generic: { type: 'boolean', default: false },
  execute: { type: 'boolean', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  file: { type: 'string', multiple: true },
  watch: { type: 'string' },
  format: { type: 'string', default: 'text' },
  clients: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  think: { type: 'string' },
  param: { type: 'string', multiple: true },
  disposable: { type: 'boolean', default: false },
  protocol: { type: 'string' },
  severity: { type: 'string', multiple: true },
  count: { type: 'string' },
  interval: { type: 'string' },
  sort: { type: 'string' },
  top: { type: 'string' },
  'connect-timeout': { type: 'string' },
  target: { type: 'string' },
  'max-locks': { type: 'string' },
  jobs: { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  timings: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function positiveNumber(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`--${option} wants a positive number, got "${value}".`);
  return n;
}

/** A number as typed; its bounds are the probe's (src/core/probe/limits.ts), checked with the rest of the load. */
function numberOption(option: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new UsageError(`--${option} wants a number, got "${value}".`);
  return n;
}

/** --jobs: a whole number of worker threads, 1 to 64. */
function jobsOption(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs wants a whole number from 1 to 64, got "${value}".`);
  return n;
}

function probeProtocol(value: string | undefined): 'simple' | 'prepared' {
  if (value === undefined || value === 'simple' || value === 'prepared') return value ?? 'simple';
  throw new UsageError(`--protocol wants simple or prepared, got "${value}".`);
}

/** What runCli needs from the process: the second interrupt exits at once (tests pass their own). */
export interface CliProcess {
  exitNow: (code: number) => void;
}

export async function runCli(
  argv: readonly string[],
  rawCtx: CommandContext,
  proc: CliProcess = { exitNow: (code) => process.exit(code) },
): Promise<number> {
  // Every byte the CLI prints (text, --json, SARIF, errors) passes the one redaction: no command can leak a password.
  const ctx: CommandContext = {
    ...rawCtx,
    stdout: (text) => rawCtx.stdout(redactSecrets(text)),
    stderr: (text) => rawCtx.stderr(redactSecrets(text)),
    // Pieces end at line ends (json-chunks.ts): each is redacted with whole lines, as one text would be.
    write: rawCtx.write === undefined ? undefined : (chunk) => rawCtx.write?.(redactSecrets(chunk)),
  };
  let interrupts: Interrupts | undefined;
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError(`${(error as Error).message}\n\n${USAGE}`);
    }
    const { values, positionals } = parsed;
    const [command, ...rest] = positionals;
    if (values.help || command === undefined || command === 'help') {
      ctx.stdout(USAGE);
      return command === undefined && !values.help ? EXIT.badInput : EXIT.ok;
    }
    interrupts = catchInterrupts(ctx.stderr, proc.exitNow);
    const code = await dispatch(ctx, command, rest, values, interrupts.signal);
    const signal = interrupts.received();
    if (signal === undefined) return code;
    ctx.stderr(`lockscope: interrupted by ${signal}: statements cancelled on the server, every session closed.`);
    return exitCodeOf(signal);
  } catch (error) {
    const signal = interrupts?.received();
    if (signal !== undefined) {
      ctx.stderr(`lockscope: interrupted by ${signal}: statements cancelled on the server, every session closed.`);
      return exitCodeOf(signal);
    }
    const failure = describeFailure(error);
    ctx.stderr(`lockscope: ${failure.message}`);
    return failure.code;
  } finally {
    interrupts?.dispose();
  }
}

type OptionValues = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true; strict: true }>>['values'];

async function dispatch(ctx: CommandContext, command: string, rest: string[], values: OptionValues, signal: AbortSignal): Promise<number> {
  const dbOptions = {
    db: values.db,
    schema: values.schema,
    connectTimeoutSeconds: positiveNumber('connect-timeout', values['connect-timeout']),
  };
  switch (command) {
    case 'server':
      if (rest.length > 0) throw new UsageError(`lockscope server takes no arguments (got "${rest.join(' ')}").`);
      return runServerCommand(ctx, { ...dbOptions, json: values.json });
    case 'estimate':
      return runEstimateCommand(ctx, readSqlArguments(rest, values.file ?? []), {
        ...dbOptions,
        json: values.json,
        txn: values.txn,
        generic: values.generic,
        verbose: values.verbose,
        target: targetSpecOf(values.target, values['max-locks']),
      });
    case 'scan': {
      const format = values.format;
      if (format !== 'text' && format !== 'json' && format !== 'sarif')
        throw new UsageError(`--format wants text, json or sarif, got "${format}".`);
      const levels: Record<string, string> = {};
      for (const item of values.severity ?? []) {
        const [rule, level, extra] = item.split('=');
        if (rule === undefined || level === undefined || extra !== undefined)
          throw new UsageError(`--severity wants RULE=error|warning|info|off, got "${item}".`);
        levels[rule] = level;
      }
      const { config: severity, problems } = parseSeverityConfig(levels);
      if (problems.length > 0) throw new UsageError(`--severity: ${problems.join('; ')}.`);
      return runScanCommand(
        ctx,
        rest,
        {
          ...dbOptions,
          format,
          severity,
          target: targetSpecOf(values.target, values['max-locks']),
          jobs: jobsOption(values.jobs),
          cache: !values['no-cache'],
          timings: values.timings,
        },
        packageJson.version,
      );
    }
    case 'probe':
      return runProbeCommand(
        ctx,
        readSqlArguments(rest, values.file ?? []),
        {
          db: values.db,
          json: values.json,
          disposable: values.disposable,
          params: values.param ?? [],
          clients: numberOption('clients', values.clients) ?? 4,
          durationSeconds: numberOption('duration', values.duration) ?? 10,
          warmupSeconds: numberOption('warmup', values.warmup) ?? 1,
          thinkTimeMs: numberOption('think', values.think) ?? 0,
          protocol: probeProtocol(values.protocol),
          connectTimeoutSeconds: dbOptions.connectTimeoutSeconds,
        },
        signal,
      );
    case 'measure':
      return runMeasureCommand(ctx, readSqlArguments(rest, values.file ?? []), {
        ...dbOptions,
        json: values.json,
        txn: values.txn,
        execute: values.execute,
        verbose: values.verbose,
      });
    case 'activity': {
      if (rest.length > 0) throw new UsageError(`lockscope activity takes no arguments (got "${rest.join(' ')}").`);
      const watchSeconds = positiveNumber('watch', values.watch);
      const count = positiveNumber('count', values.count);
      return runActivityCommand(ctx, { ...dbOptions, json: values.json, watchSeconds, count }, signal);
    }
    case 'workload': {
      const sort = values.sort ?? 'slowpath';
      if (sort !== 'slowpath' && sort !== 'locks') throw new UsageError(`--sort wants slowpath or locks, got "${sort}".`);
      return runWorkloadCommand(
        ctx,
        rest,
        {
          ...dbOptions,
          json: values.json,
          intervalSeconds: positiveNumber('interval', values.interval) ?? 60,
          sort,
          top: positiveNumber('top', values.top) ?? 20,
        },
        signal,
      );
    }
    case 'schema':
      return runSchemaCommand(ctx, rest, { json: values.json });
    default:
      throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
  }
}

// Run only when executed as the CLI, not when imported by tests.
if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    write: (chunk) => process.stdout.write(chunk),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
