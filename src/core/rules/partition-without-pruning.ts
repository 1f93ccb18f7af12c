/** partition-without-pruning: a partitioned table is read with no condition the planner can prune by. */
import { resolveRelation } from '../catalog.js';
import { defineRule, docsPath } from './types.js';

const ID = 'partition-without-pruning';

export const partitionWithoutPruning = defineRule({
  meta: {
    id: ID,
    description: 'A partitioned table is queried without a pruning key: every partition and its indexes are locked.',
    defaultSeverity: 'warning',
    docs: docsPath(ID),
  },
  messages: {
    allPartitions:
      'Reads all {{partitions}} partitions of {{table}} (each with its indexes): no condition on {{key}} the planner can prune by at plan time.',
  },
  check(analysis, report) {
    const catalog = analysis.catalog;
    if (catalog === undefined) return;
    for (const a of analysis.sites) {
      if (a.plan === undefined || a.via !== undefined) continue;
      for (const ref of a.statements.flatMap((s) => (s.kind === 'insert' ? [] : s.relations))) {
        const table = resolveRelation(catalog, ref.schema, ref.name);
        if (table?.relkind !== 'partitioned-table' || !ref.inherit || table.partitions.length < 2) continue;
        const kept = new Set(
          a.plan.locks.filter((l) => l.cause === 'partition' && l.owner?.relationOid === table.oid).map((l) => l.relationOid),
        );
        if (kept.size < table.partitions.length) continue;
        const key = table.partitioning?.keyColumns.join(', ') ?? 'the partition key';
        report({
          file: a.site.file,
          range: a.site.range,
          messageId: 'allPartitions',
          data: { partitions: table.partitions.length, table: table.qualifiedName, key },
          help: `Add a condition on ${key} with a constant (or a parameter in a custom plan); run-time pruning (k = (SELECT …)) still locks every partition.`,
        });
      }
    }
  },
});
