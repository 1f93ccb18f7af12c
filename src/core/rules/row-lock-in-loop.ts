/** row-lock-in-loop: SELECT … FOR UPDATE (or an UPDATE/DELETE) runs once per iteration of a loop. */
import { docsPath, type Rule } from './types.js';
import { inLoop, rowLockedTables, rowLocksOf } from './site-facts.js';

const ID = 'row-lock-in-loop';

export const rowLockInLoop: Rule = {
  meta: {
    id: ID,
    description: 'A row lock is taken once per loop iteration: locks pile up and are held to the end of the transaction.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      if (!inLoop(a) || rowLocksOf(a).length === 0) continue;
      const loop = a.site.loops[a.site.loops.length - 1];
      report({
        file: a.site.file,
        range: a.site.range,
        message: `Row lock on ${rowLockedTables(a).join(', ') || 'a table'} inside a loop${a.via !== undefined ? ` (through ${a.via.callee}())` : ''}: one SELECT … FOR ${rowLocksOf(a)[0]?.strength.replace('-', ' ').toUpperCase()} per iteration, every row held until the transaction ends.`,
        help: 'Lock all rows in one statement (WHERE id = ANY($1) … FOR UPDATE, ordered by id), or update them in one bulk UPDATE.',
        related: loop === undefined ? [] : [{ file: a.site.file, range: loop.range, message: `the ${loop.kind} loop` }],
      });
    }
  },
};
