/**
 * The differential fuzzer's long run (`npm run fuzz`): FUZZ_CASES cases (default 100,000) over PostgreSQL 15 and
 * PGlite 18 from FUZZ_SEED; prints cases/s and mismatches by class, then shrinks the first mismatch of each class to a
 * minimal schema and writes it as an accuracy-suite regression case to .test-run/fuzz/regressions.txt.
 * FUZZ_CLASS (a regular expression over the case class, e.g. `^exec-delete`) measures only the matching cases of the
 * same run, and FUZZ_FIRST_SCHEMA starts the run at that schema index (schema i depends only on the seed and i);
 * FUZZ_SHOW_OPEN=1 lists the mismatches in open classes too.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { describeOutcome, mismatchesByClass, runCampaign } from '../test/fuzz/campaign.js';
import { openTarget, type TargetName } from '../test/fuzz/differential.js';
import { openClassOf } from '../test/fuzz/open-classes.js';
import { asRegressionCase, shrinkCase } from '../test/fuzz/shrink.js';

const CASES = Number(process.env['FUZZ_CASES'] ?? 100_000);
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 1_000_000);
const PER_SCHEMA = Number(process.env['FUZZ_CASES_PER_SCHEMA'] ?? 100);
const TARGETS = (process.env['FUZZ_TARGETS'] ?? 'pg15,pg18').split(',') as TargetName[];
const SHRINK = process.env['FUZZ_SHRINK'] !== '0';
const ONLY = process.env['FUZZ_CLASS'] === undefined ? undefined : new RegExp(process.env['FUZZ_CLASS']);
const FIRST_SCHEMA = Number(process.env['FUZZ_FIRST_SCHEMA'] ?? 0);
const SHOW_OPEN = process.env['FUZZ_SHOW_OPEN'] === '1';

async function main(): Promise<void> {
  const schemas = Math.max(1, Math.ceil(CASES / TARGETS.length / PER_SCHEMA));
  const only = ONLY === undefined ? '' : `, only classes matching ${String(ONLY)}`;
  const from = FIRST_SCHEMA === 0 ? '' : ` from schema ${FIRST_SCHEMA}`;
  console.log(`fuzz: seed ${SEED}, ${schemas} schemas${from} × ${PER_SCHEMA} cases on ${TARGETS.join(' and ')}${only}`);
  let last = performance.now();
  const campaign = await runCampaign({
    seed: SEED,
    schemas,
    casesPerSchema: PER_SCHEMA,
    targets: TARGETS,
    firstSchema: FIRST_SCHEMA,
    ...(ONLY === undefined ? {} : { only: ONLY }),
    onBatch(done) {
      if (performance.now() - last < 30_000) return;
      last = performance.now();
      console.log(`  … ${done} cases`);
    },
  });
  const { outcomes } = campaign;
  const groups = mismatchesByClass(outcomes);
  const mismatching = outcomes.filter((o) => !o.exact).length;
  console.log(
    `fuzz: ${outcomes.length} cases in ${campaign.seconds.toFixed(0)} s = ${(outcomes.length / campaign.seconds).toFixed(1)} cases/s; ${mismatching} mismatches (${outcomes.filter((o) => !o.exact && openClassOf(o) === undefined).length} outside the open classes)`,
  );
  for (const g of groups) console.log(`  ${String(g.count).padStart(6)}  ${g.target}  ${g.cls}${openClassOf(g.example) ? '  (open)' : ''}`);
  // Every case outside the open classes (FUZZ_SHOW_OPEN=1: every mismatch), with its schema index, so one can be rerun
  // alone (FUZZ_FIRST_SCHEMA).
  const outside = outcomes.filter((o) => !o.exact && (SHOW_OPEN || openClassOf(o) === undefined));
  for (const o of outside.slice(0, 200))
    console.log(`schema ${(campaign.schemaOf.get(o)?.seed ?? NaN) - SEED * 100003} ${describeOutcome(o)}`);
  if (!SHRINK || groups.length === 0) return;
  const written: string[] = [];
  for (const name of TARGETS) {
    const target = await openTarget(name);
    try {
      for (const g of groups.filter((x) => x.target === name && x.example.error === undefined)) {
        const schema = campaign.schemaOf.get(g.example);
        if (schema === undefined) continue;
        const shrunk = await shrinkCase(target, schema, g.example.fuzzCase, g.example);
        console.log(`shrunk ${g.cls} on ${name} in ${shrunk.attempts} attempts:\n${describeOutcome(shrunk.outcome)}`);
        written.push(asRegressionCase(shrunk, `fz-${g.cls}-${name}`));
      }
    } finally {
      await target.close();
    }
  }
  mkdirSync('.test-run/fuzz', { recursive: true });
  writeFileSync('.test-run/fuzz/regressions.txt', `${written.join('\n')}\n`);
  console.log(`wrote ${written.length} shrunk cases to .test-run/fuzz/regressions.txt`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
