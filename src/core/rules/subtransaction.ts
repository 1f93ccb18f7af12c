/** subtransaction: a construct opens a SAVEPOINT (ORM nested transaction, SAVEPOINT, PL/pgSQL EXCEPTION block). */
import { defineRule, docsPath } from './types.js';

const ID = 'subtransaction';

export const subtransaction = defineRule({
  meta: {
    id: ID,
    description: 'Opens a subtransaction (SAVEPOINT): each one that writes takes an XID and a slot in a 64-entry per-backend cache.',
    defaultSeverity: 'info',
    docs: docsPath(ID),
  },
  messages: {
    opens:
      '{{construct}} opens a subtransaction. While a long transaction runs elsewhere, subtransactions make every snapshot consult pg_subtrans (SubtransSLRU waits), on replicas too.',
  },
  check(analysis, report) {
    for (const scan of analysis.scans) {
      for (const s of scan.subtransactions) {
        if (s.loops.length > 0) continue; // subtransactions-in-loop reports those
        report({
          file: s.file,
          range: s.range,
          messageId: 'opens',
          data: { construct: s.kind },
          help: 'Avoid savepoints on hot paths: handle the error case before writing, or use a separate transaction.',
        });
      }
    }
  },
});
