/**
 * DDL and maintenance statements: the relations each names and the lock level it takes on them, from
 * postgres-lock-rules.md §4 (docs' table-level lock table, tablecmds.c, indexcmds.c, lockcmds.c, measured D01–D46).
 * Locks on objects the statement creates (new indexes, heaps) have no name yet and are not listed.
 */
import type { Node, RangeVar } from '@pgsql/types';
import { LOCK_MODES, type LockMode } from '../lock-modes.js';
import type { RelationRef, StatementDetails } from '../statement.js';
import { defElems, list, namesOf, nodeAs, rangeVar } from './ast.js';
import { alterTableLevel } from './alter-table-levels.js';

/** A relation found in the tree; `location` is the UTF-8 byte offset of its name in the parsed text (-1: none given). */
export type FoundRelation = Omit<RelationRef, 'offset'> & { location: number };

export interface UtilityResult {
  command: string;
  /** Relations; a `location` of -1 means the AST gave none (names in DROP / COMMENT lists). */
  relations: FoundRelation[];
  details: StatementDetails;
}

const RELATION_OBJECTS: Record<string, string> = {
  OBJECT_TABLE: 'TABLE',
  OBJECT_INDEX: 'INDEX',
  OBJECT_VIEW: 'VIEW',
  OBJECT_MATVIEW: 'MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'SEQUENCE',
  OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE',
};

function target(rv: RangeVar | undefined, mode: LockMode, reason: string): FoundRelation[] {
  if (rv?.relname === undefined) return [];
  return [
    {
      schema: rv.schemaname,
      name: rv.relname,
      alias: undefined,
      role: 'ddl-target',
      mode,
      inherit: rv.inh === true,
      reason,
      location: rv.location ?? -1,
    },
  ];
}

/** A qualified name written as a list of strings (DROP, COMMENT): [schema.]name. */
function named(names: string[], mode: LockMode, reason: string): FoundRelation[] {
  const name = names[names.length - 1];
  if (name === undefined) return [];
  return [
    {
      schema: names.length >= 2 ? names[names.length - 2] : undefined,
      name,
      alias: undefined,
      role: 'ddl-target',
      mode,
      inherit: true,
      reason,
      location: -1,
    },
  ];
}

