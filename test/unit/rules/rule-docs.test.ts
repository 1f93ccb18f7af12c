/** Every rule has a docs page with the fixed headings, and the registry is sorted with unique ids. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { RULES } from '../../../src/core/rules/index.js';

const ROOT = join(__dirname, '..', '..', '..');

test('rule ids are unique and the registry is sorted', () => {
  const ids = RULES.map((r) => r.meta.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual(ids, [...ids].sort());
});

for (const rule of RULES) {
  test(`docs page of ${rule.meta.id}`, () => {
    const path = join(ROOT, rule.meta.docs);
    assert.ok(existsSync(path), `${rule.meta.docs} is missing`);
    const text = readFileSync(path, 'utf8');
    assert.match(text, new RegExp(`^# ${rule.meta.id}\\n`));
    for (const heading of ['## Problem', '## What PostgreSQL does', '## Solution', '## Example'])
      assert.ok(text.includes(heading), `${rule.meta.docs} lacks "${heading}"`);
  });
}
