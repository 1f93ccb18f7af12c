/** Utility statements (DDL, LOCK, maintenance, transaction control): their command, relations and lock levels. */
import { parsePlPgSQLSync } from 'libpg-query';
import { LOCK_MODES, type LockMode } from '../lock-modes.js';
import { asNodes, rangeVarOf, unwrap } from '../predict/ast.js';
import type { RelationRef, StatementDetails, StatementKind } from '../statement.js';
import { alterTableLevel } from './alter-table-levels.js';

export interface UtilityAnalysis {
  kind: StatementKind;
  command: string;
  /** Relations with byte locations (converted by the caller). */
  relations: Array<Omit<RelationRef, 'offset'> & { location: number }>;
  details: StatementDetails;
}

type Rel = UtilityAnalysis['relations'][number];

function ref(node: unknown, mode: LockMode, reason: string, role: RelationRef['role'] = 'ddl-target'): Rel | undefined {
  const rv = rangeVarOf(node) ?? (node as { relname?: string; schemaname?: string; inh?: boolean; location?: number } | undefined);
  if (rv?.relname === undefined) return undefined;
  return { schema: rv.schemaname, name: rv.relname, alias: undefined, role, mode, inherit: rv.inh === true, reason, location: rv.location ?? 0 };
}

/** A qualified name given as a list of String nodes (DROP, COMMENT). */
function refFromNames(list: unknown, mode: LockMode, reason: string): Rel | undefined {
  const names = asNodes(unwrap(list, 'List')?.['items'] ?? list).map((n) => String(unwrap(n, 'String')?.['sval'] ?? ''));
  const name = names[names.length - 1];
  if (name === undefined || name === '') return undefined;
  return { schema: names.length >= 2 ? names[names.length - 2] : undefined, name, alias: undefined, role: 'ddl-target', mode, inherit: true, reason, location: 0 };
}

const present = (r: Rel | undefined): r is Rel => r !== undefined;

function hasExceptionBlock(body: string, language: string): boolean {
  if (language.toLowerCase() !== 'plpgsql') return false;
  try {
    const parsed = parsePlPgSQLSync(`CREATE FUNCTION lockscope_probe() RETURNS void LANGUAGE plpgsql AS $lockscope$${body}$lockscope$`);
    return JSON.stringify(parsed).includes('"exceptions"');
  } catch {
    return /\bexception\b/i.test(body);
  }
}

function defElems(options: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const node of asNodes(options)) {
    const def = unwrap(node, 'DefElem');
    if (def !== undefined) out.set(String(def['defname']), def['arg']);
  }
  return out;
}

const stringOf = (node: unknown): string => String(unwrap(node, 'String')?.['sval'] ?? '');

