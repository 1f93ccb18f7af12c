/** Every predicted lock carries its cause and owner as data, and the hover and the CLI group by them (not by prose). */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { planText } from '../../../src/cli/lock-report.js';
import type { Catalog, CatalogRelation } from '../../../src/core/catalog.js';
import { groupByOwner, type LockPlan } from '../../../src/core/lock-plan.js';
import { predictStatements } from '../../../src/core/predict/index.js';
import { groupByTable } from '../../../src/core/present/hover.js';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { relation } from '../../support/catalog-fixtures.js';

before(() => loadSqlParser());

/** hot (3 indexes, TOAST), ev (range-partitioned on k: ev_0, ev_1), v (a view over hot), parent with an inheritance child kid. */
function catalog(): Catalog {
  const rels: CatalogRelation[] = [];
  const add = (oid: number, name: string, kind: CatalogRelation['relkind'], extra: Partial<CatalogRelation> = {}): CatalogRelation => {
    const r = relation(oid, name, kind, extra);
    rels.push(r);
    return r;
  };
  const withIndexes = (table: CatalogRelation, oids: number[], kind: CatalogRelation['relkind'] = 'index'): void => {
    for (const oid of oids) {
      const index = add(oid, `${table.name}_i${oid}`, kind);
      table.indexes.push({
        oid,
        qualifiedName: index.qualifiedName,
        valid: true,
        unique: false,
        primary: false,
        columns: ['a'],
        predicate: undefined,
      });
    }
  };
  const column = (name: string): CatalogRelation['columns'][number] => ({
    name,
    typeName: 'integer',
    defaultExpr: undefined,
    identity: undefined,
    sequenceOid: undefined,
    toastable: false,
  });
  const hot = add(100, 'hot', 'table', { toastOid: 104, toastIndexOid: 105, columns: [column('a')] });
  withIndexes(hot, [101, 102, 103]);
  add(104, 'pg_toast_100', 'toast');
  add(105, 'pg_toast_100_index', 'index');
  const ev = add(110, 'ev', 'partitioned-table', { partitioning: { strategy: 'range', keyColumns: ['k'] }, columns: [column('k')] });
  withIndexes(ev, [111], 'partitioned-index');
  for (const [oid, from] of [
    [112, 0],
    [114, 10],
  ] as const) {
    const part = add(oid, `ev_${from}`, 'table', {
      partitionOf: 110,
      partitionBound: `FOR VALUES FROM (${from}) TO (${from + 10})`,
      columns: [column('k')],
    });
    withIndexes(part, [oid + 1]);
    ev.partitions.push(oid);
  }
  add(120, 'v', 'view', { viewDefinition: ' SELECT hot.a FROM hot;' });
  const parent = add(130, 'parent', 'table', { inheritanceChildren: [131] });
  withIndexes(add(131, 'kid', 'table'), [132]);
  void parent;
  return {
    profile: buildServerProfile('15.18', 150018, 64, 'server'),
    database: 'app',
    searchPath: ['public'],
    relations: new Map(rels.map((r) => [r.oid, r])),
    byName: new Map(rels.map((r) => [`${r.schema}.${r.name}`, r.oid])),
    loadedAt: 0,
  };
}

function plan(sql: string, cat = catalog()): LockPlan {
  const parsed = parseSql(sql);
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
  const prediction = predictStatements(parsed.statements, cat, { txn: false }).statements[0];
  assert.ok(prediction !== undefined && prediction.error === undefined, prediction?.error);
  return prediction;
}

const facts = (p: LockPlan): string[] =>
  p.locks.map(
    (l) =>
      `${l.relation.replace('public.', '')} ${l.cause}${l.owner === undefined ? '' : ` of ${l.owner.relation.replace('public.', '')}`}`,
  );

