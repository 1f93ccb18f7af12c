/** `lockscope measure`: the exact relation locks from pg_locks (EXPLAIN, or the statement with --execute), rolled back. */
import { guardStatements } from '../../core/safety/index.js';
import { loadSqlParser } from '../../core/sql/index.js';
import { loadCatalog } from '../../db/catalog-loader.js';
import { measureLocks } from '../../db/measure.js';
import { DEFAULT_SAFETY } from '../../db/session.js';
import { withSession } from '../../db/session.js';
import type { CommandContext } from '../command.js';
import { reportJson, reportText, type StatementReport } from '../lock-report.js';
import { openDatabase, type DatabaseOptions } from '../open-database.js';
import { parseArguments } from './estimate.js';

export interface MeasureCommandOptions extends DatabaseOptions {
  json: boolean;
  txn: boolean;
  execute: boolean;
  verbose: boolean;
}

export async function runMeasureCommand(ctx: CommandContext, sqlTexts: readonly string[], options: MeasureCommandOptions): Promise<number> {
  await loadSqlParser();
  const statements = parseArguments(sqlTexts);
  // Early, for a refusal before any connection is made; measureLocks checks again where it sends (with the catalog).
  guardStatements(
    statements.map((s) => s.sql),
    { purpose: options.execute ? 'execute' : 'explain', disposable: false },
  );
  // --execute needs a writable transaction; it is rolled back like every other measurement.
  const safety = { ...DEFAULT_SAFETY, readOnly: !options.execute };
  return withSession(
    () => openDatabase(options, ctx.env, safety),
    async (session) => {
      const catalog = await loadCatalog(session);
      const measured = await measureLocks(
        session,
        statements.map((s) => s.sql),
        catalog,
        { execute: options.execute, txn: options.txn },
      );
      for (const warning of measured.warnings) ctx.stderr(`lockscope: warning: ${warning}`);
      const reports: StatementReport[] = measured.statements.map((m, i) => ({
        sql: m.sql,
        kind: statements[i]?.kind ?? 'unknown',
        plan: m,
      }));
      ctx.stdout(
        options.json
          ? reportJson(catalog.profile, reports, measured.transaction, { measured: true, executed: options.execute })
          : reportText(
              catalog.profile,
              reports,
              measured.transaction,
              options.execute ? 'Measured locks (statements executed, rolled back)' : 'Measured locks (EXPLAIN, rolled back)',
              options.verbose,
            ),
      );
      return 0;
    },
  );
}
