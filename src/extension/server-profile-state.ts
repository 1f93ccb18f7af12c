/** The webview state of a server lock profile (no vscode import: shared with the browser tests). */
import type { ServerLockProfile } from '../db/server-info.js';
import type { ServerProfileState } from '../protocol/server-profile.js';

export function profileState(info: ServerLockProfile): ServerProfileState {
  const p = info.profile;
  return {
    server: { version: p.version, versionNum: p.versionNum, maxLocksPerTransaction: p.maxLocksPerTransaction, fastPathSlots: p.fastPathSlots, fastPathGroups: p.fastPathGroups, source: p.source },
    database: info.database,
    relationCount: info.relationCount,
    target: info.target,
  };
}
