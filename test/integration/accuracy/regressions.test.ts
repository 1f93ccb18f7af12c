/**
 * The fuzzer's regression cases: each installs its own schema (in schema fz) and must predict exactly what pg_locks
 * shows on PostgreSQL 15 and on PGlite 18. Cases sharing a schema share one install.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Catalog } from '../../../src/core/catalog.js';
import { loadCatalog } from '../../../src/db/catalog-loader.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { describeOutcome } from '../../fuzz/campaign.js';
import { openTarget, runCase, type FuzzTarget, type TargetName } from '../../fuzz/differential.js';
import { REGRESSION_CASES, type RegressionCase } from './regressions.js';

async function install(target: FuzzTarget, schema: readonly string[]): Promise<Catalog> {
  await target.session.query('DROP SCHEMA IF EXISTS fz CASCADE');
  await target.session.query('CREATE SCHEMA fz');
  for (const sql of schema) await target.session.query(sql);
  return loadCatalog(target.session);
}

for (const name of ['pg15', 'pg18'] as TargetName[]) {
  describe(`fuzz regressions on ${name}`, () => {
    let target: FuzzTarget;
    let installed: { schema: readonly string[]; catalog: Catalog } | undefined;
    before(async () => {
      await loadSqlParser();
      target = await openTarget(name);
    });
    after(() => target?.close());
    const catalogFor = async (c: RegressionCase): Promise<Catalog> => {
      if (installed?.schema !== c.schema) installed = { schema: c.schema, catalog: await install(target, c.schema) };
      return installed.catalog;
    };
    for (const c of REGRESSION_CASES) {
      test(`${c.id}: ${c.covers}`, async () => {
        const fuzzCase = { cls: c.id, detail: c.covers, sql: c.sql, measure: c.measure };
        const outcome = await runCase(target, await catalogFor(c), fuzzCase);
        assert.ok(outcome.exact, describeOutcome(outcome));
      });
    }
  });
}
