/**
 * Every message a webview sends is validated against its protocol type before use (#18): a seeded fuzz of 7,000
 * malformed messages through the real probe runner host's handle() (no VS Code, no database reached) and the
 * activity and server profile validators gets only typed error replies, never an unhandled rejection.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { ProbeRunnerHost } from '../../src/probe-runner/runner-host.js';
import { ACTIVITY_COMMANDS } from '../../src/protocol/activity.js';
import { invalidCommand, type IpcMessage } from '../../src/protocol/ipc.js';
import { PROBE_COMMANDS, PROBE_MESSAGES } from '../../src/protocol/probe.js';
import { PROFILE_COMMANDS } from '../../src/protocol/server-profile.js';
import { Random } from '../fuzz/random.js';
import { fixtureCatalog } from '../support/rule-harness.js';

const SEED = 18_2026;
const METHODS = [
  ...PROBE_COMMANDS.map((c) => c.method),
  ...ACTIVITY_COMMANDS.map((c) => c.method),
  ...PROFILE_COMMANDS.map((c) => c.method),
  'probe/opened',
  'probe/unknown',
  '',
];
const ODD_VALUES: unknown[] = [null, 0, -1, 1.5, NaN, Infinity, 1e12, '', 'x'.repeat(20_000), true, [], {}, [1, 2], { a: 1 }, '__proto__'];
const FIELDS = [
  'options',
  'execute',
  'format',
  'params',
  'paused',
  'file',
  'line',
  'clients',
  'durationSeconds',
  'mode',
  'analyze',
  '__proto__',
  'constructor',
];

function oddValue(random: Random, depth = 0): unknown {
  if (depth < 3 && random.chance(0.3)) {
    const out: Record<string, unknown> = {};
    for (let i = random.int(0, 4); i > 0; i--) out[random.pick(FIELDS)] = oddValue(random, depth + 1);
    return random.chance(0.2) ? [out] : out;
  }
  return random.chance(0.05) ? undefined : random.pick(ODD_VALUES);
}

/** Valid-looking messages with one thing wrong, and plain garbage. */
function malformed(random: Random): unknown {
  switch (random.int(0, 5)) {
    case 0:
      return oddValue(random);
    case 1:
      return { method: random.pick(METHODS), params: oddValue(random) };
    case 2:
      return {
        method: 'probe/load/run',
        params: {
          options: {
            clients: random.pick(['4', null, NaN, Infinity, [4]]),
            durationSeconds: 1,
            warmupSeconds: 0,
            thinkTimeMs: 0,
            mode: 'as-is',
          },
        },
      };
    case 3:
      return {
        method: 'probe/explain/run',
        params: { options: { analyze: 'yes', buffers: false, verbose: false, settings: false, genericPlan: false } },
      };
    case 4:
      return { method: 'probe/params/set', params: { params: [{ name: '$1', spec: random.pick([1, null, { x: 1 }]) }] } };
    default:
      return { method: random.pick([42, null, {}, ['probe/ready']]), params: {} };
  }
}

test('7,000 malformed messages through the probe host: each gets one typed error reply, none rejects', async () => {
  const target = resolveConnectionTarget('postgres://nobody@127.0.0.1:1/none', {});
  assert.ok(target !== undefined);
  const posted: Array<IpcMessage<unknown>> = [];
  const host = new ProbeRunnerHost(
    {
      target,
      catalog: fixtureCatalog(),
      post: (m) => posted.push(m),
      save: () => Promise.reject(new Error('no exports in this test')),
    },
    { sql: 'SELECT 1', connection: { label: 'fuzz', environment: 'dev' } },
  );
  const random = new Random(SEED);
  let invalid = 0;
  for (let i = 0; i < 7000; i++) {
    const message = malformed(random);
    const problem = invalidCommand(message, PROBE_COMMANDS);
    if (problem === undefined) continue; // garbage that happens to be valid (probe/cancel with {}) is not this test's
    invalid++;
    const before = posted.length;
    await host.handle(message); // a rejection fails the test here
    const replies = posted.slice(before);
    assert.equal(replies.length, 1, `message ${i}: ${JSON.stringify(message)?.slice(0, 200)} → ${JSON.stringify(replies)}`);
    assert.equal(replies[0]?.method, PROBE_MESSAGES.error.method);
    const params = replies[0]?.params as { operation: string; message: string };
    assert.equal(params.operation, 'params');
    assert.match(params.message, /^(Unknown message from the page|Malformed message (probe\/[a-z/]+ )?from the page)/);
  }
  await host.dispose();
  assert.ok(invalid >= 5000, `${invalid} malformed messages`);
});

test('the activity and server profile pages: malformed messages are named, valid ones pass', () => {
  const random = new Random(SEED + 1);
  for (let i = 0; i < 2000; i++) {
    const message = malformed(random);
    for (const commands of [ACTIVITY_COMMANDS, PROFILE_COMMANDS]) {
      const problem = invalidCommand(message, commands);
      const accepted = commands.some((c) => c.is(message));
      assert.equal(problem === undefined, accepted, `message ${i}: ${JSON.stringify(message)?.slice(0, 200)}: ${problem}`);
    }
  }
  const valid: Array<[unknown, ReadonlyArray<{ is(m: unknown): boolean }>]> = [
    [{ method: 'activity/pause', params: { paused: true } }, ACTIVITY_COMMANDS],
    [{ method: 'activity/code/open', params: { file: '/src/app.py', line: 3 } }, ACTIVITY_COMMANDS],
    [{ method: 'activity/ready', params: {} }, ACTIVITY_COMMANDS],
    [{ method: 'profile/refresh', params: {} }, PROFILE_COMMANDS],
    [
      {
        method: 'probe/load/run',
        params: { options: { clients: 4, durationSeconds: 5, warmupSeconds: 1, thinkTimeMs: 0, mode: 'as-is' } },
      },
      PROBE_COMMANDS,
    ],
  ];
  for (const [message, commands] of valid)
    assert.ok(
      commands.some((c) => c.is(message)),
      JSON.stringify(message),
    );
  assert.match(
    invalidCommand({ method: 'activity/code/open', params: { file: 3, line: 1 } }, ACTIVITY_COMMANDS) ?? '',
    /params\.file must be a string/,
  );
});
