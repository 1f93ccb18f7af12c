/** `lockscope scan --timings`: one line per phase in order, then the total. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { phaseTimer } from '../../src/cli/scan-timings.js';

const LINE = /^lockscope: timing (.+): (\d+) ms wall, (\d+) ms CPU, peak RSS (\d+) MB$/;

test('each phase is printed when the next starts, the total after the last; marks after the end say nothing', () => {
  const lines: string[] = [];
  const timer = phaseTimer((l) => lines.push(l), 'walk');
  let spin = 0;
  for (let i = 0; i < 2e6; i++) spin += i;
  assert.ok(spin > 0);
  timer.mark('catalog');
  timer.mark('output');
  timer.mark();
  timer.mark('late');
  const parsed = lines.map((l) => LINE.exec(l));
  assert.deepEqual(
    parsed.map((m) => m?.[1]),
    ['walk', 'catalog', 'output', 'total'],
  );
  for (const m of parsed) assert.ok(m !== null && Number(m[4]) > 0, 'peak RSS is the process’s');
  const [walk, , , total] = parsed;
  assert.ok(Number(total?.[2]) >= Number(walk?.[2]), 'the total covers the phases');
});
