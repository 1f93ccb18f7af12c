/** Splitting with UTF-16 offsets, parse errors as data, row-lock clauses, transaction and session statements. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import type { Statement } from '../../../src/core/statement.js';
import { one, rels } from './helpers.js';

before(() => loadSqlParser());

function all(text: string): Statement[] {
  const outcome = parseSql(text);
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.error.message);
  return outcome.statements;
}

test('several statements are split with offsets into the original text (non-ASCII and astral before them)', () => {
  const text = "SELECT 'überall ✓ 😀' FROM a;\n  UPDATE b SET v = ? WHERE id = :id;";
  const [first, second] = all(text);
  assert.equal(text.slice(first?.start, first?.end), "SELECT 'überall ✓ 😀' FROM a");
  assert.equal(text.slice(second?.start, second?.end), 'UPDATE b SET v = ? WHERE id = :id');
  assert.equal(second?.sql, 'UPDATE b SET v = $1 WHERE id = $2');
  assert.equal(second?.parameterCount, 2);
  assert.equal(first?.parameterCount, 0);
  const b = second?.relations[0];
  assert.equal(second?.sql.slice(b?.offset, (b?.offset ?? 0) + 1), 'b');
});

test('statement ranges leave out surrounding comments and whitespace', () => {
  const text = '/* head */ SELECT 1 -- one\n;\n-- lead\nSELECT 2 /* tail */;   \n\tSELECT 3';
  assert.deepEqual(
    all(text).map((s) => [s.sql, text.slice(s.start, s.end)]),
    [
      ['SELECT 1', 'SELECT 1'],
      ['SELECT 2', 'SELECT 2'],
      ['SELECT 3', 'SELECT 3'],
    ],
  );
});

test('placeholders are numbered per statement', () => {
  assert.deepEqual(
    all('SELECT ?; SELECT ?, ?; SELECT $3').map((s) => [s.sql, s.parameterCount]),
    [
      ['SELECT $1', 1],
      ['SELECT $1, $2', 2],
      ['SELECT $3', 3],
    ],
  );
});

test('an empty text or only comments gives no statements', () => {
  assert.deepEqual(all(''), []);
  assert.deepEqual(all('  -- nothing here\n/* still nothing */'), []);
});

const errors: Array<[text: string, message: RegExp, at: string, statement: string]> = [
  ["SELECT 'ä' FROM a;\nSELEC * FROM b", /syntax error at or near "SELEC"/, 'SELEC', 'SELEC * FROM b'],
  ["SELECT '😀😀' FROM a;\nSELECT * FROM b WHERE;\nSELECT 2", /syntax error at or near ";"/, ';', 'SELECT * FROM b WHERE'],
  ['SELECT * FROM t WHERE id = ? AND', /syntax error at end of input/, '', 'SELECT * FROM t WHERE id = ? AND'],
  ["SELECT 1; SELECT 'open", /unterminated quoted string/, "'open", "SELECT 1; SELECT 'open"],
];

for (const [text, message, at, statement] of errors) {
  test(`parse error: ${text.replace(/\n/g, '\\n')}`, () => {
    const outcome = parseSql(text);
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.match(outcome.error.message, message);
    assert.equal(text.slice(outcome.error.offset, outcome.error.offset + at.length), at);
    assert.equal(outcome.error.offset <= text.length, true);
    assert.equal(text.slice(outcome.error.start, outcome.error.end), statement);
  });
}

test('the statements around a broken one are still returned', () => {
  const outcome = parseSql('SELECT * FROM a;\nSELEC * FROM b;\nUPDATE c SET x = ?');
  assert.equal(outcome.ok, false);
  assert.deepEqual(
    outcome.statements.map((s) => [s.sql, rels(s)]),
    [
      ['SELECT * FROM a', ['a:AS']],
      ['UPDATE c SET x = $1', ['c:RX:write-target']],
    ],
  );
});

const rowLocks: Array<[sql: string, relations: string[], clauses: string[]]> = [
  ['SELECT * FROM a JOIN b ON true FOR UPDATE', ['a:RS:row-lock', 'b:RS:row-lock'], ['update/block/']],
  ['SELECT * FROM a JOIN b ON true FOR UPDATE OF b', ['a:AS', 'b:RS:row-lock'], ['update/block/b']],
  ['SELECT * FROM a x FOR SHARE OF x NOWAIT', ['a:RS:row-lock'], ['share/nowait/x']],
  ['SELECT * FROM a x FOR SHARE OF a', ['a:AS'], ['share/block/a']],
  [
    'SELECT * FROM a JOIN b ON true FOR NO KEY UPDATE OF a SKIP LOCKED FOR KEY SHARE OF b',
    ['a:RS:row-lock', 'b:RS:row-lock'],
    ['no-key-update/skip-locked/a', 'key-share/block/b'],
  ],
  // Pushed down into FROM subqueries (aliased or not), at any depth…
  ['SELECT * FROM (SELECT * FROM a) s FOR UPDATE', ['a:RS:row-lock'], ['update/block/']],
  [
    'SELECT * FROM (SELECT * FROM (SELECT * FROM deep) d2) d1, other FOR UPDATE OF d1',
    ['deep:RS:row-lock', 'other:AS'],
    ['update/block/d1'],
  ],
  // …but not into sublinks or CTEs.
  ['SELECT * FROM a WHERE id IN (SELECT id FROM b) FOR UPDATE', ['a:RS:row-lock', 'b:AS'], ['update/block/']],
  ['WITH c AS (SELECT * FROM incte) SELECT * FROM c, t FOR UPDATE', ['incte:AS', 't:RS:row-lock'], ['update/block/']],
  // A sublink's own clause locks its own FROM items.
  ['SELECT * FROM a WHERE id = (SELECT id FROM b FOR UPDATE SKIP LOCKED LIMIT 1)', ['a:AS', 'b:RS:row-lock'], ['update/skip-locked/']],
  ['UPDATE t SET x = 1 FROM u WHERE u.id = t.id', ['t:RX:write-target', 'u:AS'], []],
];

