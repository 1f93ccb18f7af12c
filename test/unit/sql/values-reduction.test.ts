/** A huge INSERT's VALUES list keeps one row per shape (#18): which rows stay, which go, and the offsets back. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countTokens } from '../../../src/core/sql/sql-lexer.js';
import { reduceValuesList } from '../../../src/core/sql/values-reduction.js';

/** Statement → the reduced text, or undefined when nothing can be left out. */
const CASES: Array<{ sql: string; reduced: string | undefined; why: string }> = [
  {
    why: 'constants of the same kinds are one shape',
    sql: "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3.5e-3, E'z\\'')",
    reduced: "INSERT INTO t (a, b) VALUES (1, 'x')",
  },
  {
    why: 'a NULL, a cast or a parameter is a shape of its own; the list suffix stays',
    sql: "INSERT INTO t VALUES (1, 'x'), (2, NULL), (3, 'y'), (4, '{}'::jsonb), (5, $1), (6, $2) ON CONFLICT (a) DO NOTHING RETURNING a",
    reduced: "INSERT INTO t VALUES (1, 'x'), (2, NULL), (4, '{}'::jsonb), (5, $1) ON CONFLICT (a) DO NOTHING RETURNING a",
  },
  {
    why: 'a subquery row stays, its constants are anonymous',
    sql: 'INSERT INTO t VALUES (1), ((SELECT id FROM u WHERE n = 1)), (2), ((SELECT id FROM u WHERE n = 2)), ((SELECT id FROM v))',
    reduced: 'INSERT INTO t VALUES (1), ((SELECT id FROM u WHERE n = 1)), ((SELECT id FROM v))',
  },
  {
    why: "a constant given to a call may name what is locked: nextval('a') and nextval('b') both stay",
    sql: "INSERT INTO t VALUES (nextval('a'), 1), (nextval('a'), 2), (nextval('b'), 3), (pg_advisory_xact_lock(7), 0), (pg_advisory_xact_lock(8), 0)",
    reduced: "INSERT INTO t VALUES (nextval('a'), 1), (nextval('b'), 3), (pg_advisory_xact_lock(7), 0), (pg_advisory_xact_lock(8), 0)",
  },
  {
    why: 'a malformed row is a shape of its own, so the parser still sees it',
    sql: "INSERT INTO t VALUES (1, 'x'), (2 'y'), (3, 'z')",
    reduced: "INSERT INTO t VALUES (1, 'x'), (2 'y')",
  },
  {
    why: 'comments and quoted identifiers are not rows; a CTE before INSERT is kept',
    sql: 'WITH c AS (SELECT 1) INSERT INTO "T(x" VALUES (1) /* (2), */, -- (3)\n (4), (5)',
    reduced: 'WITH c AS (SELECT 1) INSERT INTO "T(x" VALUES (1)',
  },
  { why: 'every row differs', sql: 'INSERT INTO t VALUES (1), (now())', reduced: undefined },
  { why: 'INSERT … SELECT', sql: 'INSERT INTO t SELECT * FROM (VALUES (1), (2)) v', reduced: undefined },
  { why: 'DEFAULT VALUES', sql: 'INSERT INTO t DEFAULT VALUES', reduced: undefined },
  { why: 'not an INSERT', sql: 'SELECT * FROM (VALUES (1), (2)) v', reduced: undefined },
  { why: 'an unclosed row is left to the parser', sql: 'INSERT INTO t VALUES (1), (2', reduced: undefined },
];

test('reduceValuesList keeps the first row of each shape', () => {
  for (const { sql, reduced, why } of CASES) assert.equal(reduceValuesList(sql)?.text, reduced, why);
});

test('every index of the reduced text maps to the same character of the original', () => {
  for (const { sql, reduced } of CASES) {
    const result = reduceValuesList(sql);
    if (result === undefined || reduced === undefined) continue;
    for (let i = 0; i < result.text.length; i++) {
      const ch: string | undefined = result.text[i];
      // The `, ` and ` ` joiners are the reduction's own; every other character is the original's.
      const original: string | undefined = sql[result.toOriginal(i)];
      if (ch !== ',' && ch !== ' ') assert.equal(original, ch, `${sql} @${i}`);
    }
    assert.equal(result.toOriginal(result.text.length), sql.length, sql);
  }
});

test('row counts are reported', () => {
  const result = reduceValuesList(`INSERT INTO t VALUES ${Array.from({ length: 1000 }, (_, i) => `(${i}, 'v${i}')`).join(', ')}`);
  assert.deepEqual([result?.totalRows, result?.keptRows], [1000, 1]);
});

test('countTokens counts what the lexer sees and stops early', () => {
  const TOKENS: Array<[string, number]> = [
    ["SELECT a.b, 'it''s' FROM t -- c\n WHERE x >= $1 /* c /* n */ */", 12],
    ['SELECT $$a;b$$, $t$x$t$, E\'\\\'\', "q""q", 1.5e+3, 0x1F', 12],
    ['', 0],
  ];
  for (const [sql, count] of TOKENS) assert.equal(countTokens(sql), count, sql);
  assert.equal(countTokens('1,'.repeat(1000), 10), 11);
});
