/**
 * A Django project (two apps, models only, no migrations): discovered with no configuration, its models translated as
 * `manage.py migrate` creates the tables, loaded into PGlite, it predicts the same lock sets as the schema Django 3.2's
 * migrate really created (pg_dump -s, equivalents/django.sql) — the hot store_order table with 21 indexes (db_index,
 * `_like`, unique, unique_together, index_together, Meta.indexes, a conditional UniqueConstraint), foreign keys to the
 * custom user model, the auto-created many-to-many table and multi-table inheritance; the unmanaged model is listed.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { DISCOVERY_FIXTURES, lockSetsFromFile, lockSetsFromRepository } from '../support/discovered-locks.js';

const STATEMENTS = [
  'SELECT * FROM store_order WHERE id = 1',
  "UPDATE store_order SET status = 'paid' WHERE id = 1",
  "INSERT INTO store_orderitem (order_id, sku, quantity, price) VALUES (1, 'a', 1, 2)",
  'DELETE FROM store_order WHERE id = 1',
  'INSERT INTO store_order_tags (order_id, tag_id) VALUES (1, 2)',
  'SELECT * FROM store_giftorder JOIN store_order ON store_order.id = store_giftorder.order_ptr_id',
  "UPDATE accounts_account SET email = 'x' WHERE id = 1",
  'DELETE FROM accounts_account WHERE id = 1',
  "INSERT INTO accounts_profile (account_id, bio) VALUES (1, '')",
];

test('django: models are discovered, translated and predict the same locks as the schema migrate created', async () => {
  const reference = await lockSetsFromFile(join(DISCOVERY_FIXTURES, 'equivalents', 'django.sql'), STATEMENTS);
  const { found, sets, skipped } = await lockSetsFromRepository(join(DISCOVERY_FIXTURES, 'django'), STATEMENTS);
  assert.equal(found.schema.kind, 'django-models');
  assert.equal(skipped, 0);
  assert.deepEqual(
    found.translated.untranslated.map((u) => `${u.file}:${u.line} ${u.reason}`),
    ['accounts/models.py:32 AccountReport: managed = False, Django creates no table for it'],
  );
  const select = reference['SELECT * FROM store_order WHERE id = 1'] ?? [];
  assert.equal(select.filter((l) => /^public\.\w+ AccessShareLock$/.test(l)).length, 22, select.join('\n'));
  assert.deepEqual(sets, reference);
});
