/** splitQualifiedName inverts format('%I.%I', schema, name): bare parts, quoted parts with dots and doubled quotes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitQualifiedName } from '../../../src/db/catalog-decode.js';

// Left: what PostgreSQL's format('%I.%I', schema, name) writes (checked on PostgreSQL 15); right: the two parts.
const CASES: Array<[string, [string, string]]> = [
  ['public.orders', ['public', 'orders']],
  ['pg_catalog.pg_class', ['pg_catalog', 'pg_class']],
  ['public."Orders"', ['public', 'Orders']],
  ['public."select"', ['public', 'select']],
  ['"My.Schema".orders', ['My.Schema', 'orders']],
  ['"My.Schema"."we""ird.Name"', ['My.Schema', 'we"ird.Name']],
  ['"a""".""""', ['a"', '"']],
  ['s."x y"', ['s', 'x y']],
  ['"ünï"."..."', ['ünï', '...']],
];

for (const [qualified, parts] of CASES) {
  test(`splitQualifiedName: ${qualified}`, () => {
    assert.deepEqual(splitQualifiedName(qualified), parts);
  });
}

test('an unterminated quoted name is an error, not a guess', () => {
  assert.throws(() => splitQualifiedName('"open.name'), /Unterminated quoted name/);
});
