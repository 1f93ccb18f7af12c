/** withTable: a parsed statement renamed to another table from its tree, nothing parsed again, offsets kept true. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser, quoteIdentifier, withTable } from '../../../src/core/sql/index.js';
import { one, rels } from './helpers.js';

before(() => loadSqlParser());

test('quoteIdentifier writes names as quote_ident does', () => {
  assert.deepEqual(['orders', 'order', 'Orders', 'a b', 'say"hi', 'value', 'user'].map(quoteIdentifier), [
    'orders',
    '"order"',
    '"Orders"',
    '"a b"',
    '"say""hi"',
    'value',
    '"user"',
  ]);
});

const cases: Array<[sql: string, placeholder: string, table: string, expected: string, relations: string[]]> = [
  [
    'SELECT * FROM tbl WHERE id = $1 FOR UPDATE',
    'tbl',
    'app.orders',
    'SELECT * FROM app.orders WHERE id = $1 FOR UPDATE',
    ['app.orders:RS:row-lock'],
  ],
  [
    'UPDATE "tbl" SET n = (SELECT max(n) FROM tbl t2) WHERE id IN (SELECT id FROM other)',
    'tbl',
    'order',
    'UPDATE "order" SET n = (SELECT max(n) FROM "order" t2) WHERE id IN (SELECT id FROM other)',
    ['order:RX:write-target', 'other:AS', 'order:AS'],
  ],
  ['DELETE FROM s.tbl WHERE id = 1', 's.tbl', 'public.Items', 'DELETE FROM public."Items" WHERE id = 1', ['public.Items:RX:write-target']],
  ['SELECT * FROM tbl JOIN s.tbl ON true', 'tbl', 'x', 'SELECT * FROM x JOIN s.tbl ON true', ['x:AS', 's.tbl:AS']],
];

for (const [sql, placeholder, table, expected, relations] of cases) {
  test(`withTable: ${sql} → ${table}`, () => {
    const statement = withTable(one(sql), placeholder, table);
    assert.equal(statement.sql, expected);
    assert.deepEqual(rels(statement), relations);
    for (const r of statement.relations) {
      const written = statement.sql.slice(r.offset);
      assert.ok(written.startsWith(quoteIdentifier(r.schema ?? r.name)), `offset of ${r.name} points at it: ${written}`);
    }
  });
}

test('withTable leaves the original statement as it was', () => {
  const original = one('SELECT * FROM tbl');
  withTable(original, 'tbl', 'other');
  assert.deepEqual(rels(original), ['tbl:AS']);
});
