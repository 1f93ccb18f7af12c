/** `lockscope server`: the server lock profile — version, max_locks_per_transaction, fast-path slots, relations. */
import { readServerLockProfile, type ServerLockProfile } from '../../db/server-info.js';
import { withSession } from '../../db/session.js';
import { openDatabase, type DatabaseOptions } from '../open-database.js';
import type { CommandContext } from '../command.js';
import { serverProfileJson } from '../../core/present/cli-json.js';

export function formatServerText(info: ServerLockProfile): string {
  const p = info.profile;
  const slots =
    p.fastPathGroups > 1
      ? `${p.fastPathSlots} (${p.fastPathGroups} groups of 16; a relation uses its own group's slots)`
      : `${p.fastPathSlots}`;
  return [
    `server                     PostgreSQL ${p.version} (${p.source === 'embedded' ? 'embedded' : 'server'}, ${info.target})`,
    `database                   ${info.database}`,
    `max_locks_per_transaction  ${p.maxLocksPerTransaction}`,
    `fast-path slots / backend  ${slots}`,
    `relations                  ${info.relationCount}`,
  ].join('\n');
}

export async function runServerCommand(ctx: CommandContext, options: DatabaseOptions & { json: boolean }): Promise<number> {
  const info = await withSession(() => openDatabase(options, ctx.env), readServerLockProfile);
  ctx.stdout(options.json ? JSON.stringify(serverProfileJson(info), null, 2) : formatServerText(info));
  return 0;
}
