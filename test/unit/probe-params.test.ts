/** Probe parameter specs, literal rendering and percentiles: table-driven. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { drawValue, literal, parseParamSpec, percentile, renderStatement } from '../../src/core/probe/params.js';

before(() => loadSqlParser());

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
    ['-3.5', '(-3.5)'],
    ['-7', '(-7)'],
    ["it's", "'it''s'"],
    ['1; DROP TABLE x', "'1; DROP TABLE x'"],
    ["a\\'; COMMIT; DELETE FROM t; --", "E'a\\\\''; COMMIT; DELETE FROM t; --'"],
    ['C:\\dir', "E'C:\\\\dir'"],
    ['', "''"],
  ];
  for (const [input, output] of cases) assert.equal(literal(input), output);
  assert.throws(() => literal('a\u0000b'), /NUL/);
  assert.throws(() => parseParamSpec('pick:a,\u0000'), /NUL/);
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

test("only the lexer's parameter tokens are replaced: not $n in strings, quoted names, comments or dollar quotes", () => {
  const specs = [parseParamSpec("x'); COMMIT; DELETE FROM t; --"), parseParamSpec('-1')];
  const rows: Array<[string, string]> = [
    ["UPDATE t SET note = 'a$1'", "UPDATE t SET note = 'a$1'"],
    ['SELECT "$1" FROM t', 'SELECT "$1" FROM t'],
    ['SELECT 1 -- $1', 'SELECT 1 -- $1'],
    ['SELECT $$ $1 $$', 'SELECT $$ $1 $$'],
    ['SELECT x-$2 FROM t', 'SELECT x-(-1) FROM t'],
    ["SELECT $1, 'b$2'", "SELECT 'x''); COMMIT; DELETE FROM t; --', 'b$2'"],
  ];
  for (const [sql, expected] of rows) assert.equal(renderStatement(sql, specs, Math.random), expected, sql);
});

test('percentiles by nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 0.5), 50);
  assert.equal(percentile(xs, 0.95), 95);
  assert.equal(percentile(xs, 0.99), 99);
  assert.equal(percentile([], 0.5), 0);
});
