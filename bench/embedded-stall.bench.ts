/**
 * How long the embedded database stalls the thread that opens it: the longest event-loop stall (a 10 ms timer's
 * lateness) while PGlite starts, loads examples/shop/schema.sql and the catalog is read — in-thread (the CLI) versus
 * on a worker thread (the extension host). Needs `npm run build` (dist/embedded-worker.js).
 */
import { join } from 'node:path';
import { loadCatalog } from '../src/db/catalog-loader.js';
import { openEmbeddedSession, type EmbeddedSession } from '../src/db/embedded-session.js';
import { openEmbeddedSessionThreaded } from '../src/db/embedded-session-threaded.js';

const ROOT = join(__dirname, '..');
const SCHEMA = join(ROOT, 'examples', 'shop', 'schema.sql');
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);

async function measure(open: () => Promise<EmbeddedSession>): Promise<{ totalMs: number; longestStallMs: number; stalledMs: number }> {
  let last = performance.now();
  let longest = 0;
  let stalled = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - 10;
    longest = Math.max(longest, late);
    if (late > 50) stalled += late;
    last = now;
  }, 10);
  const start = performance.now();
  const session = await open();
  await loadCatalog(session);
  await session.close();
  const totalMs = performance.now() - start;
  clearInterval(timer);
  return { totalMs, longestStallMs: longest, stalledMs: stalled };
}

async function main(): Promise<void> {
  const worker = join(ROOT, 'dist', 'embedded-worker.js');
  for (const [name, open] of [
    ['in-thread', () => openEmbeddedSession({ schemaFile: SCHEMA })],
    ['worker thread', () => openEmbeddedSessionThreaded({ schemaFile: SCHEMA }, worker)],
  ] as const) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(open));
    const worst = runs.reduce((a, b) => (b.longestStallMs > a.longestStallMs ? b : a));
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    console.log(
      `embedded ${name}: open + schema + catalog ${(median(runs.map((r) => r.totalMs)) / 1000).toFixed(1)} s median; longest event-loop stall ${median(runs.map((r) => r.longestStallMs)).toFixed(0)} ms median, ${worst.longestStallMs.toFixed(0)} ms worst; time stalled > 50 ms: ${median(runs.map((r) => r.stalledMs)).toFixed(0)} ms`,
    );
  }
}

void main();
