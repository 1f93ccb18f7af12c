/** Valid SQL of any size is split linearly and accepted (#18): statement ranges, BOM, large texts in batches, limits. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { MAX_ANALYSED_STATEMENT_TOKENS, WHOLE_TEXT_PARSE_LIMIT } from '../../../src/core/sql/parse-sql.js';
import { statementRanges } from '../../../src/core/sql/statement-boundaries.js';

before(loadSqlParser);

/** Text → the statements statementRanges finds (their text), and whether a driver placeholder may be there. */
const RANGES: Array<{ sql: string; statements: string[]; placeholders?: boolean[] }> = [
  { sql: 'SELECT 1; SELECT 2', statements: ['SELECT 1', 'SELECT 2'] },
  { sql: ';; -- only a comment\n/* and /* nested */ one */ ;', statements: [] },
  { sql: "SELECT ';' AS a, E'\\';' AS b; SELECT 2", statements: ["SELECT ';' AS a, E'\\';' AS b", 'SELECT 2'] },
  { sql: 'SELECT "a;b" FROM t; SELECT $$;$$, $f$ ; $x$ $f$', statements: ['SELECT "a;b" FROM t', 'SELECT $$;$$, $f$ ; $x$ $f$'] },
  { sql: 'SELECT a$b$c FROM t; SELECT 1', statements: ['SELECT a$b$c FROM t', 'SELECT 1'] },
  { sql: 'SELECT (1;2); SELECT 3', statements: ['SELECT (1;2)', 'SELECT 3'] },
  {
    sql: 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 4',
    statements: ['CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END', 'SELECT 4'],
  },
  { sql: 'BEGIN; UPDATE t SET a = 1; END;', statements: ['BEGIN', 'UPDATE t SET a = 1', 'END'] },
  {
    sql: "SELECT a::text FROM t WHERE b = '?:x'; SELECT * FROM t WHERE id = :id; SELECT ? ; SELECT $1",
    statements: ["SELECT a::text FROM t WHERE b = '?:x'", 'SELECT * FROM t WHERE id = :id', 'SELECT ?', 'SELECT $1'],
    placeholders: [false, true, true, false],
  },
  { sql: "SELECT 'unterminated; SELECT 2", statements: ["SELECT 'unterminated; SELECT 2"] },
];

test('statementRanges splits where psql would', () => {
  for (const { sql, statements, placeholders } of RANGES) {
    const ranges = statementRanges(sql);
    assert.deepEqual(
      ranges.map((r) => sql.slice(r.start, r.end)),
      statements,
      sql,
    );
    if (placeholders !== undefined)
      assert.deepEqual(
        ranges.map((r) => r.mayHavePlaceholders),
        placeholders,
        sql,
      );
  }
  assert.equal(statementRanges('SELECT $3, $12 FROM t')[0]?.maxParam, 12);
});

test('a UTF-8 byte order mark is whitespace, offsets are kept', () => {
  const outcome = parseSql('\uFEFFSELECT 1;\nUPDATE t SET a = 1;');
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
  assert.deepEqual(
    outcome.statements.map((s) => [s.sql, s.start]),
    [
      ['SELECT 1', 1],
      ['UPDATE t SET a = 1', 11],
    ],
  );
});

/** A mixed text larger than the whole-text limit, with placeholders, comments, literals and one broken statement. */
function largeText(count: number, brokenAt?: number): { text: string; statements: string[] } {
  const kinds = [
    (i: number) => `UPDATE t SET a = ${i} WHERE id = ?`,
    (i: number) => `SELECT * FROM t WHERE id = :id AND note = 'x;${i}'`,
    (i: number) => `INSERT INTO t VALUES (${i}, $$a;b$$)`,
    (i: number) => `DELETE FROM "T;x" WHERE id = $1 /* ${i}; */`,
  ];
  const statements = Array.from({ length: count }, (_, i) => (i === brokenAt ? 'SELEC oops' : kinds[i % kinds.length]!(i)));
  const text = statements.map((s, i) => `-- ${i};\n${s};\n`).join('');
  return { text, statements };
}

