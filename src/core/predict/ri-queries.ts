/**
 * The queries PostgreSQL's referential-integrity triggers run (ri_triggers.c), sequenced like any statement: a
 * partitioned referencing table is queried without ONLY, so the plan opens every partition and its indexes.
 */
import type { Catalog, CatalogForeignKey, CatalogRelation } from '../catalog.js';
import type { LockCause } from '../lock-plan.js';
import { parseStatementTree } from '../sql/parse-sql.js';
import { ModelBuilder } from '../sql/query-model.js';
import type { LockRequest } from './fast-path.js';
import { LockSequencer } from './sequencer.js';

/** What the trigger does to the referencing rows of a changed referenced key (an UPDATE for any SET action). */
export type RiQueryKind = 'check-referencing' | 'cascade-delete' | 'set-null';

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The text ri_triggers.c builds (parameters stay parameters: the value is not known before execution). */
export function riQueryText(kind: RiQueryKind, fk: CatalogForeignKey, referencing: CatalogRelation): string {
  // ri_triggers.c: `fk_only = relkind == PARTITIONED ? "" : "ONLY "`.
  const only = referencing.relkind === 'partitioned-table' ? '' : 'ONLY ';
  const where = fk.fromColumns.map((c, i) => `${quote(c)} = $${i + 1}`).join(' AND ');
  const name = referencing.qualifiedName;
  if (kind === 'cascade-delete') return `DELETE FROM ${only}${name} WHERE ${where}`;
  if (kind === 'set-null') return `UPDATE ${only}${name} SET ${fk.fromColumns.map((c) => `${quote(c)} = NULL`).join(', ')} WHERE ${where}`;
  return `SELECT 1 FROM ${only}${name} x WHERE ${where} FOR KEY SHARE OF x`;
}

/** The locks of one RI query on the referencing table, as execute-phase requests of the statement that fired it. */
export function riQueryRequests(
  catalog: Catalog,
  kind: RiQueryKind,
  fk: CatalogForeignKey,
  referencing: CatalogRelation,
  reason: string,
): LockRequest[] {
  const tree = parseStatementTree(riQueryText(kind, fk, referencing));
  const model = tree === undefined ? undefined : new ModelBuilder().build(tree);
  if (model === undefined) return [];
  const sequencer = new LockSequencer(catalog, {
    locksPartitionedIndexes: catalog.profile.versionNum >= 160000,
    generic: false,
    viewModel: () => undefined,
  });
  sequencer.run(model);
  const cause: LockCause = 'fk-action';
  const requests: LockRequest[] = sequencer.requests.map((r) => ({ ...r, phase: 'execute', cause, reason: `${reason}: ${r.reason}` }));
  if (kind === 'set-null') requests.push(...updatedLeafParents(catalog, sequencer.requests, reason));
  return requests;
}

/**
 * The UPDATE of a SET NULL / SET DEFAULT action checks each changed row's partition constraint (ExecPartitionCheck):
 * building a leaf's constraint opens its parent in AccessShareLock. Any kept leaf may hold a referencing row (the
 * query's key is a parameter), so the parent of each is predicted, in plan order.
 */
function updatedLeafParents(catalog: Catalog, planned: readonly LockRequest[], reason: string): LockRequest[] {
  const out: LockRequest[] = [];
  const seen = new Set<number>();
  for (const request of planned) {
    const leaf = request.relation;
    if (request.cause !== 'partition' || leaf.relkind !== 'table' || leaf.partitionOf === undefined || seen.has(leaf.partitionOf)) continue;
    seen.add(leaf.partitionOf);
    const parent = catalog.relations.get(leaf.partitionOf);
    if (parent === undefined) continue;
    out.push({
      relation: parent,
      mode: 'AccessShareLock',
      phase: 'execute',
      cause: 'partition-constraint',
      owner: undefined,
      reason: `${reason}: partition constraint check of rows updated in a partition of ${parent.qualifiedName} reads it (when a referencing row is there)`,
    });
  }
  return out;
}
