/**
 * Runs the real-schema study's statements for one schema on one target: the schema loaded as `estimate --schema`
 * loads it (PGlite through the production loader; PostgreSQL 15 statement by statement with the same skip rules),
 * then each statement predicted and measured (test/fuzz/differential.ts's runCase).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadCatalog } from '../../src/db/catalog-loader.js';
import { openEmbeddedSessionThreaded } from '../../src/db/embedded-session-threaded.js';
import { loadSplitSchema, splitSources } from '../../src/db/schema-loader.js';
import { openTarget, runCase, type CaseOutcome, type FuzzTarget, type TargetName } from './differential.js';
import type { StudySchema } from './real-schemas.js';

const WORKER = join(__dirname, '..', '..', 'dist', 'embedded-worker.js');

/** A target with the schema loaded, and how many of its statements were skipped (extensions, roles…). */
async function loadedTarget(name: TargetName, text: string, file: string): Promise<{ target: FuzzTarget; skipped: number }> {
  if (name === 'pg18') {
    if (!existsSync(WORKER)) throw new Error('npm run build first (dist/embedded-worker.js)');
    const session = await openEmbeddedSessionThreaded({ schemaSources: [{ file, text }] }, WORKER);
    return { target: { name, session, inThread: false, close: () => session.close() }, skipped: session.schemaReport.skipped.length };
  }
  const target = await openTarget(name);
  // The loader decides what to skip by SQLSTATE, which the server session keeps on its DbError as sqlState.
  const exec = async (sql: string): Promise<void> => {
    try {
      await target.session.query(sql);
    } catch (error) {
      const sqlState = (error as { sqlState?: string }).sqlState;
      throw Object.assign(new Error((error as Error).message), { code: sqlState });
    }
  };
  try {
    const report = await loadSplitSchema(exec, await splitSources([{ file, text }]));
    await target.session.query('RESET search_path');
    return { target, skipped: report.skipped.length };
  } catch (error) {
    await target.close();
    throw error;
  }
}

export interface StudyRun {
  outcomes: CaseOutcome[];
  tables: number;
  indexes: number;
  skipped: number;
}

/** Each statement's outcome, tagged `dml` (EXPLAIN) or `migration` (executed, rolled back). */
export async function runStudy(schema: StudySchema, text: string, name: TargetName): Promise<StudyRun> {
  const { target, skipped } = await loadedTarget(name, text, `${schema.repo}@${schema.commit.slice(0, 9)}:db/structure.sql`);
  try {
    const catalog = await loadCatalog(target.session);
    const tables = [...catalog.relations.values()].filter(
      (r) => r.schema === 'public' && ['table', 'partitioned-table'].includes(r.relkind),
    );
    const outcomes: CaseOutcome[] = [];
    for (const s of schema.statements) {
      const cls = s.measure === 'execute' ? 'migration' : 'dml';
      outcomes.push(await runCase(target, catalog, { cls, detail: schema.name, sql: s.sql, measure: s.measure }));
    }
    return { outcomes, tables: tables.length, indexes: tables.reduce((n, r) => n + r.indexes.length, 0), skipped };
  } finally {
    await target.close();
  }
}
