/** ALTER TABLE lock levels per subcommand (AlterTableGetLockLevel, tablecmds.c) and per reloption (reloptions.c). */
import { strongerMode, type LockMode } from '../lock-modes.js';
import { asNodes, unwrap } from '../predict/ast.js';

const SUBCOMMAND_LEVELS: Record<string, LockMode> = {
  AT_SetStatistics: 'ShareUpdateExclusiveLock',
  AT_ClusterOn: 'ShareUpdateExclusiveLock',
  AT_DropCluster: 'ShareUpdateExclusiveLock',
  AT_SetOptions: 'ShareUpdateExclusiveLock',
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

/** Options whose change only needs ShareUpdateExclusiveLock; every other reloption needs AccessExclusiveLock. */
const SUE_RELOPTIONS = new Set([
  'fillfactor', 'toast_tuple_target', 'parallel_workers', 'vacuum_index_cleanup', 'vacuum_truncate', 'deduplicate_items',
  'n_distinct', 'n_distinct_inherited', 'log_autovacuum_min_duration', 'autovacuum_enabled',
]);

function reloptionLevel(name: string): LockMode {
  const bare = name.replace(/^toast\./, '');
  if (SUE_RELOPTIONS.has(bare) || bare.startsWith('autovacuum_')) return 'ShareUpdateExclusiveLock';
  return 'AccessExclusiveLock';
}

export interface SubcommandLevel {
  subtype: string;
  mode: LockMode;
}

/** The level one ALTER TABLE subcommand needs. */
export function subcommandLevel(cmd: Record<string, unknown>): LockMode {
  const subtype = String(cmd['subtype'] ?? '');
  if (subtype in SUBCOMMAND_LEVELS) return SUBCOMMAND_LEVELS[subtype] as LockMode;
  if (subtype === 'AT_AddConstraint') {
    const constraint = unwrap(cmd['def'], 'Constraint');
    return constraint?.['contype'] === 'CONSTR_FOREIGN' ? 'ShareRowExclusiveLock' : 'AccessExclusiveLock';
  }
  if (subtype === 'AT_DetachPartition') {
    return unwrap(cmd['def'], 'PartitionCmd')?.['concurrent'] === true ? 'ShareUpdateExclusiveLock' : 'AccessExclusiveLock';
  }
  if (subtype === 'AT_SetRelOptions' || subtype === 'AT_ResetRelOptions' || subtype === 'AT_ReplaceRelOptions') {
    const names = asNodes(cmd['def']).map((d) => String(unwrap(d, 'DefElem')?.['defname'] ?? ''));
    const prefixed = asNodes(cmd['def']).map((d) => {
      const ns = unwrap(d, 'DefElem')?.['defnamespace'];
      return typeof ns === 'string' ? `${ns}.` : '';
    });
    return names.reduce<LockMode>((mode, name, i) => strongerMode(mode, reloptionLevel(`${prefixed[i] ?? ''}${name}`)), 'ShareUpdateExclusiveLock');
  }
  return 'AccessExclusiveLock';
}

/** The strongest level over all subcommands, starting from ShareUpdateExclusiveLock as Postgres does. */
export function alterTableLevel(cmds: unknown): { mode: LockMode; subcommands: string[] } {
  let mode: LockMode = 'ShareUpdateExclusiveLock';
  const subcommands: string[] = [];
  for (const node of asNodes(cmds)) {
    const cmd = unwrap(node, 'AlterTableCmd');
    if (cmd === undefined) continue;
    subcommands.push(String(cmd['subtype'] ?? '').replace(/^AT_/, ''));
    mode = strongerMode(mode, subcommandLevel(cmd));
  }
  return { mode, subcommands };
}
