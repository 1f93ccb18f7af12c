/** hot-table-indexes: a query touches a table with 16 or more indexes, so it alone fills the pre-18 fast path. */
import { resolveRelation } from '../catalog.js';
import { defineRule, docsPath } from './types.js';

const ID = 'hot-table-indexes';
export const INDEX_THRESHOLD = 16;

export const hotTableIndexes = defineRule({
  meta: {
    id: ID,
    description: 'A query touches a table with 16 or more indexes; every plan locks all of them.',
    defaultSeverity: 'info',
    docs: docsPath(ID),
  },
  messages: {
    manyIndexes:
      '{{table}} has {{indexes}} indexes{{invalid}}: every statement that plans it takes {{locks}} relation locks, more than the 16 fast-path slots before PostgreSQL 18.',
  },
  check(analysis, report) {
    const catalog = analysis.catalog;
    if (catalog === undefined) return;
    for (const a of analysis.sites) {
      if (a.via !== undefined) continue;
      const seen = new Set<number>();
      // Only planned statements open every index; DDL has its own rules.
      for (const ref of a.statements
        .filter((s) => ['select', 'insert', 'update', 'delete', 'merge'].includes(s.kind))
        .flatMap((s) => s.relations)) {
        const table = resolveRelation(catalog, ref.schema, ref.name);
        if (table === undefined || seen.has(table.oid) || table.indexes.length < INDEX_THRESHOLD) continue;
        seen.add(table.oid);
        const invalid = table.indexes.filter((i) => !i.valid).length;
        report({
          file: a.site.file,
          range: a.site.range,
          messageId: 'manyIndexes',
          data: {
            table: table.qualifiedName,
            indexes: table.indexes.length,
            invalid: invalid > 0 ? ` (${invalid} invalid, still locked)` : '',
            locks: table.indexes.length + 1,
          },
          help: 'Drop unused or duplicate indexes (pg_stat_user_indexes.idx_scan = 0), and invalid leftovers of failed CREATE INDEX CONCURRENTLY.',
        });
      }
    }
  },
});
