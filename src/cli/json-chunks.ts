/**
 * A JSON document written in pieces: the same bytes as `JSON.stringify(doc, null, 2)`, but the large arrays are
 * serialized one element at a time and handed out in chunks, so `scan --format json` never holds its whole output
 * (61 MB on the real-size tree, with a copy per redaction and per write) nor all of its row objects at once.
 */

/** A top-level array whose elements are made only when written: `row` of each item, in order. */
export class LazyArray {
  constructor(
    readonly items: readonly unknown[],
    readonly row: (item: never) => unknown = (item) => item,
  ) {}
}

/** The rows of `items`, each made when it is written. */
export const lazyRows = <T>(items: readonly T[], row: (item: T) => unknown): LazyArray =>
  new LazyArray(items, row as (item: never) => unknown);

/** Chunks are handed out once they reach this many characters, always ending right after a newline. */
const CHUNK = 1 << 20;

/** The text of `value` as JSON.stringify(…, null, 2) writes it nested `depth` levels deep (undefined: omitted). */
function nested(value: unknown, depth: number): string | undefined {
  const text = JSON.stringify(value, null, 2) as string | undefined;
  // A JSON text has no raw newline inside a string: every newline is layout, indented by the nesting.
  return text === undefined ? undefined : text.replace(/\n/g, `\n${'  '.repeat(depth)}`);
}

/**
 * The document's text in chunks: joined, exactly `JSON.stringify(materialized, null, 2)` where each LazyArray is the
 * array of its items. Every chunk but the last ends with a newline, so a line-oriented filter (the redaction) sees
 * each line whole.
 */
export function* jsonChunks(doc: Readonly<Record<string, unknown>>, chunkSize = CHUNK): Generator<string> {
  let buffer = '';
  const entries = Object.entries(doc).filter(([, v]) => v instanceof LazyArray || nested(v, 1) !== undefined);
  if (entries.length === 0) {
    yield '{}';
    return;
  }
  buffer = '{\n';
  for (const [i, [key, value]] of entries.entries()) {
    const comma = i < entries.length - 1 ? ',' : '';
    buffer += `  ${JSON.stringify(key)}: `;
    if (!(value instanceof LazyArray)) {
      buffer += `${nested(value, 1) as string}${comma}\n`;
      continue;
    }
    let first = true;
    const row = value.row as (item: unknown) => unknown;
    for (const item of value.items) {
      buffer += `${first ? '[\n' : ',\n'}    ${nested(row(item), 2) ?? 'null'}`;
      first = false;
      if (buffer.length >= chunkSize) {
        const cut = buffer.lastIndexOf('\n') + 1;
        yield buffer.slice(0, cut);
        buffer = buffer.slice(cut);
      }
    }
    buffer += first ? `[]${comma}\n` : `\n  ]${comma}\n`;
  }
  yield `${buffer}}`;
}
