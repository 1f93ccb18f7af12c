/**
 * Our hash-partition routing agrees with PostgreSQL's for int2/int4/int8, boolean, date, timestamp and timestamptz keys:
 * checked row by row against tableoid (non-integer keys as psql prints them, read as the key's type).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { bareRelation, type CatalogRelation } from '../../src/core/catalog.js';
import { hashPartitionFor } from '../../src/core/predict/hash-partition.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
before(async () => {
  cluster = await startCluster();
});
after(() => cluster?.stop());

function partition(name: string, bound: string): CatalogRelation {
  const bare = bareRelation({
    oid: 0,
    schema: 'public',
    name,
    qualifiedName: `public.${name}`,
    relkind: 'table',
    shared: false,
    temporary: false,
  });
  return { ...bare, partitionBound: bound };
}

const cases: Array<{ type: string; moduli: number[]; remainders: number[]; values: string; text?: boolean }> = [
  { type: 'integer', moduli: [4, 4, 4, 4], remainders: [0, 1, 2, 3], values: 'generate_series(-500, 500)' },
  {
    type: 'bigint',
    moduli: [8, 8, 8, 8, 8, 8, 8, 8],
    remainders: [0, 1, 2, 3, 4, 5, 6, 7],
    values:
      '(SELECT g * 4294967311 FROM generate_series(-200, 200) g UNION ALL SELECT 9223372036854775807 UNION ALL SELECT -9223372036854775808)',
  },
  { type: 'smallint', moduli: [3, 3, 3], remainders: [0, 1, 2], values: 'generate_series(-300, 300)' },
  // Mixed moduli: remainder r of modulus m owns every row whose hash % m == r.
  { type: 'integer', moduli: [2, 4, 4], remainders: [0, 1, 3], values: 'generate_series(0, 400)' },
  { type: 'boolean', moduli: [3, 3, 3], remainders: [0, 1, 2], values: '(VALUES (true), (false))', text: true },
  {
    type: 'date',
    moduli: [5, 5, 5, 5, 5],
    remainders: [0, 1, 2, 3, 4],
    values: "generate_series('1990-01-01'::date, '2040-01-01', '17 days')",
    text: true,
  },
  {
    type: 'timestamp',
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: "generate_series('1999-12-30 23:00'::timestamp, '2031-01-01', '7 days 3 hours 17 minutes 11 seconds')",
    text: true,
  },
  {
    type: 'timestamptz',
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: "generate_series('1999-12-30 23:00+00'::timestamptz, '2031-01-01+00', '7 days 3 hours 17 minutes 11 seconds')",
    text: true,
  },
];

for (const [i, c] of cases.entries()) {
  test(`hash routing of ${c.type} keys matches PostgreSQL (moduli ${c.moduli.join(',')})`, () => {
    const table = `h${i}`;
    const remainders = c.remainders;
    const ddl = [`CREATE TABLE ${table} (k ${c.type}) PARTITION BY HASH (k);`];
    const parts = c.moduli.map((m, j) => {
      const bound = `FOR VALUES WITH (modulus ${m}, remainder ${remainders[j]})`;
      ddl.push(`CREATE TABLE ${table}_${j} PARTITION OF ${table} ${bound};`);
      return partition(`${table}_${j}`, bound);
    });
    ddl.push(`INSERT INTO ${table} SELECT v::${c.type} FROM ${c.values} AS v(v);`);
    cluster.psql(ddl.join('\n'));
    const rows = cluster.psql(`SELECT k, tableoid::regclass FROM ${table}`).trim().split('\n');
    assert.ok(rows.length > (c.text === true && c.type === 'boolean' ? 1 : 100));
    let checked = 0;
    for (const row of rows) {
      const [k, part] = row.split('|');
      const value = c.text === true ? { kind: 'string' as const, value: k ?? '' } : { kind: 'number' as const, value: BigInt(k ?? '0') };
      const predicted = hashPartitionFor(parts, value, c.type);
      assert.equal(predicted?.name, part, `key ${k}`);
      checked++;
    }
    assert.equal(checked, rows.length);
  });
}
