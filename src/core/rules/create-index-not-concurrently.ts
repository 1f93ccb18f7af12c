/** create-index-not-concurrently: CREATE INDEX takes ShareLock and blocks writes for the whole build. */
import { createdEarlierInFile } from './new-tables.js';
import { defineRule, docsPath } from './types.js';

const ID = 'create-index-not-concurrently';

export const createIndexNotConcurrently = defineRule({
  meta: {
    id: ID,
    description: 'CREATE INDEX without CONCURRENTLY blocks all writes to the table while it builds.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  messages: {
    blocksWrites: 'CREATE INDEX on {{table}} takes ShareLock: inserts, updates and deletes wait until the index is built.',
  },
  check(analysis, report) {
    for (const a of analysis.sites) {
      for (const s of a.statements) {
        if (s.command !== 'CREATE INDEX') continue;
        // Indexing a table created above in the same file blocks no writes: nobody writes to it yet.
        const table = s.relations[0]?.name;
        if (table !== undefined && createdEarlierInFile(analysis, a, s, [table])) continue;
        const match = /\bCREATE\s+(UNIQUE\s+)?INDEX\b/i.exec(a.site.sql);
        const fix =
          a.site.origin === 'sql-file' && match !== null && !a.site.sql.slice(0, match.index).includes('\n')
            ? {
                description: 'Use CREATE INDEX CONCURRENTLY',
                edits: [
                  {
                    file: a.site.file,
                    range: {
                      start: { line: a.site.range.start.line, character: a.site.range.start.character + match.index + match[0].length },
                      end: { line: a.site.range.start.line, character: a.site.range.start.character + match.index + match[0].length },
                    },
                    newText: ' CONCURRENTLY',
                  },
                ],
              }
            : undefined;
        report({
          file: a.site.file,
          range: a.site.range,
          messageId: 'blocksWrites',
          data: { table: s.relations[0]?.name ?? 'the table' },
          help: 'Use CREATE INDEX CONCURRENTLY (outside a transaction block; check for an INVALID index if it fails).',
          fix,
        });
      }
    }
  },
});
