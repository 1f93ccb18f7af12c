/** Loads a fixture repository through schema discovery (or a schema file) into PGlite and predicts statements' lock sets. */
import { join } from 'node:path';
import { predictStatements } from '../../src/core/predict/index.js';
import { loadSqlParser, parseSql } from '../../src/core/sql/index.js';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openEmbeddedSession, type EmbeddedSession } from '../../src/db/embedded-session.js';
import { discoverRepositorySchema, type RepositorySchema } from '../../src/db/schema-discovery.js';

export const DISCOVERY_FIXTURES = join(__dirname, '..', 'fixtures', 'schema-discovery');

/** Per statement, its predicted locks as sorted "relation mode" lines (names and modes; OIDs differ between loads). */
export type LockSets = Record<string, string[]>;

async function lockSetsOf(session: EmbeddedSession, statements: readonly string[]): Promise<LockSets> {
  await loadSqlParser();
  const catalog = await loadCatalog(session);
  const out: LockSets = {};
  for (const sql of statements) {
    const parsed = parseSql(sql);
    if (!parsed.ok) throw new Error(`${sql}: ${parsed.error.message}`);
    const [prediction] = predictStatements(parsed.statements, catalog, { txn: false }).statements;
    if (prediction?.error !== undefined) throw new Error(`${sql}: ${prediction.error}`);
    out[sql] = (prediction?.locks ?? []).map((l) => `${l.relation} ${l.mode}`).sort();
  }
  return out;
}

/** Lock sets from the schema file at `file` (the hand-written reference). */
export async function lockSetsFromFile(file: string, statements: readonly string[]): Promise<LockSets> {
  const session = await openEmbeddedSession({ schemaFile: file });
  try {
    return await lockSetsOf(session, statements);
  } finally {
    await session.close();
  }
}

/** Lock sets from what discovery finds in the repository at `root`, with the discovery result. */
export async function lockSetsFromRepository(
  root: string,
  statements: readonly string[],
): Promise<{ found: RepositorySchema; sets: LockSets; skipped: number }> {
  const found = await discoverRepositorySchema(root);
  if (found === undefined) throw new Error(`nothing discovered in ${root}`);
  const session = await openEmbeddedSession({ schemaSources: found.translated.sources });
  try {
    return { found, sets: await lockSetsOf(session, statements), skipped: session.schemaReport.skipped.length };
  } finally {
    await session.close();
  }
}
