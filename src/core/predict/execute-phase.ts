/**
 * Locks only execution adds (phase "execute"): sequences behind defaults and nextval(), foreign-key checks
 * and actions, tuple routing into partitions, and the parent's AccessShareLock for partition constraint checks.
 */
import type { Catalog, CatalogForeignKey, CatalogRelation } from '../catalog.js';
import { resolveRelation } from '../catalog.js';
import type { LockCause } from '../lock-plan.js';
import type { LockMode } from '../lock-modes.js';
import type { LockRequest } from './fast-path.js';
import type { DmlFacts } from './dml-facts.js';
import { parsePartitionBound, boundAdmits } from './partition-bounds.js';
import { hashPartitionFor } from './hash-partition.js';

export interface ExecuteContext {
  catalog: Catalog;
  command: 'select' | 'insert' | 'update' | 'delete' | 'merge';
  target: CatalogRelation | undefined;
  facts: DmlFacts;
  notes: string[];
}

/** Adds an execute-phase request; `owner` is the relation the locked one belongs to, if any. */
type Add = (relation: CatalogRelation | undefined, mode: LockMode, cause: LockCause, reason: string, owner?: CatalogRelation) => void;
/** Adds a relation and every index of it (a query the executor plans on it opens them). */
type WithIndexes = (relation: CatalogRelation | undefined, mode: LockMode, cause: LockCause, reason: string) => void;

export function executePhaseRequests(ctx: ExecuteContext): LockRequest[] {
  const out: LockRequest[] = [];
  const add: Add = (relation, mode, cause, reason, owner) => {
    if (relation !== undefined) out.push({ relation, mode, phase: 'execute', cause, owner, reason });
  };
  const withIndexes: WithIndexes = (relation, mode, cause, reason) => {
    if (relation === undefined) return;
    add(relation, mode, cause, reason);
    for (const index of relation.indexes)
      add(ctx.catalog.relations.get(index.oid), mode, cause, `index of ${relation.qualifiedName}, planned by the ${reason}`, relation);
  };
  const target = ctx.target;

  if (ctx.command === 'insert' && target !== undefined) {
    const leaf = routeInsert(ctx, target, add);
    const written = writtenColumns(ctx, target);
    for (const column of target.columns) {
      if (written.has(column.name) || column.sequenceOid === undefined) continue;
      add(
        ctx.catalog.relations.get(column.sequenceOid),
        'RowExclusiveLock',
        'sequence',
        `sequence behind the default of ${target.qualifiedName}.${column.name}`,
      );
    }
    for (const fk of (leaf ?? target).foreignKeys) {
      if (!fk.fromColumns.some((c) => written.has(c))) continue;
      withIndexes(
        ctx.catalog.relations.get(fk.toOid),
        'RowShareLock',
        'fk-check',
        `foreign-key check of ${fk.name} (SELECT … FOR KEY SHARE)`,
      );
    }
  }
  if (ctx.command === 'update' && target !== undefined) {
    const set = new Set(ctx.facts.setColumns);
    // The partition constraint of an updated row is built from the parent (generate_partition_qual).
    if (target.relkind === 'partitioned-table')
      add(target, 'AccessShareLock', 'partition-constraint', 'partition constraint check of updated rows reads the parent');
    if (target.partitionOf !== undefined)
      add(
        ctx.catalog.relations.get(target.partitionOf),
        'AccessShareLock',
        'partition-constraint',
        'partition constraint check reads the parent',
      );
    for (const fk of target.foreignKeys) {
      if (fk.fromColumns.some((c) => set.has(c)))
        withIndexes(
          ctx.catalog.relations.get(fk.toOid),
          'RowShareLock',
          'fk-check',
          `foreign-key check of ${fk.name} (SELECT … FOR KEY SHARE)`,
        );
    }
    for (const fk of target.referencedBy)
      if (fk.toColumns.some((c) => set.has(c))) referencedAction(ctx, fk, target, 'update', withIndexes);
  }
  if (ctx.command === 'delete' && target !== undefined) {
    for (const fk of target.referencedBy) referencedAction(ctx, fk, target, 'delete', withIndexes);
  }
  for (const name of ctx.facts.sequenceCalls) {
    const dot = name.lastIndexOf('.');
    const sequence =
      dot > 0 ? resolveRelation(ctx.catalog, name.slice(0, dot), name.slice(dot + 1)) : resolveRelation(ctx.catalog, undefined, name);
    if (sequence === undefined) ctx.notes.push(`Sequence ${name} does not exist.`);
    add(sequence, 'RowExclusiveLock', 'sequence', `${name} in nextval/currval/setval`);
  }
  return out;
}

