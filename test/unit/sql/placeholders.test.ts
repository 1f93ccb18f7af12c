/** Driver placeholders become $n through the SQL scanner; literals, comments, casts and JSONB operators stay. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, normalizePlaceholders } from '../../../src/core/sql/index.js';

before(() => loadSqlParser());

const cases: Array<[input: string, output: string, count: number]> = [
  ['SELECT * FROM t WHERE id = ?', 'SELECT * FROM t WHERE id = $1', 1],
  ['SELECT * FROM t WHERE a = ? AND b IN (?, ?)', 'SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)', 3],
  // The scanner glues `=?` into one operator token: the `?` is still a placeholder.
  ['SELECT 1 FROM t WHERE a=? AND b<>? AND c>=? AND d<?', 'SELECT 1 FROM t WHERE a=$1 AND b<>$2 AND c>=$3 AND d<$4', 4],
  ['INSERT INTO t VALUES (?,?)', 'INSERT INTO t VALUES ($1,$2)', 2],
  ['SELECT * FROM t WHERE a = :id AND b = :id AND c = :other', 'SELECT * FROM t WHERE a = $1 AND b = $1 AND c = $2', 2],
  ['UPDATE t SET a = :a WHERE b = :b::int', 'UPDATE t SET a = $1 WHERE b = $2::int', 2],
  ['SELECT * FROM t WHERE a = %s AND b = %s', 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
  ['SELECT * FROM t WHERE a=%s', 'SELECT * FROM t WHERE a=$1', 1],
  ['SELECT * FROM t WHERE a = %(id)s OR b = %(id)s', 'SELECT * FROM t WHERE a = $1 OR b = $1', 1],
  ['SELECT * FROM t WHERE a = $1 AND b = ?', 'SELECT * FROM t WHERE a = $1 AND b = $2', 2],
  ['SELECT * FROM t LIMIT ? OFFSET ?', 'SELECT * FROM t LIMIT $1 OFFSET $2', 2],
  ['SELECT ? ORDER BY ? DESC', 'SELECT $1 ORDER BY $2 DESC', 2],
  ['SELECT * FROM t WHERE x = ANY(?) AND y = ARRAY[?]', 'SELECT * FROM t WHERE x = ANY($1) AND y = ARRAY[$2]', 2],
  // JSONB `?`: between two operands it is the key-exists operator.
  ["SELECT * FROM t WHERE doc ? 'key'", "SELECT * FROM t WHERE doc ? 'key'", 0],
  ["SELECT * FROM t WHERE doc->'a' ? 'key' AND f(doc) ? 'k'", "SELECT * FROM t WHERE doc->'a' ? 'key' AND f(doc) ? 'k'", 0],
  ["SELECT * FROM t WHERE value ? 'k'", "SELECT * FROM t WHERE value ? 'k'", 0],
  ["SELECT * FROM t WHERE doc ?| array['a'] AND doc ?& array['b']", "SELECT * FROM t WHERE doc ?| array['a'] AND doc ?& array['b']", 0],
  ["SELECT * FROM t WHERE doc @? '$.a' AND doc ? 'k' AND id = ?", "SELECT * FROM t WHERE doc @? '$.a' AND doc ? 'k' AND id = $1", 1],
  // The operator with a placeholder as its right operand.
  ['SELECT * FROM t WHERE doc ? ?', 'SELECT * FROM t WHERE doc ? $1', 1],
  ['SELECT * FROM t WHERE doc ? :key', 'SELECT * FROM t WHERE doc ? $1', 1],
  ['SELECT * FROM t WHERE doc ? %s', 'SELECT * FROM t WHERE doc ? $1', 1],
  // A `?` that ends the expression cannot be a binary operator.
  ['SELECT * FROM t WHERE flag = ? AND x = 1', 'SELECT * FROM t WHERE flag = $1 AND x = 1', 1],
  // Literals, comments, dollar quotes, casts, slices and modulo are left alone.
  ["SELECT 'is it ?', ':name', '%s', E'?' FROM t", "SELECT 'is it ?', ':name', '%s', E'?' FROM t", 0],
  ['SELECT a::int, b::text FROM t WHERE c = :c', 'SELECT a::int, b::text FROM t WHERE c = $1', 1],
  ['SELECT arr[1:2], arr[lo:hi] FROM t', 'SELECT arr[1:2], arr[lo:hi] FROM t', 0],
  ['SELECT a % b, a %b FROM t', 'SELECT a % b, a %b FROM t', 0],
  ['SELECT 1 -- what ?\nFROM t /* :x ? */ WHERE x = ?', 'SELECT 1 -- what ?\nFROM t /* :x ? */ WHERE x = $1', 1],
  ['SELECT $$ ? :a $$, $q$?$q$ FROM t WHERE x = ?', 'SELECT $$ ? :a $$, $q$?$q$ FROM t WHERE x = $1', 1],
  ["SELECT json_object('a':b)", "SELECT json_object('a':b)", 0],
  ["INSERT INTO t (a, b) VALUES (?, 'ü ?')", "INSERT INTO t (a, b) VALUES ($1, 'ü ?')", 1],
  // Numbering restarts in each statement, after the highest $n already in it.
  ['SELECT ?; SELECT ?, ?; SELECT $2, ?', 'SELECT $1; SELECT $1, $2; SELECT $2, $3', 3],
  // An unterminated literal: nothing is rewritten (the parser reports the error).
  ["SELECT ? FROM t WHERE a = 'open", "SELECT ? FROM t WHERE a = 'open", 0],
];

for (const [input, output, count] of cases) {
  test(`placeholders: ${input.replace(/\n/g, '\\n')}`, () => {
    const result = normalizePlaceholders(input);
    assert.equal(result.text, output);
    assert.equal(result.parameterCount, count);
  });
}

test('offsets in the rewritten text map back to the original', () => {
  const original = "SELECT 'é😀' FROM t WHERE a = :first AND b = %(second)s AND c = ?";
  const result = normalizePlaceholders(original);
  for (const marker of ['AND b', 'AND c', 'FROM t']) {
    const at = result.text.indexOf(marker);
    assert.equal(original.slice(result.toOriginal(at), result.toOriginal(at) + marker.length), marker);
  }
  // Inside a replacement every index maps to the placeholder it replaced.
  const dollar = result.text.indexOf('$2');
  assert.equal(original.slice(result.toOriginal(dollar + 1)).startsWith('%(second)s'), true);
});
