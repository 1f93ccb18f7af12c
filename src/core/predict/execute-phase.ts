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
import { riQueryRequests } from './ri-queries.js';
import { keyFamily, typedValue } from './key-values.js';
import { typedBound } from './pruning.js';

export interface ExecuteContext {
  catalog: Catalog;
  command: 'select' | 'insert' | 'update' | 'delete' | 'merge';
  target: CatalogRelation | undefined;
  facts: DmlFacts;
  notes: string[];
  /** The statement's plan-phase requests: the leaf partitions of an UPDATE that plan-time pruning kept. */
  planned?: readonly LockRequest[];
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
  /** The check of a written key: at statement end, or at COMMIT for a deferred key. */
  const check = (fk: CatalogForeignKey): void => {
    const from = out.length;
    withIndexes(
      ctx.catalog.relations.get(fk.toOid),
      'RowShareLock',
      'fk-check',
      `foreign-key check of ${fk.name} (SELECT … FOR KEY SHARE)`,
    );
    if (fk.deferred !== true) return;
    for (let i = from; i < out.length; i++) out[i] = { ...(out[i] as LockRequest), atCommit: true };
    ctx.notes.push(`${fk.name} is DEFERRABLE INITIALLY DEFERRED: its check locks ${fk.name}'s referenced table at COMMIT (see --txn).`);
  };
  const target = ctx.target;

