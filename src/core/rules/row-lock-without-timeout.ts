/** row-lock-without-timeout: FOR UPDATE/SHARE that waits forever: no NOWAIT, no SKIP LOCKED, no lock_timeout. */
import { defineRule, docsPath } from './types.js';
import { insertInSite, lockTimeoutFix } from './fixes.js';
import { lockTimeoutInScope, rowLocksOf } from './site-facts.js';

const ID = 'row-lock-without-timeout';

export const rowLockWithoutTimeout = defineRule({
  meta: {
    id: ID,
    description: 'A row lock waits indefinitely: no NOWAIT, SKIP LOCKED or lock_timeout in scope.',
    defaultSeverity: 'info',
    docs: docsPath(ID),
  },
  messages: {
    waitsForever: 'This row lock waits as long as the holder keeps its transaction open: no NOWAIT, SKIP LOCKED or lock_timeout.',
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      if (a.via !== undefined) continue;
      const blocking = rowLocksOf(a).filter((r) => r.waitPolicy === 'block');
      if (blocking.length === 0 || lockTimeoutInScope(analysis, a)) continue;
      const forClause = /\bFOR\s+(NO\s+KEY\s+UPDATE|KEY\s+SHARE|UPDATE|SHARE)(\s+OF\s+[\w.,\s"]+?)?(?=\s*(;|$|\)|LIMIT|OFFSET))/i.exec(
        a.site.sql,
      );
      report({
        file: a.site.file,
        range: a.site.range,
        messageId: 'waitsForever',
        data: {},
        help: "Add NOWAIT (fail fast), SKIP LOCKED (queue workers), or SET LOCAL lock_timeout = '2s' at the start of the transaction.",
        // In .sql files the rewrites are mechanical: append SKIP LOCKED or NOWAIT to the FOR clause, or set a lock_timeout.
        ...(a.site.origin === 'sql-file' && forClause !== null
          ? {
              fix: insertInSite(a, forClause.index + forClause[0].length, ' SKIP LOCKED', 'Add SKIP LOCKED'),
              moreFixes: [insertInSite(a, forClause.index + forClause[0].length, ' NOWAIT', 'Add NOWAIT'), lockTimeoutFix(a)].filter(
                (f) => f !== undefined,
              ),
            }
          : {}),
      });
    }
  },
});
