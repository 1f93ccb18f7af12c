/** ddl-without-lock-timeout: DDL that takes a strong lock, with no lock_timeout: it queues behind readers and blocks everyone. */
import { isStrongMode } from '../lock-modes.js';
import { defineRule, docsPath } from './types.js';
import { lockTimeoutFix } from './fixes.js';
import { lockTimeoutInScope } from './site-facts.js';
import { createdEarlierInFile, dropsScratchTable } from './new-tables.js';

const ID = 'ddl-without-lock-timeout';

export const ddlWithoutLockTimeout = defineRule({
  meta: {
    id: ID,
    description: 'DDL takes a strong lock without lock_timeout: while it waits, every query on the table queues behind it.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  messages: {
    noTimeout:
      '{{command}} takes {{mode}} on {{table}} with no lock_timeout: if it waits for a long query, every later query on {{table}} waits behind it.',
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      for (const s of a.statements) {
        const strong = s.kind === 'ddl' ? s.relations.filter((r) => isStrongMode(r.mode)) : [];
        if (strong.length === 0 || lockTimeoutInScope(analysis, a)) continue;
        // A table this migration (or schema file) created above has no traffic to block yet.
        if (
          createdEarlierInFile(
            analysis,
            a,
            s,
            strong.map((r) => r.name),
          ) ||
          dropsScratchTable(analysis, a, s)
        )
          continue;
        const target = strong[0];
        report({
          file: a.site.file,
          range: a.site.range,
          messageId: 'noTimeout',
          data: { command: s.command, mode: target?.mode ?? 'a strong lock', table: target?.name ?? 'the table' },
          help: "SET lock_timeout = '3s' first (and retry), so a blocked migration gives up instead of stalling traffic.",
          fix: lockTimeoutFix(a, '3s'),
        });
      }
    }
  },
});
