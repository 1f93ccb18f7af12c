/** nextval, setval and inserts into serial/identity columns pass with a warning that the sequence is not rolled back. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { decide } from './harness.js';
import type { Catalog } from '../../../src/core/catalog.js';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { relation } from '../../support/catalog-fixtures.js';

/** public.orders has a serial id; public.notes has no sequence-fed column. */
function catalog(): Catalog {
  const column = (name: string, sequenceOid: number | undefined) => ({
    name,
    defaultExpr: sequenceOid === undefined ? undefined : "nextval('orders_id_seq'::regclass)",
    identity: undefined,
    sequenceOid,
    toastable: false,
  });
  const rels = [
    relation(10, 'orders', 'table', { columns: [column('id', 11), column('v', undefined)] }),
    relation(11, 'orders_id_seq', 'sequence'),
    relation(20, 'notes', 'table', { columns: [column('body', undefined)] }),
  ];
  return {
    profile: buildServerProfile('15.18', 150018, 64, 'server'),
    database: 'app',
    searchPath: ['public'],
    relations: new Map(rels.map((r) => [r.oid, r])),
    byName: new Map(rels.map((r) => [`${r.schema}.${r.name}`, r.oid])),
    loadedAt: 0,
  };
}

before(() => loadSqlParser());

test('sequence functions and inserts warn (no catalog: every insert)', () => {
  const rows: Array<[string, RegExp | undefined]> = [
    ["SELECT nextval('t_id_seq')", /nextval\(\) advances a sequence/],
    ["SELECT setval('t_id_seq', 1)", /setval\(\) sets a sequence/],
    ["INSERT INTO t (v) VALUES ('x')", /inserting into t advances the sequences/],
    ['WITH n AS (INSERT INTO app.t (v) VALUES (1) RETURNING id) SELECT * FROM n', /inserting into app.t/],
    ['COPY t FROM STDIN', /inserting into t/],
    ['SELECT 1', undefined],
    ['UPDATE t SET v = 1', undefined],
  ];
  for (const [sql, warning] of rows) {
    const { outcome, warnings } = decide(sql);
    assert.equal(outcome, 'allowed', sql);
    if (warning === undefined) assert.deepEqual(warnings, [], sql);
    else {
      assert.equal(warnings.length, 1, `${sql}: ${warnings.join(' | ')}`);
      assert.match(warnings[0] ?? '', warning);
      assert.ok(warnings[0]?.includes(sql.slice(0, 30)), 'the warning names the statement');
    }
  }
});

test('with a catalog: only inserts into sequence-fed columns warn, naming the columns', () => {
  const cat = catalog();
  const serial = decide('INSERT INTO orders (v) VALUES (1)', { catalog: cat });
  assert.deepEqual(serial.warnings.length, 1);
  assert.match(serial.warnings[0] ?? '', /advances the sequence of id/);
  assert.deepEqual(decide("INSERT INTO notes VALUES ('x')", { catalog: cat }).warnings, []);
  assert.equal(
    decide('MERGE INTO orders o USING notes n ON false WHEN NOT MATCHED THEN INSERT (v) VALUES (1)', { catalog: cat }).warnings.length,
    1,
  );
});