function writtenColumns(ctx: ExecuteContext, target: CatalogRelation): Set<string> {
  if (ctx.facts.insertColumns !== undefined) return new Set(ctx.facts.insertColumns);
  const width = ctx.facts.valuesWidth ?? target.columns.length;
  return new Set(target.columns.slice(0, width).map((c) => c.name));
}

/** PK side: RI triggers query the referencing table FOR KEY SHARE (NO ACTION also re-checks the PK table). */
function referencedAction(
  ctx: ExecuteContext,
  fk: CatalogForeignKey,
  target: CatalogRelation,
  event: 'update' | 'delete',
  withIndexes: WithIndexes,
): void {
  const action = event === 'delete' ? fk.onDelete : fk.onUpdate;
  const referencing = ctx.catalog.relations.get(fk.fromOid);
  if (action === 'c' || action === 'n' || action === 'd') {
    withIndexes(referencing, 'RowExclusiveLock', 'fk-action', `ON ${event.toUpperCase()} action of ${fk.name}`);
    return;
  }
  withIndexes(referencing, 'RowShareLock', 'fk-action', `${fk.name}: referencing rows checked (FOR KEY SHARE)`);
  if (action === 'a') withIndexes(target, 'RowShareLock', 'fk-action', `${fk.name}: NO ACTION re-checks the referenced key`);
}

/** Tuple routing: the leaf partition a constant VALUES row goes to gets RowExclusiveLock (and intermediate levels). */
function routeInsert(ctx: ExecuteContext, target: CatalogRelation, add: Add): CatalogRelation | undefined {
  let current = target;
  while (current.relkind === 'partitioned-table') {
    const key = current.partitioning?.keyColumns[0];
    const columns = ctx.facts.insertColumns ?? target.columns.map((c) => c.name);
    const position = key === undefined ? -1 : columns.indexOf(key);
    const value = position >= 0 ? ctx.facts.firstRow[position] : undefined;
    const partitions = current.partitions.map((o) => ctx.catalog.relations.get(o)).filter((r): r is CatalogRelation => r !== undefined);
    let chosen: CatalogRelation | undefined;
    if (value !== undefined && current.partitioning?.strategy === 'hash') {
      chosen = hashPartitionFor(partitions, value, current.columns.find((c) => c.name === key)?.typeName);
    } else if (value !== undefined) {
      chosen =
        partitions.find((p) => {
          const bound = parsePartitionBound(p.partitionBound);
          return bound.kind !== 'default' && bound.kind !== 'unknown' && boundAdmits(bound, [{ op: '=', value }]);
        }) ?? partitions.find((p) => parsePartitionBound(p.partitionBound).kind === 'default');
    }
    if (chosen === undefined) {
      ctx.notes.push(
        `Rows inserted into ${current.qualifiedName} lock the partition each row is routed to (RowExclusiveLock); the key is not a constant here.`,
      );
      return undefined;
    }
    add(chosen, 'RowExclusiveLock', 'tuple-routing', `tuple routing into a partition of ${current.qualifiedName}`, current);
    // A default partition's constraint is "none of the other bounds": checking it reads the parent.
    if (parsePartitionBound(chosen.partitionBound).kind === 'default')
      add(current, 'AccessShareLock', 'partition-constraint', 'default partition constraint check reads the parent');
    current = chosen;
  }
  return current === target ? undefined : current;
}
