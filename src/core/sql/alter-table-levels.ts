/**
 * ALTER TABLE lock levels: AlterTableGetLockLevel (tablecmds.c) starts at ShareUpdateExclusiveLock and takes the
 * strongest level over all subcommands; SET/RESET (…) takes the strongest level of its reloptions (reloptions.c).
 * Anything not listed here needs AccessExclusiveLock, which is also the safe default for unknown subcommands.
 */
import type { AlterTableCmd, Node } from '@pgsql/types';
import { strongerMode, type LockMode } from '../lock-modes.js';
import { list, nodeAs } from './ast.js';

const SUBCOMMAND_LEVELS: Partial<Record<string, LockMode>> = {
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_SetOptions: 'ShareUpdateExclusiveLock', // attribute options (n_distinct…)
  AT_ResetOptions: 'ShareUpdateExclusiveLock',
  AT_ValidateConstraint: 'ShareUpdateExclusiveLock',
  AT_AttachPartition: 'ShareUpdateExclusiveLock',
  AT_DetachPartitionFinalize: 'ShareUpdateExclusiveLock',
  AT_EnableTrig: 'ShareRowExclusiveLock',
  AT_EnableAlwaysTrig: 'ShareRowExclusiveLock',
  AT_EnableReplicaTrig: 'ShareRowExclusiveLock',
  AT_EnableTrigAll: 'ShareRowExclusiveLock',
  AT_EnableTrigUser: 'ShareRowExclusiveLock',
  AT_DisableTrig: 'ShareRowExclusiveLock',
  AT_DisableTrigAll: 'ShareRowExclusiveLock',
  AT_DisableTrigUser: 'ShareRowExclusiveLock',
};

/** Reloptions whose change needs only ShareUpdateExclusiveLock (reloptions.c); every other one needs AccessExclusiveLock. */
const SUE_RELOPTIONS = new Set([
  'fillfactor',
  'toast_tuple_target',
  'parallel_workers',
  'vacuum_index_cleanup',
  'vacuum_truncate',
  'deduplicate_items',
  'log_autovacuum_min_duration',
  'autovacuum_enabled',
  'vacuum_max_eager_freeze_failure_rate',
]);

export function reloptionLevel(name: string): LockMode {
  const bare = name.toLowerCase().replace(/^toast\./, '');
  return SUE_RELOPTIONS.has(bare) || bare.startsWith('autovacuum_') ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
}

function reloptionsLevel(def: Node | undefined): LockMode {
  // SET (…) / RESET (…) carry their options as a List of DefElem.
  const options = nodeAs(def, 'List')?.items ?? [];
  let mode: LockMode = 'ShareUpdateExclusiveLock';
  for (const option of options) {
    const elem = nodeAs(option, 'DefElem');
    const name = `${elem?.defnamespace !== undefined ? `${elem.defnamespace}.` : ''}${elem?.defname ?? ''}`;
    mode = strongerMode(mode, reloptionLevel(name));
  }
  return mode;
}

/** The level one ALTER TABLE subcommand needs. */
export function subcommandLevel(cmd: AlterTableCmd): LockMode {
  const subtype = cmd.subtype ?? '';
  const fixed = SUBCOMMAND_LEVELS[subtype];
  if (fixed !== undefined) return fixed;
  if (subtype === 'AT_AddConstraint') {
    // A foreign key only needs to stop writes that could break it while its triggers are created.
    return nodeAs(cmd.def, 'Constraint')?.contype === 'CONSTR_FOREIGN' ? 'ShareRowExclusiveLock' : 'AccessExclusiveLock';
  }
  if (subtype === 'AT_DetachPartition') {
    return nodeAs(cmd.def, 'PartitionCmd')?.concurrent === true ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
  }
  if (subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions' || subtype === 'AT_ReplaceRelOptions')
    return reloptionsLevel(cmd.def);
  return 'AccessExclusiveLock';
}

/** Readable subcommand names: AT_AddColumn → "ADD COLUMN". */
export function subcommandName(cmd: AlterTableCmd): string {
  const special: Record<string, string> = {
    AT_SetRelOptions: 'SET (…)',
    AT_ResetRelOptions: 'RESET (…)',
    AT_ColumnDefault: 'ALTER COLUMN SET/DROP DEFAULT',
    AT_AlterColumnType: 'ALTER COLUMN TYPE',
    AT_SetNotNull: 'SET NOT NULL',
    AT_DropNotNull: 'DROP NOT NULL',
    AT_SetStatistics: 'SET STATISTICS',
    AT_ChangeOwner: 'OWNER TO',
    AT_AddInherit: 'INHERIT',
    AT_DropInherit: 'NO INHERIT',
  };
  const subtype = cmd.subtype ?? '';
  const constraint = nodeAs(cmd.def, 'Constraint');
  if (subtype === 'AT_AddConstraint' && constraint?.contype === 'CONSTR_FOREIGN') return 'ADD FOREIGN KEY';
  if (subtype === 'AT_DetachPartition' && nodeAs(cmd.def, 'PartitionCmd')?.concurrent === true) return 'DETACH PARTITION CONCURRENTLY';
  return (
    special[subtype] ??
    subtype
      .replace(/^AT_/, '')
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toUpperCase()
  );
}

export interface AlterTableLevel {
  mode: LockMode;
  subcommands: string[];
}

/** The strongest level over all subcommands, starting from ShareUpdateExclusiveLock as Postgres does. */
export function alterTableLevel(cmds: readonly Node[] | undefined): AlterTableLevel {
  let mode: LockMode = 'ShareUpdateExclusiveLock';
  const subcommands: string[] = [];
  for (const node of list(cmds)) {
    const cmd = nodeAs(node, 'AlterTableCmd');
    if (cmd === undefined) continue;
    subcommands.push(subcommandName(cmd));
    mode = strongerMode(mode, subcommandLevel(cmd));
  }
  return { mode, subcommands };
}
