/**
 * The real-schema study on the one schema the project may read in tests: openstreetmap-website's structure.sql
 * (../shared/schemas, never copied here), its hot-path statements and migrations predicted exactly — relation, mode
 * and fast-path flag — on PostgreSQL 15 and PGlite 18. Skipped, saying so, when the shared schema is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { describeOutcome } from '../fuzz/campaign.js';
import type { TargetName } from '../fuzz/differential.js';
import { runStudy } from '../fuzz/real-schema-run.js';
import { SHARED_OSM, STUDY_SCHEMAS } from '../fuzz/real-schemas.js';

const osm = STUDY_SCHEMAS.find((s) => s.name === 'openstreetmap-website');
const absent = !existsSync(SHARED_OSM) ? `the shared schema ${SHARED_OSM} is absent` : undefined;

before(async () => {
  await loadSqlParser();
});

for (const name of ['pg15', 'pg18'] as TargetName[]) {
  test(`openstreetmap-website: hot-path statements and migrations exact on ${name}`, { skip: absent }, async () => {
    assert.ok(osm !== undefined);
    const run = await runStudy(osm, readFileSync(SHARED_OSM, 'utf8'), name);
    assert.ok(run.tables >= 50, `${run.tables} tables loaded`);
    assert.equal(run.outcomes.length, osm.statements.length);
    assert.deepEqual(run.outcomes.filter((o) => !o.exact).map(describeOutcome), []);
  });
}
