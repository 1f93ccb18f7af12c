/** subtransactions-in-loop: a savepoint per iteration; past 64 with XIDs the backend's subxid cache overflows. */
import { defineRule, docsPath } from './types.js';

const ID = 'subtransactions-in-loop';
export const SUBXID_CACHE = 64;

export const subtransactionsInLoop = defineRule({
  meta: {
    id: ID,
    description: 'A subtransaction is opened once per loop iteration: more than 64 overflow the per-backend cache.',
    defaultSeverity: 'error',
    docs: docsPath(ID),
  },
  messages: {
    perIteration:
      "{{construct}} inside a {{loop}} loop: one subtransaction per iteration. Beyond {{cache}} that write, this backend's subxid cache overflows and every other session's snapshots must look XIDs up in pg_subtrans (SubtransSLRU).",
  },
  check(analysis, report) {
    for (const scan of analysis.scans) {
      for (const s of scan.subtransactions) {
        const loop = s.loops[s.loops.length - 1];
        if (loop === undefined) continue;
        report({
          file: s.file,
          range: s.range,
          messageId: 'perIteration',
          data: { construct: s.kind, loop: loop.kind, cache: SUBXID_CACHE },
          help: 'Move the savepoint out of the loop (one for the batch), or make each iteration its own transaction.',
          related: [{ file: s.file, range: loop.range, message: `the ${loop.kind} loop` }],
        });
      }
    }
  },
});