for (const [sql, relations, clauses] of rowLocks) {
  test(`row locks: ${sql}`, () => {
    const s = one(sql);
    assert.deepEqual(rels(s), relations);
    assert.deepEqual(
      s.rowLocks.map((c) => `${c.strength}/${c.waitPolicy}/${c.of.join(',')}`),
      clauses,
    );
  });
}

test('the row-lock reason names the clause', () => {
  assert.deepEqual(
    one('SELECT * FROM a, (SELECT * FROM b) s FOR NO KEY UPDATE').relations.map((r) => r.reason),
    ['FOR NO KEY UPDATE target', 'FOR NO KEY UPDATE target in a FROM subquery'],
  );
});

test('transaction control statements', () => {
  const s = all(
    'BEGIN; SAVEPOINT s1; RELEASE SAVEPOINT s1; ROLLBACK TO s1; COMMIT; START TRANSACTION; ROLLBACK; PREPARE TRANSACTION $$x$$',
  );
  assert.deepEqual(
    s.map((x) => [x.kind, x.command, x.details.transactionAction]),
    [
      ['transaction', 'BEGIN', 'begin'],
      ['transaction', 'SAVEPOINT', 'savepoint'],
      ['transaction', 'RELEASE', 'release'],
      ['transaction', 'ROLLBACK TO', 'rollback-to'],
      ['transaction', 'COMMIT', 'commit'],
      ['transaction', 'START TRANSACTION', 'begin'],
      ['transaction', 'ROLLBACK', 'rollback'],
      ['transaction', 'PREPARE TRANSACTION', 'prepare'],
    ],
  );
});

const sessionCases: Array<[sql: string, kind: string, details: Record<string, unknown>]> = [
  ["SET LOCAL lock_timeout = '2s'", 'utility', { setsLockTimeout: true }],
  ['SET lock_timeout TO 5000', 'utility', { setsLockTimeout: true }],
  ['SET lock_timeout = 0', 'utility', {}],
  ['SET statement_timeout = 1000', 'utility', {}],
  ["SELECT set_config('lock_timeout', '3s', true)", 'select', { setsLockTimeout: true, sequenceCalls: [] }],
  ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'utility', { transactionAction: 'set-transaction' }],
  ['DO $$ BEGIN BEGIN PERFORM 1; EXCEPTION WHEN others THEN NULL; END; END $$', 'utility', { opensSubtransaction: true }],
  ['DO $$ BEGIN PERFORM 1; END $$', 'utility', {}],
  [
    "DO LANGUAGE plpgsql 'BEGIN FOR i IN 1..3 LOOP BEGIN PERFORM 1; EXCEPTION WHEN unique_violation THEN NULL; END; END LOOP; END'",
    'utility',
    { opensSubtransaction: true },
  ],
  [
    'CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; EXCEPTION WHEN others THEN RAISE; END $$',
    'ddl',
    { ddlCommand: 'CREATE FUNCTION', opensSubtransaction: true },
  ],
  ["CREATE PROCEDURE p() LANGUAGE sql AS $$ SELECT 'exception when' $$", 'ddl', { ddlCommand: 'CREATE PROCEDURE' }],
  ['SHOW lock_timeout', 'utility', {}],
];

for (const [sql, kind, details] of sessionCases) {
  test(`session: ${sql}`, () => {
    const s = one(sql);
    assert.equal(s.kind, kind);
    assert.deepEqual(s.details, details);
  });
}

test('nextval/currval/setval literals are collected as written', () => {
  assert.deepEqual(one("SELECT nextval('app.seq'), currval('\"Seq\"'::regclass), setval('s', 1), nextval(x)").details.sequenceCalls, [
    'app.seq',
    '"Seq"',
    's',
  ]);
});

test('EXPLAIN takes the kind, command and row locks of the statement it explains', () => {
  const s = one('EXPLAIN (COSTS OFF) SELECT * FROM a FOR UPDATE');
  assert.deepEqual([s.kind, s.command, rels(s), s.rowLocks.length], ['select', 'SELECT', ['a:RS:row-lock'], 1]);
});
