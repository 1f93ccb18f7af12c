/** The shapes of the query model: query levels, FROM items, CTEs, sublinks and relation occurrences. */
import type { LockMode } from '../lock-modes.js';

/** A relation name as written in one place of the statement. */
export interface RelOccurrence {
  schema: string | undefined;
  name: string;
  alias: string | undefined;
  /** False when written with ONLY. */
  inherit: boolean;
  /** Mode parse analysis takes: AS, RS (row-locked), RX (DML target). */
  mode: LockMode;
  reason: string;
  /** The query level's quals that may prune this relation's partitions (top-level AND conjuncts). */
  quals: unknown[];
  /** UTF-8 byte offset of the name in the parsed text. */
  location: number;
}

export type FromItem =
  | { kind: 'rel'; rel: RelOccurrence }
  | { kind: 'subquery'; query: QueryLevel }
  | { kind: 'cte-ref'; cte: CteDef }
  /** onSublinks: sublinks of JOIN … ON, transformed after both sides; pulled up into the join tree where they stand. */
  | { kind: 'join'; left: FromItem; right: FromItem; onSublinks: SublinkDef[] }
  /** A function or other non-relation FROM item; sublinks in its arguments are SubPlans of the level. */
  | { kind: 'other'; sublinks: SublinkDef[] };

export interface CteDef {
  name: string;
  query: QueryLevel;
  materialized: 'default' | 'always' | 'never';
  recursive: boolean;
  references: number;
}

export interface SublinkDef {
  query: QueryLevel;
  /** pull_up_sublinks turns it into a semi/anti join: its relations join the outer join tree. */
  pulledUp: boolean;
}

export interface QueryLevel {
  command: 'select' | 'insert' | 'update' | 'delete' | 'merge';
  ctes: CteDef[];
  /** DML target (INSERT/UPDATE/DELETE/MERGE). */
  target: RelOccurrence | undefined;
  /** Join tree items in order; for UPDATE/DELETE/MERGE the target is not repeated here. */
  from: FromItem[];
  /** Sublinks in the order parse analysis transforms the clauses. */
  parseSublinks: SublinkDef[];
  /** Sublinks in the order the planner preprocesses expressions (target list first, then quals). */
  planSublinks: SublinkDef[];
  /** Arms of a set operation, left to right (leaves only). */
  setArms: QueryLevel[];
  /** A set operation's own LIMIT / OFFSET / ORDER BY sublinks: parsed after the arms, planned before them. */
  setOpSublinks: SublinkDef[];
  /** INSERT … SELECT source. */
  insertSource: QueryLevel | undefined;
  /** is_simple_subquery: the planner flattens it into the parent's join tree. */
  simple: boolean;
  onConflictInference: boolean;
  /** ON CONFLICT ON CONSTRAINT name: arbiter inference stops at that constraint's index. */
  onConflictConstraint: string | undefined;
  /**
   * MERGE with a WHEN NOT MATCHED [BY TARGET] action joins source (left) to target (right); with only MATCHED
   * actions the target comes first (transformMergeStmt).
   */
  mergeSourceFirst: boolean;
}

/** A level with nothing in it yet, for the builder to fill. */
export function emptyLevel(command: QueryLevel['command']): QueryLevel {
  return {
    command,
    ctes: [],
    target: undefined,
    from: [],
    parseSublinks: [],
    planSublinks: [],
    setArms: [],
    setOpSublinks: [],
    insertSource: undefined,
    simple: true,
    onConflictInference: false,
    onConflictConstraint: undefined,
    mergeSourceFirst: false,
  };
}
