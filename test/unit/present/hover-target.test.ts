/** The hover names the target's budget and answers the upgrade question for the plan it shows. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../src/core/analyze/analyze.js';
import { hoverMarkdown } from '../../../src/core/present/hover.js';
import { upgradeSentence } from '../../../src/core/predict/retarget.js';
import { scanSqlText } from '../../../src/core/scan/sql/index.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { buildServerProfile } from '../../../src/core/server-profile.js';
import { catalogForTarget, describeTarget, resolveTarget } from '../../../src/core/target.js';
import { fixtureCatalog } from '../../support/rule-harness.js';

test('an embedded catalog read for the default target: 16 slots in the hover, PostgreSQL 18 and max_locks beside it', async () => {
  await loadSqlParser();
  const embedded = { ...fixtureCatalog(180006), profile: buildServerProfile('18.6', 180006, 64, 'embedded') };
  const target = resolveTarget(embedded.profile, {});
  const catalog = catalogForTarget(embedded, target);
  // hot (20 indexes) joined with u (4) and child (2): 29 relations, over 16 slots on PostgreSQL 17.
  const analysis = analyze([scanSqlText('q.sql', 'SELECT * FROM hot JOIN u ON true JOIN child ON true;')], catalog);
  const site = analysis.sites[0];
  assert.ok(site?.plan !== undefined);
  assert.equal(site.plan.totals.slowpath, 13);
  const upgrade = upgradeSentence(site.plan, target.profile, catalog);
  const text = hoverMarkdown({
    site,
    transaction: undefined,
    source: 'predicted on the embedded PostgreSQL 18.6',
    target: describeTarget(target, embedded.profile),
    upgrade,
  });
  assert.match(text, /\*\*29 locks · 13 slow-path\*\* on 29 relations — budget 16 fast-path slots per backend \(PostgreSQL 17\)/);
  assert.match(text, /Upgrade: on PostgreSQL 18 \(max_locks_per_transaction 64: 64 slots in 4 groups\): \d+ slow-path/);
  assert.match(
    text,
    /_predicted on the embedded PostgreSQL 18\.6 · target PostgreSQL 17, max_locks_per_transaction 64 \(the embedded PostgreSQL 18\.6 answers/,
  );
});
