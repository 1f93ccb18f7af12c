/**
 * Our hash-partition routing agrees with PostgreSQL's for int2/int4/int8, boolean, date, timestamp, timestamptz,
 * text, varchar, uuid, numeric and enum keys: checked row by row against tableoid on PostgreSQL 15 and PGlite 18 (keys
 * read back as text and read as the key's type, enum labels with their OIDs from pg_enum).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bareRelation, type CatalogEnumLabel, type CatalogRelation } from '../../src/core/catalog.js';
import { hashPartitionFor } from '../../src/core/predict/hash-partition.js';
import { openTarget, type FuzzTarget, type TargetName } from '../fuzz/differential.js';

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

const LABELS = Array.from({ length: 40 }, (_, i) => `'m${String((i * 17) % 40).padStart(2, '0')}'`).join(', ');

const cases: Array<{ type: string; moduli: number[]; remainders: number[]; values: string; min: number; setup?: string }> = [
  { type: 'integer', moduli: [4, 4, 4, 4], remainders: [0, 1, 2, 3], values: 'generate_series(-500, 500)', min: 1000 },
  {
    type: 'bigint',
    moduli: [8, 8, 8, 8, 8, 8, 8, 8],
    remainders: [0, 1, 2, 3, 4, 5, 6, 7],
    values:
      '(SELECT g * 4294967311 FROM generate_series(-200, 200) g UNION ALL SELECT 9223372036854775807 UNION ALL SELECT -9223372036854775808)',
    min: 400,
  },
  { type: 'smallint', moduli: [3, 3, 3], remainders: [0, 1, 2], values: 'generate_series(-300, 300)', min: 600 },
  // Mixed moduli: remainder r of modulus m owns every row whose hash % m == r.
  { type: 'integer', moduli: [2, 4, 4], remainders: [0, 1, 3], values: 'generate_series(0, 400)', min: 400 },
  { type: 'boolean', moduli: [3, 3, 3], remainders: [0, 1, 2], values: '(VALUES (true), (false))', min: 2 },
  {
    type: 'date',
    moduli: [5, 5, 5, 5, 5],
    remainders: [0, 1, 2, 3, 4],
    values: "generate_series('1990-01-01'::date, '2040-01-01', '17 days')",
    min: 1000,
  },
  {
    type: 'timestamp',
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: "generate_series('1999-12-30 23:00'::timestamp, '2031-01-01', '7 days 3 hours 17 minutes 11 seconds')",
    min: 1000,
  },
  {
    type: 'timestamptz',
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: "generate_series('1999-12-30 23:00+00'::timestamptz, '2031-01-01+00', '7 days 3 hours 17 minutes 11 seconds')",
    min: 1000,
  },
  // Lengths 0–40 cover every tail length of lookup3's 12-byte blocks; multi-byte UTF-8 too.
  {
    type: 'text',
    moduli: [5, 5, 5, 5, 5],
    remainders: [0, 1, 2, 3, 4],
    values: "(SELECT left(repeat(md5(g::text) || 'zürich✓', 2), g % 41) FROM generate_series(1, 600) g)",
    min: 500,
  },
  {
    type: 'varchar(40)',
    moduli: [3, 3, 3],
    remainders: [0, 1, 2],
    values: "(SELECT 'v' || g FROM generate_series(-200, 200) g)",
    min: 400,
  },
  {
    type: 'uuid',
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: '(SELECT md5(g::text)::uuid FROM generate_series(1, 500) g)',
    min: 500,
  },
  {
    type: 'numeric',
    moduli: [6, 6, 6, 6, 6, 6],
    remainders: [0, 1, 2, 3, 4, 5],
    values: '(SELECT (g * 37.125 - 4000)::numeric / 8 FROM generate_series(0, 600) g UNION ALL VALUES (0), (0.00001), (123456789012.5))',
    min: 600,
  },
  {
    type: 'mood',
    setup: `CREATE TYPE mood AS ENUM (${LABELS}); ALTER TYPE mood ADD VALUE 'm99' BEFORE 'm17'`,
    moduli: [4, 4, 4, 4],
    remainders: [0, 1, 2, 3],
    values: '(SELECT unnest(enum_range(NULL::mood)))',
    min: 41,
  },
];

for (const name of ['pg15', 'pg18'] as TargetName[]) {
  describe(`hash routing on ${name}`, () => {
    let target: FuzzTarget;
    before(async () => {
      target = await openTarget(name);
      await target.session.query('DROP SCHEMA IF EXISTS hr CASCADE');
      await target.session.query('CREATE SCHEMA hr');
      await target.session.query('SET search_path = hr');
    });
    after(() => target?.close());
    for (const [i, c] of cases.entries()) {
      test(`hash routing of ${c.type} keys matches PostgreSQL (moduli ${c.moduli.join(',')})`, async () => {
        const table = `h${i}`;
        if (c.setup !== undefined) for (const sql of c.setup.split('; ')) await target.session.query(sql);
        await target.session.query(`CREATE TABLE ${table} (k ${c.type}) PARTITION BY HASH (k)`);
        const parts: CatalogRelation[] = [];
        for (const [j, m] of c.moduli.entries()) {
          const bound = `FOR VALUES WITH (modulus ${m}, remainder ${c.remainders[j]})`;
          await target.session.query(`CREATE TABLE ${table}_${j} PARTITION OF ${table} ${bound}`);
          parts.push(partition(`${table}_${j}`, bound));
        }
        await target.session.query(`INSERT INTO ${table} SELECT v::${c.type} FROM ${c.values} AS v(v)`);
        const enumLabels =
          c.setup === undefined
            ? null
            : (
                await target.session.query<{ oid: number; label: string; sort: number }>(
                  `SELECT oid::int8 AS oid, enumlabel AS label, enumsortorder AS sort FROM pg_enum WHERE enumtypid = '${c.type}'::regtype ORDER BY enumsortorder`,
                )
              ).map((l): CatalogEnumLabel => ({ oid: Number(l.oid), label: l.label, sortOrder: Number(l.sort) }));
        const rows = await target.session.query<{ k: string; part: string }>(
          `SELECT k::text AS k, tableoid::regclass::text AS part FROM ${table}`,
        );
        assert.ok(rows.length >= c.min, `${rows.length} rows`);
        for (const row of rows) {
          const predicted = hashPartitionFor(parts, { kind: 'string', value: row.k }, c.type, { enumLabels, deterministic: true });
          assert.equal(predicted?.name, row.part, `key ${row.k}`);
        }
      });
    }
  });
}
