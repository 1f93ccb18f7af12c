/**
 * Index diet advice on a workload ranking: for the tables the ranked statements lock, the indexes that are invalid,
 * unused since the statistics reset, or duplicates of another — and the lock and slow-path acquisitions per second
 * the workload would no longer make without them (every index of a table is locked when the planner plans it).
 */
import type { Catalog } from '../catalog.js';
import type { LockPlan, PlannedLock } from '../lock-plan.js';
import { FastPathState } from '../predict/fast-path.js';
import type { RankedStatement } from './rank.js';

/** What the server says about one index (pg_index, pg_stat_all_indexes). */
export interface IndexUsage {
  indexOid: number;
  /** `schema.name`. */
  index: string;
  tableOid: number;
  table: string;
  /** idx_scan since the statistics reset; undefined when the server has no statistics row. */
  scans: number | undefined;
  valid: boolean;
  unique: boolean;
  primary: boolean;
  /** The constraint the index enforces (primary key, unique, exclusion), if any. */
  constraint: string | undefined;
  /** Equal for two indexes that are the same index under two names (table, method, keys, classes, expressions, predicate). */
  sameAs: string;
  sizeBytes: number;
}

export type DietReason = { kind: 'invalid' } | { kind: 'unused' } | { kind: 'duplicate'; of: string };

export interface SavedRates {
  locksPerSecond: number;
  slowPathPerSecond: number;
}

export interface DietCandidate {
  index: string;
  table: string;
  reasons: DietReason[];
  scans: number | undefined;
  sizeBytes: number;
  /** What dropping this index alone saves the ranked workload. */
  saves: SavedRates;
}

export interface TableDiet {
  table: string;
  /** Indexes of the table, and how many the diet would drop. */
  indexes: number;
  drop: string[];
  /** What dropping all of `drop` saves. */
  saves: SavedRates;
}

export interface IndexDiet {
  candidates: DietCandidate[];
  tables: TableDiet[];
  /** Dropping every candidate. */
  saves: SavedRates;
  /** When the statistics behind "unused" start (pg_stat_database.stats_reset); undefined: since the cluster was created. */
  statsReset: string | undefined;
}

/** Which index of a duplicate group stays: the one enforcing a constraint, then unique, then the most scanned. */
function keeperOf(group: IndexUsage[]): IndexUsage {
  const score = (i: IndexUsage): number[] => [
    i.primary ? 1 : 0,
    i.constraint !== undefined ? 1 : 0,
    i.unique ? 1 : 0,
    i.valid ? 1 : 0,
    i.scans ?? 0,
  ];
  return [...group].sort((a, b) => {
    const [sa, sb] = [score(a), score(b)];
    for (let k = 0; k < sa.length; k++) if ((sa[k] ?? 0) !== (sb[k] ?? 0)) return (sb[k] ?? 0) - (sa[k] ?? 0);
    return a.index.localeCompare(b.index);
  })[0] as IndexUsage;
}

function reasonsByIndex(indexes: readonly IndexUsage[]): Map<number, DietReason[]> {
  const out = new Map<number, DietReason[]>();
  const add = (i: IndexUsage, reason: DietReason): void => void out.set(i.indexOid, [...(out.get(i.indexOid) ?? []), reason]);
  const groups = new Map<string, IndexUsage[]>();
  for (const i of indexes) groups.set(i.sameAs, [...(groups.get(i.sameAs) ?? []), i]);
  for (const i of indexes) {
    if (!i.valid) add(i, { kind: 'invalid' });
    // A unique or constraint index protects data even when no query reads it: never "unused".
    else if (i.scans === 0 && !i.unique && !i.primary && i.constraint === undefined) add(i, { kind: 'unused' });
  }
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const keeper = keeperOf(group);
    for (const i of group) if (i !== keeper && (i.valid || keeper.valid)) add(i, { kind: 'duplicate', of: keeper.index });
  }
  return out;
}

/** The statement's locks replayed through the fast-path slots without the dropped relations: what it would take. */
function withoutRelations(plan: LockPlan, dropped: ReadonlySet<number>, catalog: Catalog): { locks: number; slowPath: number } {
  const state = new FastPathState(plan.profile, catalog.databaseOid);
  for (const lock of plan.locks) {
    if (dropped.has(lock.relationOid)) continue;
    const relation = catalog.relations.get(lock.relationOid);
    if (relation === undefined) return { locks: plan.totals.locks, slowPath: plan.totals.slowpath };
    const owner = lock.owner === undefined ? undefined : catalog.relations.get(lock.owner.relationOid);
    state.acquire({ relation, mode: lock.mode, phase: lock.phase, cause: lock.cause, owner, reason: lock.reason });
  }
  const locks: PlannedLock[] = state.acquired;
  return { locks: locks.length, slowPath: locks.filter((l) => !l.fastpath).length };
}

function savedBy(statements: readonly RankedStatement[], dropped: ReadonlySet<number>, catalog: Catalog): SavedRates {
  const saves = { locksPerSecond: 0, slowPathPerSecond: 0 };
  for (const s of statements) {
    if (!s.lockPlan.locks.some((l) => dropped.has(l.relationOid))) continue;
    const after = withoutRelations(s.lockPlan, dropped, catalog);
    saves.locksPerSecond += (s.lockPlan.totals.locks - after.locks) * s.callsPerSecond;
    saves.slowPathPerSecond += (s.lockPlan.totals.slowpath - after.slowPath) * s.callsPerSecond;
  }
  return saves;
}

/** The tables whose indexes the ranked statements lock (the diet looks at these only). */
export function tablesWithIndexLocks(statements: readonly RankedStatement[]): number[] {
  const out = new Set<number>();
  for (const s of statements)
    for (const l of s.lockPlan.locks)
      if ((l.relkind === 'index' || l.relkind === 'partitioned-index') && l.owner !== undefined) out.add(l.owner.relationOid);
  return [...out];
}

export function indexDiet(
  statements: readonly RankedStatement[],
  indexes: readonly IndexUsage[],
  catalog: Catalog,
  statsReset: string | undefined,
): IndexDiet {
  const reasons = reasonsByIndex(indexes);
  const candidates: DietCandidate[] = indexes
    .filter((i) => reasons.has(i.indexOid))
    .map((i) => ({
      index: i.index,
      table: i.table,
      reasons: reasons.get(i.indexOid) ?? [],
      scans: i.scans,
      sizeBytes: i.sizeBytes,
      saves: savedBy(statements, new Set([i.indexOid]), catalog),
    }));
  const tables: TableDiet[] = [];
  for (const table of new Set(indexes.map((i) => i.table))) {
    const drop = indexes.filter((i) => i.table === table && reasons.has(i.indexOid));
    if (drop.length === 0) continue;
    tables.push({
      table,
      indexes: indexes.filter((i) => i.table === table).length,
      drop: drop.map((i) => i.index),
      saves: savedBy(statements, new Set(drop.map((i) => i.indexOid)), catalog),
    });
  }
  tables.sort((a, b) => b.saves.slowPathPerSecond - a.saves.slowPathPerSecond || b.saves.locksPerSecond - a.saves.locksPerSecond);
  candidates.sort((a, b) => b.saves.slowPathPerSecond - a.saves.slowPathPerSecond || b.saves.locksPerSecond - a.saves.locksPerSecond);
  return { candidates, tables, saves: savedBy(statements, new Set([...reasons.keys()]), catalog), statsReset };
}
