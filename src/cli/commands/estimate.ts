/** `lockscope estimate`: predicted relation locks per statement (or per transaction with --txn) from the live catalog. */
import { predictStatements } from '../../core/predict/index.js';
import { loadSqlParser, parseSql } from '../../core/sql/index.js';
import type { Statement } from '../../core/statement.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { reportJson, reportText, type StatementReport } from '../lock-report.js';
import { openCatalog, type DatabaseOptions } from '../open-database.js';
import { targetJsonOf, upgradeJsonOf, upgradeLineOf } from '../target-report.js';
import { catalogForTarget, describeTarget, resolveTarget, type TargetSpec } from '../../core/target.js';
import type { LockPlan } from '../../core/lock-plan.js';
import type { Catalog } from '../../core/catalog.js';

export interface EstimateOptions extends DatabaseOptions {
  json: boolean;
  txn: boolean;
  generic: boolean;
  verbose: boolean;
  /** The server the code will run on (--target, --max-locks); empty: the connected server or the embedded default. */
  target: TargetSpec;
}

/** Parses every SQL argument; a statement that does not parse is bad input naming the position. */
export function parseArguments(sqlTexts: readonly string[]): Statement[] {
  const statements: Statement[] = [];
  for (const text of sqlTexts) {
    const outcome = parseSql(text);
    if (!outcome.ok) {
      const { message, offset, tooLarge } = outcome.error;
      let line = 1;
      for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      const column = offset - lineStart + 1;
      // Valid SQL the parser is not given: say so, not "does not parse".
      if (tooLarge !== undefined) throw new UsageError(`The statement at line ${line} is ${message}; give a smaller statement.`);
      // The echoed line is cut around the error: a one-line 1 MB statement must not fill the terminal.
      const from = Math.max(lineStart, offset - 60);
      const lineEnd = text.indexOf('\n', offset);
      const shown = text.slice(from, Math.min(lineEnd < 0 ? text.length : lineEnd, offset + 60));
      throw new UsageError(
        `SQL does not parse at line ${line}, column ${column}: ${message}\n  ${shown}\n  ${' '.repeat(Math.max(0, offset - from))}^`,
      );
    }
    statements.push(...outcome.statements);
  }
  if (statements.length === 0) throw new UsageError('No SQL given: lockscope estimate [--db URL | --schema FILE] SQL...');
  return statements;
}

export async function runEstimateCommand(ctx: CommandContext, sqlTexts: readonly string[], options: EstimateOptions): Promise<number> {
  await loadSqlParser();
  const statements = parseArguments(sqlTexts);
  const discovery = { root: process.cwd(), note: ctx.stderr };
  const catalog = await openCatalog({ ...options, discovery }, ctx.env);
  const target = resolveTarget(catalog.profile, options.target);
  // The lock set and the fast-path flags are the target's: its version's rules and its slot budget.
  const onTarget = catalogForTarget(catalog, target);
  const prediction = predictStatements(statements, onTarget, { txn: options.txn, generic: options.generic });
  const upgradeOf = (plan: LockPlan, within: Catalog): StatementReport['upgrade'] => ({
    json: upgradeJsonOf(plan, target.profile, within),
    line: upgradeLineOf(plan, target.profile, within),
  });
  const reports: StatementReport[] = prediction.statements.map((p) => ({
    sql: p.statement.sql,
    kind: p.statement.kind,
    plan: p,
    notes: target.oidCaveat !== undefined ? [...p.notes, target.oidCaveat] : p.notes,
    error: p.error,
    // Inside --txn a statement's split depends on what came before: only the transaction total is compared.
    upgrade: options.txn || p.error !== undefined ? undefined : upgradeOf(p, onTarget),
  }));
  const txExtras = prediction.transaction !== undefined ? { upgrade: upgradeOf(prediction.transaction, onTarget) } : {};
  ctx.stdout(
    options.json
      ? reportJson(catalog.profile, reports, prediction.transaction, { predicted: true, target: targetJsonOf(target) }, txExtras)
      : reportText(
          catalog.profile,
          reports,
          prediction.transaction,
          'Predicted locks',
          options.verbose,
          describeTarget(target, catalog.profile),
          txExtras,
        ),
  );
  return reports.some((r) => r.error !== undefined) ? 2 : 0;
}