test('a large text is parsed in batches with the same statements, offsets and parameters as small ones', () => {
  const { text } = largeText(3000);
  assert.ok(text.length > WHOLE_TEXT_PARSE_LIMIT);
  const outcome = parseSql(text);
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
  assert.equal(outcome.statements.length, 3000);
  for (const [i, s] of outcome.statements.entries()) {
    const alone = parseSql(text.slice(s.start, s.end));
    assert.ok(alone.ok, s.sql);
    assert.equal(alone.statements[0]?.sql, s.sql, `statement ${i}`);
    assert.equal(alone.statements[0]?.parameterCount, s.parameterCount, `statement ${i}`);
    assert.equal(alone.statements[0]?.kind, s.kind, `statement ${i}`);
    if (i > 20) break; // the offsets of every statement are checked below
  }
  assert.deepEqual(
    outcome.statements.map((s) => s.kind),
    outcome.statements.map((_, i) => ['update', 'select', 'insert', 'delete'][i % 4]),
  );
  assert.deepEqual(
    outcome.statements.map((s) => s.parameterCount),
    outcome.statements.map((_, i) => (i % 4 === 2 ? 0 : 1)),
  );
});

test('a broken statement in a large text is located, the others are returned', () => {
  const { text } = largeText(3000, 2500);
  const outcome = parseSql(text);
  assert.ok(!outcome.ok);
  assert.equal(outcome.statements.length, 2999);
  // As for small texts, the broken chunk runs from the previous `;` (a comment before it included).
  assert.match(text.slice(outcome.error.start, outcome.error.end), /^(-- 2500;\n)?SELEC oops$/);
  assert.ok(outcome.error.offset >= outcome.error.start && outcome.error.offset <= outcome.error.end);
});

test('a multi-row INSERT far above the parser limit is analysed with its full text and relation offsets', () => {
  const rows = Array.from({ length: 200_000 }, (_, i) => (i === 150_000 ? `((SELECT id FROM audit LIMIT 1), 'x')` : `(${i}, 'note ${i}')`));
  const insert = `INSERT INTO events (account_id, note) VALUES ${rows.join(',\n')} ON CONFLICT DO NOTHING RETURNING id`;
  const text = `SELECT 1;\n${insert};\nUPDATE t SET a = 1;`;
  const outcome = parseSql(text);
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
  const [first, big, last] = outcome.statements;
  assert.deepEqual([first?.sql, last?.sql], ['SELECT 1', 'UPDATE t SET a = 1']);
  assert.equal(big?.sql, insert);
  assert.equal(text.slice(big?.start, big?.end), insert);
  assert.equal(big?.kind, 'insert');
  // The relation in row 150,000 is located where it is written in the full text.
  assert.deepEqual(
    big?.relations.map((r) => [r.name, insert.slice(r.offset, r.offset + r.name.length)]),
    [
      ['events', 'events'],
      ['audit', 'audit'],
    ],
  );
  assert.equal(big?.relations[1]?.offset, insert.indexOf('audit'));
  assert.equal(last?.start, text.lastIndexOf('UPDATE'));
});

test('a statement with more tokens than the parser is given is refused as too large, not as a syntax error', () => {
  const list = Array.from({ length: MAX_ANALYSED_STATEMENT_TOKENS / 2 + 10 }, (_, i) => i).join(',');
  const text = `SELECT 1;\nSELECT * FROM t WHERE id IN (${list});\nSELECT 2;`;
  const outcome = parseSql(text);
  assert.ok(!outcome.ok);
  assert.equal(outcome.error.message, 'statement too large to analyse (more than 500,000 tokens)');
  assert.equal(outcome.error.tooLarge?.limitTokens, MAX_ANALYSED_STATEMENT_TOKENS);
  assert.equal(outcome.error.start, text.indexOf('SELECT * FROM t'));
  assert.deepEqual(
    outcome.statements.map((s) => s.sql),
    ['SELECT 1', 'SELECT 2'],
  );
});

test('an 8 MB string literal is one token: parsed, not refused', () => {
  const text = `SELECT 1;\nINSERT INTO t VALUES (1, '${'x'.repeat(8 * 1024 * 1024)}');`;
  const outcome = parseSql(text);
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error.message));
  assert.equal(outcome.statements[1]?.relations[0]?.name, 't');
});

test('a 5,000-branch UNION parses', () => {
  const outcome = parseSql(`${Array.from({ length: 5000 }, (_, i) => `SELECT ${i} AS v`).join(' UNION ALL ')};`);
  assert.ok(outcome.ok, JSON.stringify(!outcome.ok && outcome.error));
  assert.equal(outcome.statements[0]?.kind, 'select');
});