export function analyzeUtility(type: string, node: Record<string, unknown>): UtilityAnalysis | undefined {
  const ddl = (command: string, relations: Array<Rel | undefined>, details: StatementDetails = {}): UtilityAnalysis => ({
    kind: 'ddl', command, relations: relations.filter(present), details: { ddlCommand: command, ...details },
  });
  switch (type) {
    case 'AlterTableStmt': {
      const { mode, subcommands } = alterTableLevel(node['cmds']);
      const objtype = String(node['objtype'] ?? 'OBJECT_TABLE').replace(/^OBJECT_/, '').replace('_', ' ');
      const command = `ALTER ${objtype === 'MATVIEW' ? 'MATERIALIZED VIEW' : objtype}`;
      const relations: Array<Rel | undefined> = [ref(node['relation'], mode, `${command} ${subcommands.join(', ')}`)];
      for (const cmdNode of asNodes(node['cmds'])) {
        const constraint = unwrap(unwrap(cmdNode, 'AlterTableCmd')?.['def'], 'Constraint');
        if (constraint?.['contype'] === 'CONSTR_FOREIGN') relations.push(ref(constraint['pktable'], 'ShareRowExclusiveLock', 'referenced by the new foreign key'));
      }
      return ddl(command, relations, { ddlSubcommands: subcommands });
    }
    case 'RenameStmt': {
      const renameType = String(node['renameType'] ?? '');
      const mode: LockMode = renameType === 'OBJECT_INDEX' ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
      return ddl(renameType === 'OBJECT_INDEX' ? 'ALTER INDEX RENAME' : 'ALTER TABLE RENAME', [ref(node['relation'], mode, 'RENAME')]);
    }
    case 'IndexStmt': {
      const concurrently = node['concurrent'] === true;
      return ddl(concurrently ? 'CREATE INDEX CONCURRENTLY' : 'CREATE INDEX', [ref(node['relation'], concurrently ? 'ShareUpdateExclusiveLock' : 'ShareLock', concurrently ? 'CREATE INDEX CONCURRENTLY' : 'CREATE INDEX blocks writes')], { concurrently });
    }
    case 'ReindexStmt': {
      const concurrently = JSON.stringify(node['params'] ?? []).includes('concurrently');
      const kind = String(node['kind'] ?? '');
      const mode: LockMode = concurrently ? 'ShareUpdateExclusiveLock' : kind === 'REINDEX_OBJECT_INDEX' ? 'AccessExclusiveLock' : 'ShareLock';
      return ddl(concurrently ? 'REINDEX CONCURRENTLY' : 'REINDEX', [ref(node['relation'], mode, 'REINDEX')], { concurrently });
    }
    case 'DropStmt': {
      const removeType = String(node['removeType'] ?? '');
      const relationTypes: Record<string, string> = { OBJECT_TABLE: 'TABLE', OBJECT_INDEX: 'INDEX', OBJECT_VIEW: 'VIEW', OBJECT_MATVIEW: 'MATERIALIZED VIEW', OBJECT_SEQUENCE: 'SEQUENCE', OBJECT_FOREIGN_TABLE: 'FOREIGN TABLE' };
      const what = relationTypes[removeType];
      if (what === undefined) return ddl(`DROP ${removeType.replace(/^OBJECT_/, '')}`, []);
      const concurrently = node['concurrent'] === true;
      const mode: LockMode = concurrently ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
      return ddl(`DROP ${what}${concurrently ? ' CONCURRENTLY' : ''}`, asNodes(node['objects']).map((o) => refFromNames(o, mode, `DROP ${what}`)), { concurrently });
    }
    case 'TruncateStmt':
      return ddl('TRUNCATE', asNodes(node['relations']).map((r) => ref(r, 'AccessExclusiveLock', 'TRUNCATE')));
    case 'VacuumStmt': {
      const isVacuum = node['is_vacuumcmd'] === true;
      const full = defElems(node['options']).has('full');
      const mode: LockMode = isVacuum && full ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock';
      const command = isVacuum ? (full ? 'VACUUM FULL' : 'VACUUM') : 'ANALYZE';
      return ddl(command, asNodes(node['rels']).map((r) => ref(unwrap(r, 'VacuumRelation')?.['relation'], mode, command)));
    }
    case 'ClusterStmt':
      return ddl('CLUSTER', [ref(node['relation'], 'AccessExclusiveLock', 'CLUSTER rewrites the table')]);
    case 'RefreshMatViewStmt': {
      const concurrently = node['concurrent'] === true;
      return ddl(concurrently ? 'REFRESH MATERIALIZED VIEW CONCURRENTLY' : 'REFRESH MATERIALIZED VIEW', [ref(node['relation'], concurrently ? 'ExclusiveLock' : 'AccessExclusiveLock', 'REFRESH MATERIALIZED VIEW')], { concurrently });
    }
    case 'LockStmt': {
      const mode = LOCK_MODES[Number(node['mode'] ?? 8) - 1] ?? 'AccessExclusiveLock';
      return ddl('LOCK TABLE', asNodes(node['relations']).map((r) => ref(r, mode, `LOCK TABLE IN ${mode.replace(/Lock$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase()} MODE`)));
    }
    case 'CommentStmt': {
      const objtype = String(node['objtype'] ?? '');
      if (objtype !== 'OBJECT_TABLE' && objtype !== 'OBJECT_COLUMN') return ddl('COMMENT', []);
      const items = asNodes(unwrap(node['object'], 'List')?.['items']);
      const names = objtype === 'OBJECT_COLUMN' ? items.slice(0, -1) : items;
      return ddl('COMMENT', [refFromNames(names, 'ShareUpdateExclusiveLock', 'COMMENT ON')]);
    }
    case 'CreateStatsStmt':
      return ddl('CREATE STATISTICS', asNodes(node['relations']).map((r) => ref(r, 'ShareUpdateExclusiveLock', 'CREATE STATISTICS')));
    case 'CreateTrigStmt':
      return ddl('CREATE TRIGGER', [ref(node['relation'], 'ShareRowExclusiveLock', 'CREATE TRIGGER')]);
    case 'CreateStmt': {
      const relations: Array<Rel | undefined> = [];
      const partitionOf = node['partbound'] !== undefined;
      for (const parent of asNodes(node['inhRelations'])) relations.push(ref(parent, partitionOf ? 'AccessExclusiveLock' : 'ShareUpdateExclusiveLock', partitionOf ? 'CREATE TABLE … PARTITION OF' : 'CREATE TABLE … INHERITS'));
      for (const element of asNodes(node['tableElts'])) {
        const column = unwrap(element, 'ColumnDef');
        const constraints = column !== undefined ? asNodes(column['constraints']) : [element];
        for (const c of constraints) {
          const constraint = unwrap(c, 'Constraint');
          if (constraint?.['contype'] === 'CONSTR_FOREIGN') relations.push(ref(constraint['pktable'], 'ShareRowExclusiveLock', 'referenced by a foreign key of the new table'));
        }
      }
      return ddl(partitionOf ? 'CREATE TABLE PARTITION OF' : 'CREATE TABLE', relations);
    }
    case 'AlterSeqStmt':
      return ddl('ALTER SEQUENCE', [ref(node['sequence'], 'ShareRowExclusiveLock', 'ALTER SEQUENCE')]);
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      return ddl(type === 'CreatePolicyStmt' ? 'CREATE POLICY' : 'ALTER POLICY', [ref(node['table'], 'AccessExclusiveLock', 'row-level security policy')]);
    case 'RuleStmt':
      return ddl('CREATE RULE', [ref(node['relation'], 'AccessExclusiveLock', 'CREATE RULE')]);
    case 'GrantStmt':
      return ddl(node['is_grant'] === true ? 'GRANT' : 'REVOKE', []);
    case 'TransactionStmt': {
      const kinds: Record<string, StatementDetails['transactionAction']> = {
        TRANS_STMT_BEGIN: 'begin', TRANS_STMT_START: 'begin', TRANS_STMT_COMMIT: 'commit', TRANS_STMT_ROLLBACK: 'rollback',
        TRANS_STMT_SAVEPOINT: 'savepoint', TRANS_STMT_RELEASE: 'release', TRANS_STMT_ROLLBACK_TO: 'rollback-to', TRANS_STMT_PREPARE: 'prepare',
        TRANS_STMT_COMMIT_PREPARED: 'commit', TRANS_STMT_ROLLBACK_PREPARED: 'rollback',
      };
      const action = kinds[String(node['kind'])];
      return { kind: 'transaction', command: String(node['kind']).replace('TRANS_STMT_', '').replace('_', ' '), relations: [], details: action === undefined ? {} : { transactionAction: action } };
    }
    case 'VariableSetStmt': {
      const name = String(node['name'] ?? '');
      return { kind: 'utility', command: 'SET', relations: [], details: name === 'lock_timeout' ? { setsLockTimeout: true } : name === 'transaction_isolation' || name === 'TRANSACTION' ? { transactionAction: 'set-transaction' } : {} };
    }
    case 'DoStmt': {
      const args = defElems(node['args']);
      const body = stringOf(args.get('as'));
      const language = args.has('language') ? stringOf(args.get('language')) : 'plpgsql';
      return { kind: 'utility', command: 'DO', relations: [], details: hasExceptionBlock(body, language) ? { opensSubtransaction: true } : {} };
    }
    case 'CreateFunctionStmt': {
      const options = defElems(node['options']);
      const body = asNodes(options.get('as')).map(stringOf).join('\n') || stringOf(options.get('as'));
      const language = stringOf(options.get('language'));
      return { kind: 'ddl', command: node['is_procedure'] === true ? 'CREATE PROCEDURE' : 'CREATE FUNCTION', relations: [], details: hasExceptionBlock(body, language) ? { opensSubtransaction: true } : {} };
    }
    default:
      return undefined;
  }
}
