/**
 * Names of relations a statement creates whose PostgreSQL name holds an OID nobody knows before the statement runs:
 * the TOAST table of a new table is pg_toast.pg_toast_<table OID>, its index pg_toast.pg_toast_<table OID>_index.
 * A prediction names them by their table instead (pg_toast.pg_toast_<fz.fresh>, pg_toast.pg_toast_<fz.fresh>_index),
 * and a measurement renames what pg_locks shows the same way when the table is among the locked relations and was
 * not in the catalog snapshot, so both sides spell the same lock the same way and no lock is hidden.
 */
import type { Catalog } from './catalog.js';
import type { PlannedLock } from './lock-plan.js';

/** The TOAST table of a table the statement creates, named by the table (`format('%I.%I')` of it). */
export function newToastTableName(table: string): string {
  return `pg_toast.pg_toast_<${table}>`;
}

/** The TOAST index of a table the statement creates. */
export function newToastIndexName(table: string): string {
  return `pg_toast.pg_toast_<${table}>_index`;
}

const TOAST_NAME = /^pg_toast\.pg_toast_(\d+)(_index)?$/;

/**
 * Measured locks with the TOAST relations of tables the statement created (their table is locked too, and is not in
 * the snapshot) renamed as a prediction names them, and owned by their table. Others are returned as they are.
 */
export function nameNewToastRelations(locks: readonly PlannedLock[], catalog: Catalog): PlannedLock[] {
  const byOid = new Map<number, string>();
  for (const lock of locks) if (!catalog.relations.has(lock.relationOid)) byOid.set(lock.relationOid, lock.relation);
  return locks.map((lock) => {
    const match = TOAST_NAME.exec(lock.relation);
    if (match === null || catalog.relations.has(lock.relationOid)) return lock;
    const tableOid = Number(match[1]);
    const table = catalog.relations.has(tableOid) ? undefined : byOid.get(tableOid);
    if (table === undefined) return lock;
    return {
      ...lock,
      relation: match[2] === undefined ? newToastTableName(table) : newToastIndexName(table),
      relkind: match[2] === undefined ? 'toast' : 'index',
      owner: { relation: table, relationOid: tableOid },
    };
  });
}
