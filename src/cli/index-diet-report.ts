/** Text and JSON of the index diet that `lockscope workload` appends to its ranking. */
import type { DietReason, IndexDiet } from '../core/workload/index-diet.js';

const perSecond = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const reasonText = (r: DietReason): string => (r.kind === 'duplicate' ? `duplicate of ${r.of}` : r.kind);

export function indexDietJson(diet: IndexDiet): Record<string, unknown> {
  return {
    statsReset: diet.statsReset ?? null,
    saves: diet.saves,
    tables: diet.tables,
    candidates: diet.candidates,
  };
}

export function indexDietText(diet: IndexDiet): string[] {
  if (diet.candidates.length === 0) return ['', 'index diet: no invalid, unused or duplicate index on the tables these statements lock'];
  const since = diet.statsReset === undefined ? 'since the statistics were created' : `since the statistics reset at ${diet.statsReset}`;
  const out = [
    '',
    `index diet (unused = no scan ${since}; unique and constraint indexes are never "unused"):`,
    `  dropping all ${diet.candidates.length} saves ${perSecond(diet.saves.locksPerSecond)} relation locks/s, ${perSecond(diet.saves.slowPathPerSecond)} slow-path/s`,
  ];
  for (const t of diet.tables) {
    out.push(
      `  ${t.table} (${t.indexes} indexes): drop ${t.drop.length} → saves ${perSecond(t.saves.locksPerSecond)} locks/s, ${perSecond(t.saves.slowPathPerSecond)} slow-path/s`,
    );
    for (const c of diet.candidates.filter((c) => c.table === t.table))
      out.push(
        `      ${c.index}  ${c.reasons.map(reasonText).join(', ')}  (${c.scans ?? '?'} scans, ${Math.round(c.sizeBytes / 1024)} kB)`,
      );
  }
  return out;
}
