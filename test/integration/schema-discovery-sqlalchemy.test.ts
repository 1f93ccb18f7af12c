/**
 * A SQLAlchemy 2.0 app (models only, no migrations): discovered with no configuration, its models translated as
 * metadata.create_all() would create them and loaded into PGlite, it predicts the same lock sets as the hand-written
 * structure.sql — the hot orders table with 21 indexes, its foreign keys, the m2m Table, joined inheritance.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DISCOVERY_FIXTURES, lockSetsFromFile, lockSetsFromRepository } from '../support/discovered-locks.js';

const STATEMENTS = [
  'SELECT * FROM orders WHERE id = 1',
  "UPDATE orders SET status = 'paid' WHERE id = 1",
  "INSERT INTO order_items (order_id, sku) VALUES (1, 'a')",
  'DELETE FROM orders WHERE id = 1',
  'INSERT INTO order_tags (order_id, tag_id) VALUES (1, 2)',
  'SELECT * FROM gift_orders JOIN orders USING (id)',
];

test('sqlalchemy: models are discovered, translated and predict the same locks as their structure.sql', async () => {
  const reference = await lockSetsFromFile(join(DISCOVERY_FIXTURES, 'equivalents', 'sqlalchemy.sql'), STATEMENTS);
  const { found, sets, skipped } = await lockSetsFromRepository(join(DISCOVERY_FIXTURES, 'sqlalchemy'), STATEMENTS);
  assert.equal(found.schema.kind, 'sqlalchemy-models');
  assert.equal(skipped, 0);
  assert.deepEqual(found.translated.untranslated, []);
  const select = reference['SELECT * FROM orders WHERE id = 1'] ?? [];
  assert.equal(select.filter((l) => /^public\.\w+ AccessShareLock$/.test(l)).length, 22, select.join('\n'));
  assert.deepEqual(sets, reference);
});
