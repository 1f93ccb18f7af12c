/** Partition bound parsing and the keep/prune decision for constant restrictions, table-driven. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  boundAdmits,
  compareValues,
  parsePartitionBound,
  temporalValue,
  type KeyRestriction,
} from '../../../src/core/predict/partition-bounds.js';

test('bound texts as pg_get_expr prints them', () => {
  const rows: Array<[string, unknown]> = [
    ['DEFAULT', { kind: 'default' }],
    [
      'FOR VALUES IN (1, 2)',
      {
        kind: 'list',
        values: [
          { kind: 'number', value: 1n },
          { kind: 'number', value: 2n },
        ],
      },
    ],
    [
      "FOR VALUES IN ('a', 'it''s, ok')",
      {
        kind: 'list',
        values: [
          { kind: 'string', value: 'a' },
          { kind: 'string', value: "it's, ok" },
        ],
      },
    ],
    ['FOR VALUES IN (NULL)', { kind: 'list', values: [{ kind: 'null' }] }],
    ['FOR VALUES FROM (0) TO (100)', { kind: 'range', from: [{ kind: 'number', value: 0n }], to: [{ kind: 'number', value: 100n }] }],
    ['FOR VALUES FROM (MINVALUE) TO (10)', { kind: 'range', from: [{ kind: 'minvalue' }], to: [{ kind: 'number', value: 10n }] }],
    [
      "FOR VALUES FROM ('2026-01-01 00:00:00+00') TO ('2026-02-01 00:00:00+00')",
      {
        kind: 'range',
        from: [{ kind: 'string', value: '2026-01-01 00:00:00+00' }],
        to: [{ kind: 'string', value: '2026-02-01 00:00:00+00' }],
      },
    ],
    ['FOR VALUES WITH (modulus 4, remainder 3)', { kind: 'hash', modulus: 4, remainder: 3 }],
  ];
  for (const [text, expected] of rows) assert.deepEqual(parsePartitionBound(text), expected, text);
});

test('dates compare as instants, not as text', () => {
  assert.equal(temporalValue('2026-03-01'), temporalValue('2026-03-01 00:00:00+00'));
  assert.equal(temporalValue('2026-03-01 02:00:00+02'), temporalValue('2026-03-01'));
  assert.equal(compareValues({ kind: 'string', value: '2026-03-01' }, { kind: 'string', value: '2026-03-01 00:00:00+00' }), 0);
  assert.equal(temporalValue('not a date'), undefined);
});

const range = parsePartitionBound('FOR VALUES FROM (100) TO (200)');
const list = parsePartitionBound("FOR VALUES IN ('eu', 'uk')");
const n = (value: number) => ({ kind: 'number' as const, value: BigInt(value) });

test('range partitions kept or pruned per restriction (Postgres does not assume discrete types)', () => {
  const rows: Array<[KeyRestriction[], boolean]> = [
    [[{ op: '=', value: n(150) }], true],
    [[{ op: '=', value: n(200) }], false],
    [[{ op: '=', value: n(100) }], true],
    [[{ op: '<', value: n(100) }], false],
    [[{ op: '<=', value: n(100) }], true],
    [[{ op: '>', value: n(199) }], true],
    [[{ op: '>=', value: n(200) }], false],
    [[{ op: 'in', values: [n(5), n(150)] }], true],
    [[{ op: 'in', values: [n(5), n(250)] }], false],
    [
      [
        { op: '>=', value: n(120) },
        { op: '<', value: n(130) },
      ],
      true,
    ],
    [
      [
        { op: '>=', value: n(300) },
        { op: '<', value: n(400) },
      ],
      false,
    ],
    [[{ op: 'is-null' }], false],
  ];
  for (const [restrictions, kept] of rows)
    assert.equal(
      boundAdmits(range, restrictions),
      kept,
      JSON.stringify(restrictions, (_k, v) => (typeof v === 'bigint' ? Number(v) : v)),
    );
});

test('list partitions kept or pruned per restriction', () => {
  const rows: Array<[KeyRestriction[], boolean]> = [
    [[{ op: '=', value: { kind: 'string', value: 'eu' } }], true],
    [[{ op: '=', value: { kind: 'string', value: 'us' } }], false],
    [
      [
        {
          op: 'in',
          values: [
            { kind: 'string', value: 'us' },
            { kind: 'string', value: 'uk' },
          ],
        },
      ],
      true,
    ],
    [[{ op: 'is-null' }], false],
  ];
  for (const [restrictions, kept] of rows) assert.equal(boundAdmits(list, restrictions), kept, JSON.stringify(restrictions));
});
