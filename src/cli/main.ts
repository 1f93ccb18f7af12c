/** The `lockscope` command: parses arguments, dispatches to a command, maps failures to exit codes. */
import { parseArgs } from 'node:util';
import { describeFailure, EXIT, UsageError } from './cli-error.js';
import type { CommandContext } from './command.js';
import { runServerCommand } from './commands/server.js';

const USAGE = `lockscope — what a Postgres query costs in heavyweight locks

Usage:
  lockscope server   [--db URL | --schema FILE] [--json]   server lock profile: version, slots, relations

Options:
  --db URL           postgres://user@host:port/db (default: DATABASE_URL, then PG* variables)
  --schema FILE      load FILE into the embedded PostgreSQL 18 (PGlite) and answer from there
  --connect-timeout S  seconds to wait for the server (default 5)
  --json             machine-readable output
  -h, --help         this text

Exit codes: 0 success, 1 error-severity findings, 2 bad input, 3 database unreachable.`;

const OPTIONS = {
  db: { type: 'string' },
  schema: { type: 'string' },
  json: { type: 'boolean', default: false },
  'connect-timeout': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parseTimeout(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--connect-timeout wants a positive number of seconds, got "${value}".`);
  return seconds;
}

export async function runCli(argv: readonly string[], ctx: CommandContext): Promise<number> {
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
    const dbOptions = { db: values.db, schema: values.schema, connectTimeoutSeconds: parseTimeout(values['connect-timeout']) };
    switch (command) {
      case 'server':
        if (rest.length > 0) throw new UsageError(`lockscope server takes no arguments (got "${rest.join(' ')}").`);
        return await runServerCommand(ctx, { ...dbOptions, json: values.json });
      default:
        throw new UsageError(`Unknown command "${command}".\n\n${USAGE}`);
    }
  } catch (error) {
    const failure = describeFailure(error);
    ctx.stderr(`lockscope: ${failure.message}`);
    return failure.code;
  }
}

// Run only when executed as the CLI, not when imported by tests.
if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(`${text}\n`),
    stderr: (text) => process.stderr.write(`${text}\n`),
    env: process.env,
  }).then((code) => {
    process.exitCode = code;
  });
}