function modeName(mode: LockMode): string {
  return mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

function ddl(command: string, relations: FoundRelation[], details: StatementDetails = {}): UtilityResult {
  return { command, relations, details: { ddlCommand: command, ...details } };
}

function alterTable(node: NonNullable<ReturnType<typeof nodeAs<'AlterTableStmt'>>>): UtilityResult {
  const { mode, subcommands } = alterTableLevel(node.cmds);
  const what = RELATION_OBJECTS[node.objtype ?? 'OBJECT_TABLE'] ?? 'TABLE';
  const command = `ALTER ${what}`;
  const relations = target(node.relation, mode, `${command} ${subcommands.join(', ')}`);
  let concurrently = false;
  for (const cmdNode of list(node.cmds)) {
    const cmd = nodeAs(cmdNode, 'AlterTableCmd');
    const constraint = nodeAs(cmd?.def, 'Constraint');
    const partition = nodeAs(cmd?.def, 'PartitionCmd');
    if (cmd?.subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN') {
      relations.push(...target(constraint.pktable, 'ShareRowExclusiveLock', 'referenced by the new foreign key'));
    } else if (cmd?.subtype === 'AT_AttachPartition' && what === 'TABLE') {
      relations.push(...target(partition?.name, 'AccessExclusiveLock', 'ATTACH PARTITION: the table attached'));
    } else if (cmd?.subtype === 'AT_DetachPartition') {
      concurrently ||= partition?.concurrent === true;
      const detachMode: LockMode = partition?.concurrent === true ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
      relations.push(
        ...target(
          partition?.name,
          detachMode,
          `DETACH PARTITION${partition?.concurrent === true ? ' CONCURRENTLY' : ''}: the partition detached`,
        ),
      );
    }
  }
  return ddl(command, relations, { ddlSubcommands: subcommands, ...(concurrently ? { concurrently } : {}) });
}

function rename(node: NonNullable<ReturnType<typeof nodeAs<'RenameStmt'>>>): UtilityResult {
  const renameType = node.renameType ?? '';
  const relationType = RELATION_OBJECTS[renameType] !== undefined ? renameType : (node.relationType ?? '');
  const what = RELATION_OBJECTS[relationType];
  if (what === undefined || node.relation === undefined) return ddl(`ALTER ${renameType.replace(/^OBJECT_/, '')} RENAME`, []);
  // RenameRelation: renaming an index only needs ShareUpdateExclusiveLock; tables, columns and constraints AX.
  const mode: LockMode = renameType === 'OBJECT_INDEX' ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
  const sub = renameType === 'OBJECT_COLUMN' ? 'RENAME COLUMN' : renameType === 'OBJECT_TABCONSTRAINT' ? 'RENAME CONSTRAINT' : 'RENAME';
  const command = `ALTER ${what} RENAME`;
  return ddl(command, target(node.relation, mode, `ALTER ${what} ${sub}`), { ddlSubcommands: [sub] });
}

/** DDL statements by node tag; undefined when the tag is not one of them. */
export function analyzeDdl(stmt: Node): UtilityResult | undefined {
  const alter = nodeAs(stmt, 'AlterTableStmt');
  if (alter !== undefined) return alterTable(alter);
  const renameStmt = nodeAs(stmt, 'RenameStmt');
  if (renameStmt !== undefined) return rename(renameStmt);
  const index = nodeAs(stmt, 'IndexStmt');
  if (index !== undefined) {
    const concurrently = index.concurrent === true;
    const command = concurrently ? 'CREATE INDEX CONCURRENTLY' : 'CREATE INDEX';
    const reason = concurrently ? 'CREATE INDEX CONCURRENTLY (writes continue)' : 'CREATE INDEX blocks writes';
    return ddl(command, target(index.relation, concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock', reason), { concurrently });
  }
  const reindex = nodeAs(stmt, 'ReindexStmt');
  if (reindex !== undefined) {
    const concurrently = defElems(reindex.params).has('concurrently');
    const onIndex = reindex.kind === 'REINDEX_OBJECT_INDEX';
    // REINDEX TABLE: ShareLock on the table; REINDEX INDEX: AccessExclusiveLock on the index (its table gets ShareLock).
    const mode: LockMode = concurrently ? 'ShareUpdateExclusiveLock' : onIndex ? 'AccessExclusiveLock' : 'ShareLock';
    const command = concurrently ? 'REINDEX CONCURRENTLY' : 'REINDEX';
    return ddl(command, target(reindex.relation, mode, `${command} ${onIndex ? 'INDEX' : 'TABLE'}`), { concurrently });
  }
  const drop = nodeAs(stmt, 'DropStmt');
  if (drop !== undefined) {
    const what = RELATION_OBJECTS[drop.removeType ?? ''];
    if (what === undefined) return ddl(`DROP ${(drop.removeType ?? '').replace(/^OBJECT_/, '').replace(/_/g, ' ')}`, []);
    const concurrently = drop.concurrent === true;
    const command = `DROP ${what}${concurrently ? ' CONCURRENTLY' : ''}`;
    const mode: LockMode = concurrently ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
    return ddl(
      command,
      list(drop.objects).flatMap((o) => named(namesOf(o), mode, command)),
      { concurrently },
    );
  }
  const truncate = nodeAs(stmt, 'TruncateStmt');
  if (truncate !== undefined)
    return ddl(
      'TRUNCATE',
      list(truncate.relations).flatMap((r) => target(rangeVar(r), 'AccessExclusiveLock', 'TRUNCATE')),
    );
  const vacuum = nodeAs(stmt, 'VacuumStmt');
  if (vacuum !== undefined) {
    const full = vacuum.is_vacuumcmd === true && defElems(vacuum.options).has('full');
    const command = vacuum.is_vacuumcmd === true ? (full ? 'VACUUM FULL' : 'VACUUM') : 'ANALYZE';
    const mode: LockMode = full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock';
    return ddl(
      command,
      list(vacuum.rels).flatMap((r) => target(nodeAs(r, 'VacuumRelation')?.relation, mode, command)),
    );
  }
  const cluster = nodeAs(stmt, 'ClusterStmt');
  if (cluster !== undefined) return ddl('CLUSTER', target(cluster.relation, 'AccessExclusiveLock', 'CLUSTER rewrites the table'));
  const refresh = nodeAs(stmt, 'RefreshMatViewStmt');
  if (refresh !== undefined) {
    const concurrently = refresh.concurrent === true;
    const command = `REFRESH MATERIALIZED VIEW${concurrently ? ' CONCURRENTLY' : ''}`;
    return ddl(command, target(refresh.relation, concurrently ? 'ExclusiveLock' : 'AccessExclusiveLock', command), { concurrently });
  }
  const lock = nodeAs(stmt, 'LockStmt');
  if (lock !== undefined) {
    const mode = LOCK_MODES[(lock.mode ?? 8) - 1] ?? 'AccessExclusiveLock';
    return ddl(
      'LOCK TABLE',
      list(lock.relations).flatMap((r) => target(rangeVar(r), mode, `LOCK TABLE IN ${modeName(mode)} MODE`)),
    );
  }
  const comment = nodeAs(stmt, 'CommentStmt');
  if (comment !== undefined) {
    const objtype = comment.objtype ?? '';
    if (RELATION_OBJECTS[objtype] === undefined && objtype !== 'OBJECT_COLUMN') return ddl('COMMENT', []);
    const names = namesOf(comment.object);
    return ddl('COMMENT', named(objtype === 'OBJECT_COLUMN' ? names.slice(0, -1) : names, 'ShareUpdateExclusiveLock', 'COMMENT ON'));
  }
  return analyzeCreateDdl(stmt);
}

function foreignKeyTargets(elements: readonly Node[] | undefined, reason: string): FoundRelation[] {
  const out: FoundRelation[] = [];
  for (const element of list(elements)) {
    const column = nodeAs(element, 'ColumnDef');
    for (const c of column !== undefined ? list(column.constraints) : [element]) {
      const constraint = nodeAs(c, 'Constraint');
      if (constraint?.contype === 'CONSTR_FOREIGN') out.push(...target(constraint.pktable, 'ShareRowExclusiveLock', reason));
    }
  }
  return out;
}

/** CREATE … statements that lock existing relations, and the remaining relation-level DDL. */
function analyzeCreateDdl(stmt: Node): UtilityResult | undefined {
  const stats = nodeAs(stmt, 'CreateStatsStmt');
  if (stats !== undefined)
    return ddl(
      'CREATE STATISTICS',
      list(stats.relations).flatMap((r) => target(rangeVar(r), 'ShareUpdateExclusiveLock', 'CREATE STATISTICS')),
    );
  const trigger = nodeAs(stmt, 'CreateTrigStmt');
  if (trigger !== undefined) return ddl('CREATE TRIGGER', target(trigger.relation, 'ShareRowExclusiveLock', 'CREATE TRIGGER'));
  const create = nodeAs(stmt, 'CreateStmt');
  if (create !== undefined) {
    const partitionOf = create.partbound !== undefined;
    const parents = list(create.inhRelations).flatMap((p) =>
      target(
        rangeVar(p),
        partitionOf ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock',
        partitionOf ? 'CREATE TABLE … PARTITION OF: the parent' : 'CREATE TABLE … INHERITS: the parent',
      ),
    );
    const references = foreignKeyTargets(
      [...list(create.tableElts), ...list(create.constraints)],
      'referenced by a foreign key of the new table',
    );
    return ddl(partitionOf ? 'CREATE TABLE PARTITION OF' : 'CREATE TABLE', [...parents, ...references]);
  }
  const alterSeq = nodeAs(stmt, 'AlterSeqStmt');
  if (alterSeq !== undefined) return ddl('ALTER SEQUENCE', target(alterSeq.sequence, 'ShareRowExclusiveLock', 'ALTER SEQUENCE'));
  const schema = nodeAs(stmt, 'AlterObjectSchemaStmt');
  if (schema !== undefined) {
    const what = RELATION_OBJECTS[schema.objectType ?? ''];
    return ddl(
      `ALTER ${what ?? 'OBJECT'} SET SCHEMA`,
      what === undefined ? [] : target(schema.relation, 'AccessExclusiveLock', 'SET SCHEMA'),
    );
  }
  const policy = nodeAs(stmt, 'CreatePolicyStmt') ?? nodeAs(stmt, 'AlterPolicyStmt');
  if (policy !== undefined) {
    const command = nodeAs(stmt, 'CreatePolicyStmt') !== undefined ? 'CREATE POLICY' : 'ALTER POLICY';
    return ddl(command, target(policy.table, 'AccessExclusiveLock', 'row-level security policy'));
  }
  const rule = nodeAs(stmt, 'RuleStmt');
  if (rule !== undefined) return ddl('CREATE RULE', target(rule.relation, 'AccessExclusiveLock', 'CREATE RULE'));
  const grant = nodeAs(stmt, 'GrantStmt');
  // GRANT/REVOKE on a table take no relation lock (measured D32).
  if (grant !== undefined) return ddl(grant.is_grant === true ? 'GRANT' : 'REVOKE', []);
  return undefined;
}
