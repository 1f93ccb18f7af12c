/** Driver placeholders become $n through the SQL scanner; literals, comments, casts and JSONB operators stay. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, normalizePlaceholders } from '../../../src/core/sql/index.js';

before(() => loadSqlParser());

const cases: Array<[input: string, output: string, count: number]> = [
  ['SELECT * FROM t WHERE id = ?', 'SELECT * FROM t WHERE id = $1', 1],
  ['SELECT * FROM t WHERE a = ? AND b IN (?, ?)', 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)', 3],
  ['SELECT * FROM t WHERE a = :id AND b = :id AND c = :other', 'SELECT * FROM t WHERE a = $1 AND b = $1 AND c = $2', 2],
  ['SELECT * FROM t WHERE a = %s AND b = %s', 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
  ['SELECT * FROM t WHERE a = %(id)s OR b = %(id)s', 'SELECT * FROM t WHERE a = $1 OR b = $1', 1],
  ['SELECT * FROM t WHERE a = $1 AND b = ?', 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
  ["SELECT * FROM t WHERE doc ? 'key'", "SELECT * FROM t WHERE doc ? 'key'", 0],
  ["SELECT * FROM t WHERE doc ?| array['a'] AND doc ?& array['b']", "SELECT * FROM t WHERE doc ?| array['a'] AND doc ?& array['b']", 0],
  ["SELECT * FROM t WHERE doc ? 'k' AND id = ?", "SELECT * FROM t WHERE doc ? 'k' AND id = $1", 1],
  ["SELECT 'is it ?', ':name', '%s' FROM t", "SELECT 'is it ?', ':name', '%s' FROM t", 0],
  ['SELECT a::int, b::text FROM t WHERE c = :c', 'SELECT a::int, b::text FROM t WHERE c = $1', 1],
  ['SELECT arr[1:2] FROM t', 'SELECT arr[1:2] FROM t', 0],
  ['SELECT a % b FROM t', 'SELECT a % b FROM t', 0],
  ['SELECT 1 -- what ?\nFROM t WHERE x = ?', 'SELECT 1 -- what ?\nFROM t WHERE x = $1', 1],
  ['SELECT $$ ? $$ FROM t WHERE x = ?', 'SELECT $$ ? $$ FROM t WHERE x = $1', 1],
  ["INSERT INTO t (a, b) VALUES (?, 'ü ?')", "INSERT INTO t (a, b) VALUES ($1, 'ü ?')", 1],
  ['SELECT * FROM t LIMIT ? OFFSET ?', 'SELECT * FROM t LIMIT $1 OFFSET $2', 2],
];

for (const [input, output, count] of cases) {
  test(`placeholders: ${input.replace(/\n/g, '\\n')}`, () => {
    const result = normalizePlaceholders(input);
    assert.equal(result.text, output);
    assert.equal(result.parameterCount, count);
  });
}

test('offsets in the rewritten text map back to the original', () => {
  const original = "SELECT 'é' FROM t WHERE a = :first AND b = ?";
  const result = normalizePlaceholders(original);
  const at = result.text.indexOf('AND b');
  assert.equal(original.slice(result.toOriginal(at), result.toOriginal(at) + 5), 'AND b');
});
