/**
 * Seeded fuzz of malformed inputs (#11, #18): 5,000 SQL texts through the parser and the statement splitter and 500
 * source files (Python, Ruby, TypeScript, Go) through the scanner. Nothing may throw, no input may take 10 s, and a
 * SQL text either parses or comes back as a typed StatementError (what the CLI turns into exit 2).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { scanFile } from '../../src/core/scan/registry.js';
import { loadSqlParser, parseSql } from '../../src/core/sql/index.js';
import { statementRanges } from '../../src/core/sql/statement-boundaries.js';
import { Random } from '../fuzz/random.js';
import { loadTestGrammars } from '../support/grammars.js';

const SEED = Number(process.env['LOCKSCOPE_FUZZ_SEED'] ?? 20261203);
const HANG_MS = 10_000;

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const SQL_SEEDS = [
  "UPDATE accounts SET balance = balance - 1 WHERE id = $1 AND note = 'it''s';",
  "SELECT * FROM t WHERE doc ? 'k' AND id = :id AND v = %s AND w = %(name)s;",
  'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END;',
  "DO $$ BEGIN PERFORM 1; END $$; SELECT E'\\'';",
  'BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; ALTER TABLE t ADD COLUMN c int; COMMIT;',
  'WITH x AS (DELETE FROM t RETURNING *) INSERT INTO u SELECT * FROM x ON CONFLICT (id) DO NOTHING;',
  'SELECT "quoted;name", $tag$ body ; $tag$ FROM t /* c /* nested */ */ -- tail',
];
/** Fragments that break lexers: unterminated literals and comments, stray quotes, dollars, NULs, BOMs, surrogates. */
const SQL_NOISE = [
  "'",
  '"',
  '$$',
  '$a$',
  '/*',
  '*/',
  '--',
  ';',
  '(',
  ')',
  '\\',
  "E'",
  '\u0000',
  '\uFEFF',
  '\uD800',
  '?',
  ':',
  '::',
  '%',
  '$1',
  '$99999999999',
  'BEGIN',
  'END',
  'CASE',
  '\n',
];

function mutate(random: Random, seed: string, noise: readonly string[]): string {
  let text = seed;
  const edits = random.int(1, 6);
  for (let e = 0; e < edits; e++) {
    const at = random.int(0, text.length);
    switch (random.int(0, 4)) {
      case 0:
        text = text.slice(0, at) + random.pick(noise) + text.slice(at);
        break;
      case 1:
        text = text.slice(0, at); // truncated mid-token
        break;
      case 2:
        text = text.slice(0, at) + text.slice(Math.min(text.length, at + random.int(1, 8)));
        break;
      case 3:
        text = text.repeat(random.int(1, 3));
        break;
      default:
        text = text.slice(0, at) + String.fromCharCode(random.int(0, 0xffff)) + text.slice(at);
    }
  }
  return text;
}

test('5,000 malformed SQL texts: no crash, no hang, only parses or typed errors', () => {
  const random = new Random(SEED);
  let slowest = 0;
  let errors = 0;
  for (let i = 0; i < 5000; i++) {
    const text = mutate(random, random.pick(SQL_SEEDS), SQL_NOISE);
    const started = performance.now();
    const ranges = statementRanges(text);
    const outcome = parseSql(text);
    const ms = performance.now() - started;
    slowest = Math.max(slowest, ms);
    assert.ok(ms < HANG_MS, `input ${i} took ${ms.toFixed(0)} ms: ${JSON.stringify(text)}`);
    for (const r of ranges) assert.ok(r.start <= r.end && r.end <= text.length, `input ${i}: bad range`);
    if (!outcome.ok) {
      errors++;
      assert.equal(typeof outcome.error.message, 'string', `input ${i}`);
      assert.ok(
        outcome.error.start <= outcome.error.end && outcome.error.offset <= text.length,
        `input ${i}: ${JSON.stringify(outcome.error)}`,
      );
    }
    for (const s of outcome.statements) assert.ok(s.start <= s.end && s.end <= text.length, `input ${i}: statement range`);
  }
  assert.ok(errors > 1000, `only ${errors} of 5,000 were malformed: the fuzz does not break enough`);
});

const SOURCE_SEEDS: Array<{ file: string; text: string }> = [
  {
    file: 'app.py',
    text: 'with conn.transaction():\n    cur.execute("UPDATE t SET a = %s", (1,))\n    for x in xs:\n        Model.objects.filter(id=x).update(v=1)\n',
  },
  {
    file: 'app.rb',
    text: 'ActiveRecord::Base.transaction do\n  User.where(id: 1).update_all(v: 1)\n  conn.execute("DELETE FROM t")\nend\n',
  },
  {
    file: 'app.ts',
    text: 'await db.transaction(async (tx) => {\n  await tx.query("UPDATE t SET a = $1", [1]);\n  for (const x of xs) await prisma.user.update({ where: { id: x }, data: {} });\n});\n',
  },
  { file: 'app.go', text: 'func f(db *sql.DB) {\n\ttx, _ := db.Begin()\n\ttx.Exec("UPDATE t SET a = $1", 1)\n\ttx.Commit()\n}\n' },
];
const SOURCE_NOISE = [
  '"',
  "'",
  '`',
  '${',
  '{',
  '}',
  '(',
  ')',
  '"""',
  '#',
  '//',
  '/*',
  'do',
  'end',
  '\u0000',
  '\n',
  ':',
  'async (tx) => {',
  'with conn.transaction():\n',
];

test('500 malformed source files: the scanner neither throws nor hangs', () => {
  const random = new Random(SEED + 1);
  for (let i = 0; i < 500; i++) {
    const seed = SOURCE_SEEDS[i % SOURCE_SEEDS.length]!;
    const text = mutate(random, seed.text, SOURCE_NOISE);
    const started = performance.now();
    assert.doesNotThrow(() => scanFile(seed.file, text), `file ${i} (${seed.file}): ${JSON.stringify(text)}`);
    const ms = performance.now() - started;
    assert.ok(ms < HANG_MS, `file ${i} took ${ms.toFixed(0)} ms`);
  }
});
