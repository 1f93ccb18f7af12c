/** row-lock-in-loop: SELECT … FOR UPDATE (or an UPDATE/DELETE) runs once per iteration of a loop. */
import type { AnalyzedSite } from '../analyze/analyze.js';
import { strengthLabel } from '../sql/row-locks.js';
import { defineRule, docsPath } from './types.js';
import { inLoop, rowLockedTables, rowLocksOf } from './site-facts.js';

const ID = 'row-lock-in-loop';

/** What takes the row locks each iteration: "SELECT … FOR NO KEY UPDATE", "UPDATE", "DELETE"; undefined for none. */
function rowLockingStatement(site: AnalyzedSite): string | undefined {
  const clause = rowLocksOf(site)[0];
  if (clause !== undefined) return `SELECT … ${strengthLabel(clause.strength)}`;
  const write = site.statements.find((s) => s.kind === 'update' || s.kind === 'delete');
  return write?.kind.toUpperCase();
}

/**
 * A site seen through a call repeats there only when a loop encloses the call: a loop inside the callee is the
 * callee's own finding, and repeating it at every caller (saleor: 41 at one `order_created(…)` call) says nothing new.
 */
function repeatsHere(a: AnalyzedSite): boolean {
  return inLoop(a) && (a.via === undefined || a.via.callInLoop);
}

export const rowLockInLoop = defineRule({
  meta: {
    id: ID,
    description: 'A row lock is taken once per loop iteration: locks pile up and are held to the end of the transaction.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  messages: {
    perIteration:
      'Row lock on {{tables}} inside a loop{{via}}: one {{statement}} per iteration, every row held until the transaction ends.',
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      const statement = repeatsHere(a) ? rowLockingStatement(a) : undefined;
      if (statement === undefined) continue;
      const loop = a.site.loops[a.site.loops.length - 1];
      report({
        file: a.site.file,
        range: a.site.range,
        messageId: 'perIteration',
        data: {
          tables: rowLockedTables(a).join(', ') || 'a table',
          via: a.via !== undefined ? ` (through ${a.via.callee}())` : '',
          statement,
        },
        help: 'Lock all rows in one statement (WHERE id = ANY($1) … FOR UPDATE, ordered by id), or update them in one bulk UPDATE.',
        related: loop === undefined ? [] : [{ file: a.site.file, range: loop.range, message: `the ${loop.kind} loop` }],
      });
    }
  },
});
