/** Probe parameter specs, literal rendering and percentiles: table-driven. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { drawValue, literal, parseParamSpec, percentile, renderStatement } from '../../src/core/probe/params.js';

test('param specs', () => {
  assert.deepEqual(parseParamSpec('int:1..100'), { kind: 'int', min: 1, max: 100 });
  assert.deepEqual(parseParamSpec('pick:a,b'), { kind: 'pick', values: ['a', 'b'] });
  assert.deepEqual(parseParamSpec('42'), { kind: 'fixed', value: '42' });
  assert.throws(() => parseParamSpec('int:5..1'), /empty range/);
});

test('values stay in range and literals are safe', () => {
  const spec = parseParamSpec('int:10..12');
  const seen = new Set<string>();
  let seed = 1;
  const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 500; i++) seen.add(drawValue(spec, random));
  assert.deepEqual([...seen].sort(), ['10', '11', '12']);
  const cases: Array<[string, string]> = [
    ['7', '7'],
    ['-3.5', '-3.5'],
    ["it's", "'it''s'"],
    ['1; DROP TABLE x', "'1; DROP TABLE x'"],
  ];
  for (const [input, output] of cases) assert.equal(literal(input), output);
});

test('statements get literals for $n, drawn per call', () => {
  const sql = renderStatement(
    'SELECT * FROM t WHERE a = $1 AND b = $2 AND c = $1',
    [parseParamSpec('5'), parseParamSpec("o'k")],
    Math.random,
  );
  assert.equal(sql, "SELECT * FROM t WHERE a = 5 AND b = 'o''k' AND c = 5");
  assert.equal(renderStatement('SELECT $3', [], Math.random), 'SELECT $3');
});

test('percentiles by nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 0.5), 50);
  assert.equal(percentile(xs, 0.95), 95);
  assert.equal(percentile(xs, 0.99), 99);
  assert.equal(percentile([], 0.5), 0);
});
