/** A fuzz campaign: seeded schemas × cases on each target, with mismatches counted by class and cases/s. */
import { loadSqlParser } from '../../src/core/sql/index.js';
import { openTarget, runBatch, type CaseOutcome, type FuzzTarget, type TargetName } from './differential.js';
import { Random } from './random.js';
import { generateSchema, type FuzzSchema } from './schema-gen.js';
import { generateCases } from './statement-gen.js';

export interface CampaignOptions {
  seed: number;
  schemas: number;
  casesPerSchema: number;
  targets: readonly TargetName[];
  /** First schema index (a long run resumed at an offset; schema i depends only on the seed and i). */
  firstSchema?: number;
  /**
   * Only the cases whose class matches run; every case is still generated, so the cases kept are the same ones a full
   * run measures (hunting one class over a long run without measuring the others).
   */
  only?: RegExp;
  /** Called after each batch (progress for long runs). */
  onBatch?: (done: number, outcomes: readonly CaseOutcome[]) => void;
}

export interface Campaign {
  outcomes: CaseOutcome[];
  /** The schema each outcome ran on (for shrinking), by outcome index. */
  schemaOf: Map<CaseOutcome, FuzzSchema>;
  seconds: number;
}

/** Schema i of a campaign depends only on (seed, i): any case can be regenerated alone. */
export function schemaAt(seed: number, i: number): { schema: FuzzSchema; rng: Random } {
  const rng = new Random(seed * 100003 + i);
  return { schema: generateSchema(rng, seed * 100003 + i), rng };
}

export async function runCampaign(options: CampaignOptions): Promise<Campaign> {
  await loadSqlParser();
  const start = performance.now();
  const outcomes: CaseOutcome[] = [];
  const schemaOf = new Map<CaseOutcome, FuzzSchema>();
  // PGlite on a worker thread and PostgreSQL 15 in its server overlap; PGlite on this thread would starve the
  // server session's socket, so then the targets run one after the other.
  const targets: FuzzTarget[] = [];
  for (const name of options.targets) targets.push(await openTarget(name));
  const parallel = targets.every((t) => !t.inThread);
  const runTarget = async (target: FuzzTarget): Promise<void> => {
    try {
      const first = options.firstSchema ?? 0;
      for (let i = first; i < first + options.schemas; i++) {
        const { schema, rng } = schemaAt(options.seed, i);
        const cases = generateCases(rng, schema, options.casesPerSchema).filter((c) => options.only?.test(c.cls) ?? true);
        if (cases.length === 0) continue;
        const batch = await runBatch(target, schema, cases);
        for (const outcome of batch) schemaOf.set(outcome, schema);
        outcomes.push(...batch);
        options.onBatch?.(outcomes.length, batch);
      }
    } finally {
      await target.close();
    }
  };
  if (parallel) await Promise.all(targets.map(runTarget));
  else for (const target of targets) await runTarget(target);
  return { outcomes, schemaOf, seconds: (performance.now() - start) / 1000 };
}

/** Mismatching (or failing) cases counted by target and class, most frequent first. */
export function mismatchesByClass(
  outcomes: readonly CaseOutcome[],
): Array<{ target: TargetName; cls: string; count: number; example: CaseOutcome }> {
  const groups = new Map<string, { target: TargetName; cls: string; count: number; example: CaseOutcome }>();
  for (const o of outcomes) {
    if (o.exact) continue;
    const cls = o.error !== undefined ? `error:${o.fuzzCase.cls}` : o.fuzzCase.cls;
    const k = `${o.target} ${cls}`;
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { target: o.target, cls, count: 1, example: o });
    else g.count++;
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

export function describeOutcome(o: CaseOutcome): string {
  const lines = [`[${o.target}] ${o.fuzzCase.cls} (${o.fuzzCase.detail}) ${o.fuzzCase.measure}: ${o.fuzzCase.sql}`];
  if (o.error !== undefined) lines.push(`  error: ${o.error}`);
  if (o.missing.length > 0) lines.push(`  missing: ${o.missing.join('; ')}`);
  if (o.extra.length > 0) lines.push(`  extra:   ${o.extra.join('; ')}`);
  return lines.join('\n');
}
