/**
 * A ranked statement's figures as plain data, picked out in one place for the CLI's `workload --json` and the Lock Cost
 * view. Its own module, importing rank.ts for types only, so the webview bundle does not pull in the parser.
 */
import type { RankedStatement } from './rank.js';

/** All but the lock plan, relations and sites, which each reader shapes its own way. */
export type StatementFigures = Omit<RankedStatement, 'relations' | 'sites' | 'lockPlan'>;

export function statementFigures(statement: RankedStatement): StatementFigures {
  const { relations: _relations, sites: _sites, lockPlan: _lockPlan, ...figures } = statement;
  return figures;
}
