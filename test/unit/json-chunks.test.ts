/** scan's JSON written in pieces: joined, the same bytes as JSON.stringify(doc, null, 2); pieces end at line ends. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonChunks, LazyArray, lazyRows } from '../../src/cli/json-chunks.js';

const rows = (n: number): Array<{ i: number; label: string; nested: { list: number[]; none?: undefined } }> =>
  Array.from({ length: n }, (_, i) => ({
    i,
    label: `row ${i}: "quoted"\nnewline é 😀 password=x${i}`,
    nested: { list: [i, i + 1], none: undefined },
  }));

const CASES: Array<{ name: string; doc: Record<string, unknown>; plain: Record<string, unknown>; chunkSize?: number }> = [
  { name: 'empty document', doc: {}, plain: {} },
  { name: 'an empty lazy array', doc: { files: new LazyArray([]) }, plain: { files: [] } },
  {
    name: 'values, omitted undefined, lazy arrays first, middle and last',
    doc: {
      files: lazyRows(rows(3), (r) => ({ ...r, extra: undefined })),
      server: { v: 18 },
      gone: undefined,
      findings: new LazyArray([1, 'two', null]),
    },
    plain: { files: rows(3).map((r) => ({ ...r, extra: undefined })), server: { v: 18 }, gone: undefined, findings: [1, 'two', null] },
  },
  {
    name: 'an undefined row is null, as in an array',
    doc: { a: lazyRows([1, 2], (n) => (n === 1 ? undefined : n)) },
    plain: { a: [null, 2] },
  },
  {
    name: 'many small chunks',
    doc: { files: new LazyArray(rows(500)), counts: { a: 1 } },
    plain: { files: rows(500), counts: { a: 1 } },
    chunkSize: 300,
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const chunks = [...jsonChunks(c.doc, c.chunkSize)];
    assert.equal(chunks.join(''), JSON.stringify(c.plain, null, 2));
    for (const chunk of chunks.slice(0, -1)) assert.ok(chunk.endsWith('\n'), 'every piece but the last ends a line');
    if (c.chunkSize !== undefined) assert.ok(chunks.length > 100, `${chunks.length} pieces`);
  });
}
