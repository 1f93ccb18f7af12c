/**
 * The differential fuzzer's fixed-seed run: 2,000 generated cases (10 schemas × 100 cases on PostgreSQL 15 and on
 * PGlite 18), predicted vs pg_locks. Fails on a case the generator made that does not run, and on any mismatch
 * outside the open classes listed in test/fuzz/open-classes.ts. Prints cases/s and mismatches by class.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeOutcome, mismatchesByClass, runCampaign } from '../fuzz/campaign.js';
import { openClassOf } from '../fuzz/open-classes.js';

const SEED = 20261202;

test('fixed-seed differential fuzz run: 0 mismatches outside the open classes on PostgreSQL 15 and 18', async () => {
  const campaign = await runCampaign({ seed: SEED, schemas: 10, casesPerSchema: 100, targets: ['pg15', 'pg18'] });
  const { outcomes } = campaign;
  const groups = mismatchesByClass(outcomes);
  const exact = outcomes.filter((o) => o.exact).length;
  console.log(
    `fuzz seed ${SEED}: ${outcomes.length} cases in ${campaign.seconds.toFixed(1)} s (${(outcomes.length / campaign.seconds).toFixed(0)} cases/s), ${exact} exact`,
  );
  for (const g of groups) console.log(`  ${g.count}\t${g.target} ${g.cls}${openClassOf(g.example) ? ' (open)' : ''}`);
  assert.ok(outcomes.length >= 2000, `${outcomes.length} cases`);
  const errors = outcomes.filter((o) => o.error !== undefined && !o.error.startsWith('prediction failed'));
  assert.deepEqual(errors.map(describeOutcome), [], 'generated cases that do not run');
  const unexpected = outcomes.filter((o) => !o.exact && openClassOf(o) === undefined);
  assert.deepEqual(unexpected.slice(0, 5).map(describeOutcome), [], `${unexpected.length} mismatches outside the open classes`);
});
