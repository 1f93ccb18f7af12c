/**
 * Every SQL-migration fixture repository (golang-migrate, dbmate, Flyway, goose, sqitch, numbered files), found with no
 * configuration and replayed up-only into PGlite, predicts the same lock sets as the hand-written structure.sql:
 * the 20-index hot table, its foreign keys and the partitioned table.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { DISCOVERY_FIXTURES, lockSetsFromFile, lockSetsFromRepository, type LockSets } from '../support/discovered-locks.js';

const STATEMENTS = [
  'SELECT * FROM orders WHERE id = 1',
  "UPDATE orders SET status = 'paid' WHERE id = 1",
  "INSERT INTO order_items (order_id, sku) VALUES (1, 'a')",
  'DELETE FROM accounts WHERE id = 1',
  'SELECT count(*) FROM events',
];

let reference: LockSets;

before(async () => {
  reference = await lockSetsFromFile(join(DISCOVERY_FIXTURES, 'structure-sql', 'db', 'structure.sql'), STATEMENTS);
});

test('the reference has the hot table: 20 indexes of orders in one SELECT, both partitions of events', () => {
  const select = reference['SELECT * FROM orders WHERE id = 1'] ?? [];
  assert.equal(select.filter((l) => /^public\.orders(_\w+)? AccessShareLock$/.test(l)).length, 21, select.join('\n'));
  assert.ok((reference['SELECT count(*) FROM events'] ?? []).includes('public.events_2026 AccessShareLock'));
});

for (const repo of ['structure-sql', 'golang-migrate', 'dbmate', 'flyway', 'goose', 'sqitch', 'numbered']) {
  test(`${repo}: discovered and replayed, same lock sets as structure.sql`, async () => {
    const { sets, skipped } = await lockSetsFromRepository(join(DISCOVERY_FIXTURES, repo), STATEMENTS);
    assert.equal(skipped, 0);
    assert.deepEqual(sets, reference);
  });
}
