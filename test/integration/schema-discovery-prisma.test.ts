/**
 * A Prisma app, twice: with its migrations (replayed in folder order) and with only schema.prisma (translated as
 * Prisma Migrate would). Both, found with no configuration, predict the same lock sets as the hand-written
 * structure.sql: the 20-index hot orders table, relation foreign keys, the implicit many-to-many table.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DISCOVERY_FIXTURES, lockSetsFromFile, lockSetsFromRepository, type LockSets } from '../support/discovered-locks.js';

const STATEMENTS = [
  'SELECT * FROM orders WHERE id = 1',
  "UPDATE orders SET status = 'PAID' WHERE id = 1",
  "INSERT INTO order_items (id, order_id, sku, price) VALUES (gen_random_uuid(), 1, 'a', 1)",
  'DELETE FROM orders WHERE id = 1',
  'INSERT INTO "_OrderToTag" ("A", "B") VALUES (1, 2)',
  'DELETE FROM accounts WHERE id = 1',
];

let reference: LockSets;

before(async () => {
  reference = await lockSetsFromFile(join(DISCOVERY_FIXTURES, 'equivalents', 'prisma.sql'), STATEMENTS);
});

test('the reference: one SELECT on orders opens the table and its 20 indexes', () => {
  const select = reference['SELECT * FROM orders WHERE id = 1'] ?? [];
  assert.equal(select.filter((l) => /^public\.orders(_\w+)? AccessShareLock$/.test(l)).length, 21, select.join('\n'));
});

for (const row of [
  { repo: 'prisma-migrations', kind: 'prisma-migrations' },
  { repo: 'prisma-schema', kind: 'prisma-schema' },
]) {
  test(`${row.repo}: discovered as ${row.kind}, same lock sets as structure.sql`, async () => {
    const { found, sets, skipped } = await lockSetsFromRepository(join(DISCOVERY_FIXTURES, row.repo), STATEMENTS);
    assert.equal(found.schema.kind, row.kind);
    assert.equal(skipped, 0);
    assert.deepEqual(found.translated.untranslated, []);
    assert.deepEqual(sets, reference);
  });
}

test('prisma-trgm: schema.prisma alone with pg_trgm operator classes and no declared extension loads, the GIN/GiST indexes included', async () => {
  const select = 'SELECT * FROM "Document" WHERE id = 1';
  const { found, sets, skipped } = await lockSetsFromRepository(join(DISCOVERY_FIXTURES, 'prisma-trgm'), [select]);
  assert.equal(found.schema.kind, 'prisma-schema');
  assert.equal(skipped, 0);
  assert.deepEqual(found.translated.untranslated, []);
  assert.deepEqual(sets[select], [
    'public."Document" AccessShareLock',
    'public."Document_ownerId_idx" AccessShareLock',
    'public."Document_pkey" AccessShareLock',
    'public.document_body_trgm_idx AccessShareLock',
    'public.document_title_trgm_idx AccessShareLock',
  ]);
});
