/**
 * DDL in a load probe runs many times over, from many sessions, taking strong locks on the tables others use: it is
 * refused unless the database is declared disposable. Under EXPLAIN or a single rolled-back execution (measure,
 * the Locks tab) DDL is what one wants to measure, and PostgreSQL rolls it back with the transaction.
 */
import { analyzeStatement } from '../../sql/analyze-statement.js';
import type { GuardRule } from '../types.js';

export const ddlNeedsDisposable: GuardRule = (stmt, options) => {
  if (options.purpose !== 'probe' || options.disposable) return [];
  const { kind, command } = analyzeStatement(stmt);
  if (kind !== 'ddl') return [];
  return [
    {
      rule: 'ddl-needs-disposable',
      severity: 'refuse',
      reason: `DDL (${command}) in a load probe takes strong locks again and again; allowed only on a database declared disposable (--disposable).`,
    },
  ];
};
