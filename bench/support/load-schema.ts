/**
 * Child process of embedded-cache.bench.ts: loads one schema file into a fresh embedded database (no cache) and
 * prints one JSON line: load time, peak memory, statements applied, and every skipped statement with its line.
 */
import { openEmbeddedSession } from '../../src/db/embedded-session.js';

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: load-schema.ts FILE');
  const start = performance.now();
  const session = await openEmbeddedSession({ schemaFile: file });
  const loadMs = performance.now() - start;
  const tables = await session.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`,
  );
  await session.close();
  console.log(
    JSON.stringify({
      loadMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      applied: session.schemaReport.applied,
      tables: Number(tables[0]?.n ?? 0),
      skipped: session.schemaReport.skipped.map((s) => `${s.line}: ${s.statement.slice(0, 70)} (${s.reason.slice(0, 90)})`),
    }),
  );
}

void main();
