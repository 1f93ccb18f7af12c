/**
 * The probe's load bounds in one place (src/core/probe/limits.ts): the table of what is refused, the CLI's exit codes
 * (a bound is bad input, 2, said before any connection; a server failure 3; a bug 70), and the engine refusing an
 * out-of-bounds load itself, whoever calls it. Before, --warmup/--think reached the engine unchecked (a negative
 * warm-up or "abc" started a probe) and the engine's refusal was a DbError.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFailure, EXIT, UsageError } from '../../src/cli/cli-error.js';
import { runCli } from '../../src/cli/main.js';
import { checkProbeLoad, LimitError, PROBE_LIMITS, probeLoadProblem, type ProbeLoad } from '../../src/core/probe/limits.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { DbError } from '../../src/db/errors.js';
import { runProbe } from '../../src/db/probe/engine.js';

const OK: ProbeLoad = { clients: 4, durationSeconds: 10, warmupSeconds: 1, thinkTimeMs: 0 };

const LOADS: Array<[name: string, change: Partial<ProbeLoad>, refused: keyof ProbeLoad | undefined]> = [
  ['the defaults', {}, undefined],
  [
    'the largest load',
    {
      clients: PROBE_LIMITS.maxClients,
      durationSeconds: PROBE_LIMITS.maxDurationSeconds,
      warmupSeconds: PROBE_LIMITS.maxWarmupSeconds,
      thinkTimeMs: PROBE_LIMITS.maxThinkTimeMs,
    },
    undefined,
  ],
  ['no warm-up, no think time', { warmupSeconds: 0, thinkTimeMs: 0 }, undefined],
  ['0 clients', { clients: 0 }, 'clients'],
  ['2.5 clients', { clients: 2.5 }, 'clients'],
  ['257 clients', { clients: PROBE_LIMITS.maxClients + 1 }, 'clients'],
  ['NaN clients', { clients: Number.NaN }, 'clients'],
  ['0 s', { durationSeconds: 0 }, 'durationSeconds'],
  ['301 s', { durationSeconds: PROBE_LIMITS.maxDurationSeconds + 1 }, 'durationSeconds'],
  ['infinite duration', { durationSeconds: Number.POSITIVE_INFINITY }, 'durationSeconds'],
  ['negative warm-up', { warmupSeconds: -1 }, 'warmupSeconds'],
  ['61 s warm-up', { warmupSeconds: PROBE_LIMITS.maxWarmupSeconds + 1 }, 'warmupSeconds'],
  ['NaN think time', { thinkTimeMs: Number.NaN }, 'thinkTimeMs'],
  ['negative think time', { thinkTimeMs: -5 }, 'thinkTimeMs'],
  ['10.001 s think time', { thinkTimeMs: PROBE_LIMITS.maxThinkTimeMs + 1 }, 'thinkTimeMs'],
];

for (const [name, change, refused] of LOADS) {
  test(`load bounds: ${name} ${refused === undefined ? 'may run' : `is refused on ${refused}`}`, () => {
    const load = { ...OK, ...change };
    assert.equal(probeLoadProblem(load)?.field, refused);
    if (refused === undefined) checkProbeLoad(load);
    else
      assert.throws(
        () => checkProbeLoad(load),
        (e: unknown) => LimitError.is(e) && e.field === refused && !DbError.is(e),
      );
  });
}

const FAILURES: Array<[name: string, error: unknown, code: number]> = [
  ['a load out of bounds', new LimitError('warmupSeconds', 'Warm-up must be 0–60 s, got -1.'), EXIT.badInput],
  ['bad usage', new UsageError('Unknown command'), EXIT.badInput],
  ['an unreachable server', new DbError('unreachable', 'connection refused'), EXIT.unreachable],
  ['a query the server refuses', new DbError('query-failed', 'syntax error'), EXIT.badInput],
  ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')"), EXIT.internal],
];

for (const [name, error, code] of FAILURES) {
  test(`exit code: ${name} → ${code}`, () => assert.equal(describeFailure(error).code, code));
}

// A closed port: reaching the server would exit 3, so exit 2 proves the bound was checked before connecting.
const NOWHERE = 'postgres://nobody@127.0.0.1:1/nothing?connect_timeout=1';

const ARGUMENTS: Array<[name: string, args: string[], message: RegExp]> = [
  ['a negative --warmup', ['--warmup=-1'], /--warmup: Warm-up must be 0–60 s, got -1/],
  ['--warmup past its bound', ['--warmup', '61'], /--warmup: Warm-up/],
  ['--think that is not a number', ['--think', 'abc'], /--think wants a number, got "abc"/],
  ['a negative --think', ['--think=-1'], /--think: Think time must be 0–10000 ms/],
  ['--clients 0', ['--clients', '0'], /--clients: Clients must be a whole number from 1 to 256/],
  ['--duration 0', ['--duration', '0'], /--duration: Duration must be more than 0/],
];

for (const [name, args, message] of ARGUMENTS) {
  test(`lockscope probe with ${name} is bad input (exit 2) before any connection`, async () => {
    const err: string[] = [];
    const code = await runCli(
      ['probe', '--db', NOWHERE, ...args, 'SELECT 1'],
      { stdout: () => undefined, stderr: (t) => err.push(t), env: {} },
      { exitNow: () => undefined },
    );
    assert.equal(code, EXIT.badInput, err.join('\n'));
    assert.match(err.join('\n'), message);
  });
}

test('the engine refuses an out-of-bounds load itself, before opening a session', async () => {
  const target = resolveConnectionTarget(NOWHERE, {});
  assert.ok(target !== undefined);
  const options = {
    ...OK,
    warmupSeconds: -1,
    statements: ['SELECT 1'],
    params: [],
    statementTimeoutMs: 1000,
    lockTimeoutMs: 1000,
    readOnly: true,
    protocol: 'simple' as const,
  };
  await assert.rejects(runProbe(target, options), (e: unknown) => LimitError.is(e) && e.field === 'warmupSeconds');
});
