/**
 * Shrinks a mismatching fuzz case to a minimal schema: drops views, tables, foreign keys, indexes, partitions and
 * seeded rows one part at a time, keeping each removal after which the case still runs and still mismatches. The
 * result is printed as an accuracy-suite regression case (test/integration/accuracy/regressions.ts).
 */
import { runBatch, type CaseOutcome, type FuzzTarget } from './differential.js';
import { renderSchema, type FuzzPartition, type FuzzSchema, type FuzzTable } from './schema-gen.js';
import type { FuzzCase } from './statement-gen.js';

const clonePart = (p: FuzzPartition): FuzzPartition => ({ ...p, ordinals: [...p.ordinals], subPartitions: p.subPartitions.map(clonePart) });

/** A deep copy that keeps the key types (objects with functions) shared. */
const clone = (schema: FuzzSchema): FuzzSchema => ({
  ...schema,
  tables: schema.tables.map((t) => ({
    ...t,
    columns: [...t.columns],
    indexes: [...t.indexes],
    rows: [...t.rows],
    partitioning: t.partitioning === undefined ? undefined : { ...t.partitioning, parts: t.partitioning.parts.map(clonePart) },
  })),
  foreignKeys: [...schema.foreignKeys],
  views: [...schema.views],
});

/** Candidate schemas with one part removed, largest parts first. */
function* reductions(schema: FuzzSchema, sql: string): Generator<FuzzSchema> {
  const mentions = (name: string): boolean => new RegExp(`\\bfz\\.${name}\\b`).test(sql);
  for (let i = schema.views.length - 1; i >= 0; i--) {
    const next = clone(schema);
    const [gone] = next.views.splice(i, 1);
    next.views = next.views.filter((v) => !v.uses.includes(gone?.name ?? ''));
    yield next;
  }
  for (let i = schema.tables.length - 1; i >= 0; i--) {
    const name = schema.tables[i]?.name ?? '';
    if (mentions(name)) continue;
    const next = clone(schema);
    next.tables.splice(i, 1);
    next.foreignKeys = next.foreignKeys.filter((f) => f.from !== name && f.to !== name);
    next.views = next.views.filter((v) => !v.uses.includes(name));
    yield next;
  }
  for (let i = schema.foreignKeys.length - 1; i >= 0; i--) {
    const next = clone(schema);
    next.foreignKeys.splice(i, 1);
    yield next;
  }
  for (let t = 0; t < schema.tables.length; t++) {
    const table = schema.tables[t] as FuzzTable;
    if (table.indexes.length > 1) {
      const next = clone(schema);
      (next.tables[t] as FuzzTable).indexes = [];
      yield next;
      const half = clone(schema);
      (half.tables[t] as FuzzTable).indexes.splice(0, Math.ceil(table.indexes.length / 2));
      yield half;
    }
    for (let i = table.indexes.length - 1; i >= 0; i--) {
      const next = clone(schema);
      (next.tables[t] as FuzzTable).indexes.splice(i, 1);
      yield next;
    }
    const parts = table.partitioning?.parts ?? [];
    for (let i = parts.length - 1; i >= 0 && parts.length > 1; i--) {
      if (mentions(parts[i]?.name ?? '')) continue;
      const next = clone(schema);
      next.tables[t]?.partitioning?.parts.splice(i, 1);
      yield next;
    }
    for (let i = 0; i < parts.length; i++) {
      if ((parts[i]?.subPartitions.length ?? 0) === 0) continue;
      const next = clone(schema);
      const part = next.tables[t]?.partitioning?.parts[i];
      if (part !== undefined) part.subPartitions = [];
      yield next;
    }
    if (table.rows.length > 1) {
      const next = clone(schema);
      (next.tables[t] as FuzzTable).rows = table.rows.slice(0, 1);
      yield next;
    }
  }
}

const size = (s: FuzzSchema): number => renderSchema(s).length;

export interface Shrunk {
  schema: FuzzSchema;
  outcome: CaseOutcome;
  attempts: number;
}

/** Greedy one-part-at-a-time shrinking, bounded by `maxAttempts` schema installs. */
export async function shrinkCase(
  target: FuzzTarget,
  schema: FuzzSchema,
  fuzzCase: FuzzCase,
  first: CaseOutcome,
  maxAttempts = 80,
): Promise<Shrunk> {
  let best = { schema, outcome: first };
  let attempts = 0;
  let progress = true;
  while (progress && attempts < maxAttempts) {
    progress = false;
    for (const candidate of reductions(best.schema, fuzzCase.sql)) {
      if (attempts++ >= maxAttempts) break;
      let outcome: CaseOutcome | undefined;
      try {
        [outcome] = await runBatch(target, candidate, [fuzzCase]);
      } catch {
        continue; // a removal the rest of the schema depends on
      }
      if (outcome !== undefined && !outcome.exact && outcome.error === undefined && size(candidate) < size(best.schema)) {
        best = { schema: candidate, outcome };
        progress = true;
        break;
      }
    }
  }
  return { ...best, attempts };
}

/** The shrunk case as an entry of test/integration/accuracy/regressions.ts. */
export function asRegressionCase(shrunk: Shrunk, id: string): string {
  const c = shrunk.outcome.fuzzCase;
  const schema = renderSchema(shrunk.schema).filter((s) => s !== 'CREATE SCHEMA fz');
  return [
    `  r('${id}', '${c.cls} (${c.detail}), shrunk from fuzz schema ${shrunk.schema.seed} on ${shrunk.outcome.target}', [`,
    ...schema.map((s) => `    ${JSON.stringify(s)},`),
    `  ], ${JSON.stringify(c.sql)}, '${c.measure}'),`,
    `  // missing: ${shrunk.outcome.missing.join('; ') || '—'}`,
    `  // extra:   ${shrunk.outcome.extra.join('; ') || '—'}`,
  ].join('\n');
}