  if (ctx.command === 'insert' && target !== undefined) {
    const written = writtenColumns(ctx, target);
    // Defaults are evaluated in the plan's projection, before the row is routed.
    for (const column of target.columns) {
      if (written.has(column.name) || column.sequenceOid === undefined) continue;
      add(
        ctx.catalog.relations.get(column.sequenceOid),
        'RowExclusiveLock',
        'sequence',
        `sequence behind the default of ${target.qualifiedName}.${column.name}`,
      );
    }
    const leaf = routeInsert(ctx, target, add);
    // ExecOpenIndices: the written table's indexes, RowExclusiveLock until executor end (during the FK checks).
    const writtenTable = leaf ?? (target.relkind === 'partitioned-table' ? undefined : target);
    for (const index of writtenTable?.indexes ?? []) {
      const relation = ctx.catalog.relations.get(index.oid);
      if (relation === undefined) continue;
      const reason = `index of ${writtenTable?.qualifiedName ?? ''} opened for the inserted rows (released at statement end)`;
      out.push({
        relation,
        mode: 'RowExclusiveLock',
        phase: 'execute',
        cause: 'statement-target',
        owner: writtenTable,
        reason,
        transient: true,
      });
    }
    for (const fk of foreignKeysOf(ctx.catalog, leaf ?? target)) if (fk.fromColumns.some((c) => written.has(c))) check(fk);
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
    for (const parent of subPartitionParents(ctx, target))
      add(
        parent,
        'AccessShareLock',
        'partition-constraint',
        `partition constraint check of rows updated in a partition of ${parent.qualifiedName} reads it (when the statement updates a row there)`,
      );
    for (const fk of foreignKeysOf(ctx.catalog, target)) if (fk.fromColumns.some((c) => set.has(c))) check(fk);
    for (const fk of target.referencedBy)
      if (fk.toColumns.some((c) => set.has(c))) referencedAction(out, ctx, fk, target, 'update', withIndexes);
  }
  if (ctx.command === 'delete' && target !== undefined) {
    for (const fk of target.referencedBy) referencedAction(out, ctx, fk, target, 'delete', withIndexes);
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

/**
 * The partitioned partitions below an UPDATE's target whose leaves plan-time pruning kept. Updating a row checks its
 * leaf's partition constraint (ExecPartitionCheck); building it (generate_partition_qual, not cached for a leaf
 * before) opens the leaf's parent in AccessShareLock, and the parent's own constraint was built when it was planned.
 * Which leaf holds an updated row is data: every kept leaf may, so its parent is predicted (a WHERE that pins the
 * partition key keeps only the leaves that can hold the row).
 */
function subPartitionParents(ctx: ExecuteContext, target: CatalogRelation): CatalogRelation[] {
  const parents = new Map<number, CatalogRelation>();
  for (const request of ctx.planned ?? []) {
    const leaf = request.relation;
    if (request.cause !== 'partition' || leaf.relkind !== 'table' || leaf.partitionOf === undefined) continue;
    if (leaf.partitionOf === target.oid || parents.has(leaf.partitionOf)) continue;
    const parent = ctx.catalog.relations.get(leaf.partitionOf);
    if (parent !== undefined && descendsFrom(ctx.catalog, parent, target)) parents.set(parent.oid, parent);
  }
  return [...parents.values()];
}

function descendsFrom(catalog: Catalog, relation: CatalogRelation, ancestor: CatalogRelation): boolean {
  for (
    let r: CatalogRelation | undefined = relation;
    r !== undefined;
    r = r.partitionOf === undefined ? undefined : catalog.relations.get(r.partitionOf)
  )
    if (r.oid === ancestor.oid) return true;
  return false;
}

/**
 * The foreign keys a relation's rows are checked against: its own and, for a partition, every ancestor's (the
 * snapshot lists a key once, on the table that declares it; PostgreSQL clones it onto each partition).
 */
function foreignKeysOf(catalog: Catalog, relation: CatalogRelation): CatalogForeignKey[] {
  const out: CatalogForeignKey[] = [];
  for (let r: CatalogRelation | undefined = relation; r !== undefined;) {
    out.push(...r.foreignKeys);
    r = r.partitionOf === undefined ? undefined : catalog.relations.get(r.partitionOf);
  }
  return out;
}

function writtenColumns(ctx: ExecuteContext, target: CatalogRelation): Set<string> {
  if (ctx.facts.insertColumns !== undefined) return new Set(ctx.facts.insertColumns);
  const width = ctx.facts.valuesWidth ?? target.columns.length;
  return new Set(target.columns.slice(0, width).map((c) => c.name));
}

/**
 * PK side: RI triggers query the referencing table FOR KEY SHARE, or change its rows (CASCADE / SET NULL / SET
 * DEFAULT); NO ACTION also re-checks the referenced key. A partitioned referencing table is queried without ONLY.
 */
function referencedAction(
  out: LockRequest[],
  ctx: ExecuteContext,
  fk: CatalogForeignKey,
  target: CatalogRelation,
  event: 'update' | 'delete',
  withIndexes: WithIndexes,
): void {
  const action = event === 'delete' ? fk.onDelete : fk.onUpdate;
  const referencing = ctx.catalog.relations.get(fk.fromOid);
  if (referencing === undefined) return;
  const from = out.length;
  const changesRows = action === 'c' || action === 'n' || action === 'd';
  const checkReferencing = (): void => {
    if (referencing.relkind === 'partitioned-table')
      out.push(...riQueryRequests(ctx.catalog, 'check-referencing', fk, referencing, `${fk.name}: referencing rows checked`));
    else withIndexes(referencing, 'RowShareLock', 'fk-action', `${fk.name}: referencing rows checked (FOR KEY SHARE)`);
  };
  // ri_restrict (NO ACTION, RESTRICT, and SET DEFAULT's closing check) opens the referencing table in RowShareLock
  // first, then NO ACTION looks for another referenced row with the old key (ri_Check_Pk_Match), then it queries the
  // referencing rows: the order decides which of them still get a fast-path slot.
  const restrict = (noAction: boolean): void => {
    out.push({
      relation: referencing,
      mode: 'RowShareLock',
      phase: 'execute',
      cause: 'fk-action',
      owner: undefined,
      reason: `${fk.name}: the referencing table is opened for the check`,
    });
    if (noAction) withIndexes(target, 'RowShareLock', 'fk-action', `${fk.name}: NO ACTION re-checks the referenced key`);
    checkReferencing();
  };
  if (!changesRows) restrict(action === 'a');
  else if (referencing.relkind === 'partitioned-table') {
    const kind = action === 'c' && event === 'delete' ? 'cascade-delete' : 'set-null';
    out.push(...riQueryRequests(ctx.catalog, kind, fk, referencing, `ON ${event.toUpperCase()} of ${fk.name}`));
  } else withIndexes(referencing, 'RowExclusiveLock', 'fk-action', `ON ${event.toUpperCase()} action of ${fk.name}`);
  // ri_set ends SET DEFAULT with the NO ACTION check (ri_restrict): a row may still hold the default key.
  if (action === 'd') restrict(true);
  if (action !== 'a') return;
  // Of the action triggers only NO ACTION's is created deferrable (createForeignKeyActionTriggers): it runs at COMMIT.
  if (fk.deferred !== true) return;
  for (let i = from; i < out.length; i++) out[i] = { ...(out[i] as LockRequest), atCommit: true };
  ctx.notes.push(`${fk.name} is DEFERRABLE INITIALLY DEFERRED: its NO ACTION check runs at COMMIT (see --txn).`);
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
    const typeName = current.columns.find((c) => c.name === key)?.typeName;
    // The value read as the key's type, as pruning does ('100' in a bigint bound is 100, 2.50 numeric is 2.5).
    const family = keyFamily(typeName);
    const enumLabels = current.partitioning?.keyTypes?.[0]?.enumLabels;
    const typed = value === undefined ? undefined : typedValue(value, family, enumLabels);
    if (typed !== undefined && current.partitioning?.strategy === 'hash') {
      chosen = hashPartitionFor(partitions, typed, typeName, current.partitioning.keyTypes?.[0]);
    } else if (value !== undefined) {
      const bounds = partitions.map((p) => ({ p, bound: typedBound(parsePartitionBound(p.partitionBound), family, enumLabels) }));
      chosen =
        typed === undefined || bounds.some((b) => b.bound.kind === 'unknown')
          ? undefined
          : (
              bounds.find((b) => b.bound.kind !== 'default' && boundAdmits(b.bound, [{ op: '=', value: typed }])) ??
              bounds.find((b) => b.bound.kind === 'default')
            )?.p;
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
