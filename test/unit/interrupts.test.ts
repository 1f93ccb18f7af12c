/**
 * The CLI's interrupt handling in-process: the first signal aborts and reports, the second exits at once with 130/143.
 * Signals are emitted on an EventEmitter (the test runner owns this process's SIGINT); real signals to the built CLI
 * are in test/reliability/faults-signals.test.ts.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { catchInterrupts, exitCodeOf } from '../../src/cli/interrupts.js';

const cases = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
] as const;

for (const { signal, code } of cases) {
  test(`${signal}: the first aborts the command, the second exits at once with ${code}`, () => {
    const notices: string[] = [];
    const exits: number[] = [];
    const source = new EventEmitter();
    const interrupts = catchInterrupts(
      (text) => notices.push(text),
      (c) => exits.push(c),
      source,
    );
    try {
      assert.equal(exitCodeOf(signal), code);
      source.emit(signal);
      assert.equal(interrupts.signal.aborted, true);
      assert.equal(interrupts.received(), signal);
      assert.deepEqual(exits, [], 'the first signal lets the command close its sessions');
      assert.match(notices[0] ?? '', /cancelling running statements/);
      source.emit(signal);
      assert.deepEqual(exits, [code]);
      assert.match(notices[1] ?? '', /exiting now/);
    } finally {
      interrupts.dispose();
    }
  });
}

test('after dispose the handlers are gone', () => {
  const source = new EventEmitter();
  const interrupts = catchInterrupts(
    () => undefined,
    () => undefined,
    source,
  );
  assert.equal(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 2);
  interrupts.dispose();
  assert.equal(source.listenerCount('SIGINT') + source.listenerCount('SIGTERM'), 0);
});
