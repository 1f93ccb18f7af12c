/** The shapes of the query model: query levels, FROM items, CTEs, sublinks and relation occurrences. */
import type { Node, RangeVar, WithClause } from '@pgsql/types';
import type { LockMode } from '../lock-modes.js';
import type { LockScope, RowLockClause, RowLockStrength } from './row-locks.js';

/** How a DML statement names a relation, which decides the lock parse analysis takes on it. */
export type OccurrenceRole =
  | 'read' // FROM item, JOIN, subquery, CTE body, USING, MERGE source: AccessShareLock
  | 'row-lock' // a FROM item covered by FOR UPDATE / NO KEY UPDATE / SHARE / KEY SHARE: RowShareLock
  | 'write-target'; // INSERT/UPDATE/DELETE/MERGE target (also in data-modifying CTEs): RowExclusiveLock

/** A relation name as written in one place of the statement. */
export interface RelOccurrence {
  schema: string | undefined;
  name: string;
  alias: string | undefined;
  /** False when written with ONLY. */
  inherit: boolean;
  role: OccurrenceRole;
  /** For a row-locked FROM item: the strongest clause covering it. */
  strength: RowLockStrength | undefined;
  /** Mode parse analysis takes: AS, RS (row-locked), RX (DML target). */
  mode: LockMode;
  /** Why, for people: "FROM item", "USING item", "MERGE source", "UPDATE target", "FOR UPDATE target". */
  reason: string;
  /** Where the name stands when not at the top level, innermost first: " in a sublink in WITH d"; "" at the top. */
  context: string;
  /** The query level's quals that may prune this relation's partitions (top-level AND conjuncts). */
  quals: Node[];
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

export type QueryCommand = 'select' | 'insert' | 'update' | 'delete' | 'merge';

export interface QueryLevel {
  command: QueryCommand;
  /** CTEs as written (the planner's order). */
  ctes: CteDef[];
  /** CTEs in the order parse analysis transforms them: as written, or WITH RECURSIVE's dependency order. */
  cteParseOrder: CteDef[];
  /** FOR UPDATE / SHARE clauses of this level. */
  rowLocks: RowLockClause[];
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
export function emptyLevel(command: QueryCommand): QueryLevel {
  return {
    command,
    ctes: [],
    cteParseOrder: [],
    rowLocks: [],
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

/** A relation occurrence for a RangeVar, read unless `role` says otherwise; the caller sets reason and quals. */
export function occurrence(rv: RangeVar, role: OccurrenceRole, reason: string, context: string): RelOccurrence {
  return {
    schema: rv.schemaname,
    name: rv.relname ?? '',
    alias: rv.alias?.aliasname,
    inherit: rv.inh === true,
    role,
    strength: undefined,
    mode: role === 'write-target' ? 'RowExclusiveLock' : role === 'row-lock' ? 'RowShareLock' : 'AccessShareLock',
    reason,
    context,
    quals: [],
    location: rv.location ?? 0,
  };
}

/** CTEs visible at a query level (parse_cte.c: a level sees its own WITH and every enclosing one). */
export interface Scope {
  ctes: Map<string, CteDef>;
  parent: Scope | undefined;
}

/** What the DML level builders need from the model builder (query-model-dml.ts builds INSERT/UPDATE/DELETE/MERGE). */
export interface LevelBuilder {
  statement(node: Node | undefined, scope: Scope | undefined, pushed: RowLockStrength | undefined, context: string): QueryLevel | undefined;
  withClause(clause: WithClause | undefined, outer: Scope | undefined, level: QueryLevel, context: string): Scope | undefined;
  fromItem(item: Node | undefined, scope: Scope | undefined, locks: LockScope, quals: Node[], context: string, reason?: string): FromItem;
  sublinks(tree: unknown, scope: Scope | undefined, context: string): SublinkDef[];
  whereSublinks(where: Node | undefined, scope: Scope | undefined, context: string): SublinkDef[];
}
