/**
 * The real-schema study (`node --import tsx bench/real-schemas.bench.ts`, after `npm run build`): three public
 * applications' db/structure.sql at pinned commits (test/fuzz/real-schemas.ts; openstreetmap-website from
 * ../shared/schemas, the others from local mirrors) loaded into PostgreSQL 15 and PGlite 18 the way `estimate
 * --schema` loads a schema (statements only the original server can run are skipped and counted), then each hot-path
 * statement and migration predicted and measured with pg_locks (relation, mode, fast-path flag; nothing hidden but
 * pg_catalog and information_schema). Prints the exact-match rate per schema and target and every mismatch.
 * STUDY_TARGETS=pg15,pg18 picks the targets; STUDY_SCHEMAS=name,… the schemas.
 */
import { loadSqlParser } from '../src/core/sql/index.js';
import { describeOutcome } from '../test/fuzz/campaign.js';
import type { CaseOutcome, TargetName } from '../test/fuzz/differential.js';
import { runStudy } from '../test/fuzz/real-schema-run.js';
import { STUDY_SCHEMAS, studySchemaText, type StudySchema } from '../test/fuzz/real-schemas.js';

const TARGETS = (process.env['STUDY_TARGETS'] ?? 'pg15,pg18').split(',') as TargetName[];
const ONLY = process.env['STUDY_SCHEMAS']?.split(',');

interface Tally {
  exact: number;
  total: number;
}

const rate = (t: Tally): string => `${t.exact}/${t.total}`;

async function study(schema: StudySchema, name: TargetName): Promise<CaseOutcome[]> {
  const text = studySchemaText(schema);
  if (text === undefined) {
    console.log(`${schema.name}: structure.sql not found (shared copy or mirror of ${schema.repo}); skipped`);
    return [];
  }
  const { outcomes, tables, indexes, skipped } = await runStudy(schema, text, name);
  const dml: Tally = { exact: 0, total: 0 };
  const migrations: Tally = { exact: 0, total: 0 };
  for (const o of outcomes) {
    const tally = o.fuzzCase.cls === 'dml' ? dml : migrations;
    tally.total++;
    if (o.exact) tally.exact++;
  }
  const all: Tally = { exact: dml.exact + migrations.exact, total: dml.total + migrations.total };
  console.log(
    `${schema.name} @ ${schema.commit.slice(0, 9)} on ${name}: ${tables} tables, ${indexes} indexes, ${skipped} schema statements skipped; exact ${rate(all)} (DML ${rate(dml)}, migrations ${rate(migrations)})`,
  );
  for (const o of outcomes.filter((x) => !x.exact)) console.log(describeOutcome(o).replace(/^/gm, '    '));
  return outcomes;
}

async function main(): Promise<void> {
  await loadSqlParser();
  const totals = new Map<TargetName, Tally>();
  for (const schema of STUDY_SCHEMAS.filter((s) => ONLY === undefined || ONLY.includes(s.name))) {
    for (const name of TARGETS) {
      const outcomes = await study(schema, name);
      const t = totals.get(name) ?? { exact: 0, total: 0 };
      t.exact += outcomes.filter((o) => o.exact).length;
      t.total += outcomes.length;
      totals.set(name, t);
    }
  }
  for (const [name, t] of totals) console.log(`all schemas on ${name}: exact ${rate(t)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
