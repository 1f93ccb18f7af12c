/** Probe parameters: each $n gets a fixed value or a generator ("int:1..1000", "pick:a,b,c"), rendered as literals. */

export type ParamSpec = { kind: 'fixed'; value: string } | { kind: 'int'; min: number; max: number } | { kind: 'pick'; values: string[] };

export function parseParamSpec(text: string): ParamSpec {
  const range = /^int:(-?\d+)\.\.(-?\d+)$/.exec(text);
  if (range !== null) {
    const min = Number(range[1]);
    const max = Number(range[2]);
    if (max < min) throw new Error(`empty range in "${text}"`);
    return { kind: 'int', min, max };
  }
  if (text.startsWith('pick:')) return { kind: 'pick', values: text.slice(5).split(',') };
  return { kind: 'fixed', value: text };
}

/** A SQL literal: integers as they are, anything else single-quoted with quotes doubled. */
export function literal(value: string): string {
  return /^-?\d+(\.\d+)?$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

export function drawValue(spec: ParamSpec, random: () => number): string {
  switch (spec.kind) {
    case 'fixed':
      return spec.value;
    case 'int':
      return String(spec.min + Math.floor(random() * (spec.max - spec.min + 1)));
    case 'pick':
      return spec.values[Math.floor(random() * spec.values.length)] ?? '';
  }
}

/**
 * Replaces $1..$n (outside strings and comments is the caller's promise: statements come from the SQL parser's
 * normalised text) with literals drawn for this iteration.
 */
export function renderStatement(sql: string, specs: readonly ParamSpec[], random: () => number): string {
  const values = specs.map((s) => literal(drawValue(s, random)));
  return sql.replace(/\$(\d+)\b/g, (match, n: string) => values[Number(n) - 1] ?? match);
}

/** Percentile of a sorted array (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0;
}