const cases: Array<[sql: string, locks: string[]]> = [
  [
    'SELECT * FROM hot',
    ['hot from-item', 'hot_i101 planner-index of hot', 'hot_i102 planner-index of hot', 'hot_i103 planner-index of hot'],
  ],
  [
    'SELECT * FROM hot FOR UPDATE',
    ['hot row-lock-target', 'hot_i101 planner-index of hot', 'hot_i102 planner-index of hot', 'hot_i103 planner-index of hot'],
  ],
  [
    'DELETE FROM hot',
    ['hot statement-target', 'hot_i101 planner-index of hot', 'hot_i102 planner-index of hot', 'hot_i103 planner-index of hot'],
  ],
  ['SELECT * FROM ev WHERE k = 5', ['ev from-item', 'ev_0 partition of ev', 'ev_0_i113 planner-index of ev_0']],
  [
    'SELECT * FROM v',
    [
      'v from-item',
      'hot view-base of v',
      'hot_i101 planner-index of hot',
      'hot_i102 planner-index of hot',
      'hot_i103 planner-index of hot',
    ],
  ],
  ['SELECT * FROM parent', ['parent from-item', 'kid inheritance-child of parent', 'kid_i132 planner-index of kid']],
  ['INSERT INTO ev (k) VALUES (12)', ['ev statement-target', 'ev_10 tuple-routing of ev']],
  [
    'TRUNCATE hot',
    [
      'hot ddl-target',
      'pg_toast_100 toast of hot',
      'hot ddl-companion',
      'hot_i101 ddl-companion of hot',
      'hot_i102 ddl-companion of hot',
      'hot_i103 ddl-companion of hot',
      'pg_toast_100 toast of hot',
      'pg_toast_100_index toast of hot',
    ],
  ],
  [
    'ALTER TABLE hot ALTER COLUMN a TYPE bigint',
    [
      'hot ddl-target',
      'hot ddl-companion',
      'hot_i101 ddl-companion of hot',
      'hot_i102 ddl-companion of hot',
      'hot_i103 ddl-companion of hot',
      'pg_toast_100 toast of hot',
      'pg_toast_100_index toast of hot',
      // The rewrite's new TOAST table and index, renamed to the old names.
      'pg_toast_100 toast of hot',
      'pg_toast_100 toast of hot',
      'pg_toast_100_index toast of hot',
      'pg_toast_100_index toast of hot',
    ],
  ],
];

for (const [sql, locks] of cases) {
  test(`cause and owner: ${sql}`, () => {
    assert.deepEqual(facts(plan(sql)), locks);
  });
}

test('the hover groups TRUNCATE under its table, not each index as a table of its own', () => {
  assert.deepEqual(
    groupByTable(plan('TRUNCATE hot')).map((g) => [g.table, g.locks.length]),
    [['public.hot', 8]],
  );
});

test('groups follow owners up: a partition’s index under the partitioned table, a view base under the view', () => {
  assert.deepEqual(
    groupByOwner(plan('SELECT * FROM ev WHERE k = 5').locks).map((g) => [g.owner.relation, g.locks.length]),
    [['public.ev', 3]],
  );
  assert.deepEqual(
    groupByOwner(plan('SELECT * FROM v').locks).map((g) => [g.owner.relation, g.locks.length]),
    [['public.v', 5]],
  );
  // A base relation the statement also names itself is a group of its own.
  assert.deepEqual(
    groupByOwner(plan('SELECT * FROM hot JOIN v ON true').locks).map((g) => g.owner.relation),
    ['public.hot', 'public.v'],
  );
});

test('the CLI folds the indexes TRUNCATE locks into one row of their table', () => {
  const text = planText(plan('TRUNCATE hot'));
  assert.match(text, /3 indexes of public\.hot +AccessExclusive/);
  assert.doesNotMatch(text, /hot_i101/);
});

test('the prediction works from the parse tree the statement carries, not from its text', () => {
  const parsed = parseSql('SELECT * FROM v');
  assert.ok(parsed.ok);
  const [statement] = parsed.statements;
  assert.ok(statement !== undefined);
  const cat = catalog();
  const fromTree = predictStatements([{ ...statement, sql: 'this text is not parsed again' }], cat, { txn: false }).statements[0];
  assert.equal(fromTree?.error, undefined);
  assert.deepEqual(facts(fromTree as LockPlan), facts(plan('SELECT * FROM v', cat)));
});
