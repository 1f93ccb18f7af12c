/** Parses remembered by text (#16): an edit in a large file re-parses only the statement it touches, same results. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { ParseMemo } from '../../../src/core/sql/parse-memo.js';
import { WHOLE_TEXT_PARSE_LIMIT, parseMemo } from '../../../src/core/sql/parse-sql.js';
import type { ParseOutcome, Statement } from '../../../src/core/statement.js';

before(loadSqlParser);

const outcome = (n: number): ParseOutcome => ({ ok: true, statements: new Array<Statement>(n) });

/** Operations on a small memo → the keys it still holds, oldest first. */
const BOUNDS: Array<{ name: string; entries: number; chars: number; ops: Array<['get' | 'set', string]>; kept: string[] }> = [
  {
    name: 'the oldest entry goes first',
    entries: 2,
    chars: 100,
    ops: [
      ['set', 'a'],
      ['set', 'b'],
      ['set', 'c'],
    ],
    kept: ['b', 'c'],
  },
  {
    name: 'a lookup makes an entry the newest',
    entries: 2,
    chars: 100,
    ops: [
      ['set', 'a'],
      ['set', 'b'],
      ['get', 'a'],
      ['set', 'c'],
    ],
    kept: ['a', 'c'],
  },
  {
    name: 'key characters are bounded too',
    entries: 10,
    chars: 5,
    ops: [
      ['set', 'aaa'],
      ['set', 'bbb'],
    ],
    kept: ['bbb'],
  },
  {
    name: 'a key above the bound is not kept',
    entries: 10,
    chars: 5,
    ops: [
      ['set', 'a'],
      ['set', 'bbbbbbb'],
    ],
    kept: ['a'],
  },
];

test('the memo keeps the most recently used texts within its bounds', () => {
  for (const { name, entries, chars, ops, kept } of BOUNDS) {
    const memo = new ParseMemo(entries, chars);
    for (const [op, key] of ops) {
      if (op === 'set') memo.set(key, outcome(key.length));
      else memo.get(key);
    }
    const held = ['a', 'b', 'c', 'aaa', 'bbb', 'bbbbbbb'].filter((k) => memo.get(k) !== undefined);
    assert.deepEqual(held.sort(), [...kept].sort(), name);
  }
});

test('a small text parsed again is the remembered outcome', () => {
  const sql = 'SELECT * FROM orders WHERE id = 1 FOR UPDATE';
  assert.equal(parseSql(sql), parseSql(sql));
  assert.notEqual(parseSql(`${sql} NOWAIT`), parseSql(sql));
});

/** Everything but the tree and its model: what offsets and analysis say about each statement. */
function shape(outcome: ParseOutcome): unknown {
  return JSON.parse(JSON.stringify(outcome, (key: string, value: unknown) => (key === 'ast' || key === 'model' ? undefined : value)));
}

test('an edit in a large text re-parses only the statement it touches, with the results of a fresh parse', () => {
  const statements = Array.from(
    { length: 3000 },
    (_, i) =>
      `SELECT o.*, c.email\n  FROM orders o JOIN customers c ON c.id = o.customer\n WHERE o.id = ${i} -- row ${i}\n   FOR UPDATE OF o;`,
  );
  const text = statements.join('\n');
  assert.ok(text.length > WHOLE_TEXT_PARSE_LIMIT);
  const first = parseSql(text);
  // Statement 1,500 gains a character (every later offset moves by one) and placeholders appear in it.
  const edited = text.replace('WHERE o.id = 1500 ', 'WHERE o.id = :id15 ');
  const second = parseSql(edited);
  assert.ok(first.ok && second.ok);
  assert.equal(second.statements.length, 3000);
  const changed = second.statements.map((s, i) => s.ast !== first.statements[i]?.ast);
  assert.deepEqual(
    changed.flatMap((c, i) => (c ? [i] : [])),
    [1500],
  );
  assert.equal(second.statements[1500]?.parameterCount, 1);
  assert.equal(second.statements[1501]?.start, (first.statements[1501]?.start ?? 0) + 1);
  parseMemo.clear();
  assert.deepEqual(shape(second), shape(parseSql(edited)));
});

test('a broken statement in a large text is reported again, not remembered away', () => {
  const text = Array.from({ length: 2000 }, (_, i) => (i === 700 ? 'SELEC 1;' : `UPDATE orders SET total = ${i} WHERE id = ${i};`)).join(
    '\n',
  );
  for (let round = 0; round < 2; round++) {
    const parsed = parseSql(text);
    assert.equal(parsed.ok, false);
    assert.equal(parsed.statements.length, 1999);
    assert.match(parsed.ok ? '' : parsed.error.message, /syntax error/);
  }
});
