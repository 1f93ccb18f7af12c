/** Messages of the server lock profile view (the first webview: "Lockscope: Show Server Lock Profile"). */
import type { ServerProfile } from '../core/server-profile.js';
import { IpcMessageType } from './ipc.js';
import { noParams } from './validate.js';

/** The view id the page boots into (`<body data-view>`); the webview bundle mounts the matching view. */
export const SERVER_PROFILE_VIEW = 'server-profile';

/** What the view shows; mirrors `lockscope server --json`. */
export interface ServerProfileState {
  server: {
    version: string;
    versionNum: number;
    maxLocksPerTransaction: number;
    fastPathSlots: number;
    fastPathGroups: number;
    source: string;
  };
  database: string;
  relationCount: number;
  /** Printable target, password removed. */
  target: string;
}

/** webview → host: the page has loaded and wants state. */
export const ReadyCommand = new IpcMessageType<Record<string, never>>('profile/ready', noParams);
/** webview → host: read the profile again from the database. */
export const RefreshCommand = new IpcMessageType<Record<string, never>>('profile/refresh', noParams);
/** host → webview: new state to render. */
export const ProfileNotification = new IpcMessageType<{ state: ServerProfileState }>('profile/state/changed');
/** host → webview: reading the profile failed; show the message instead of stale numbers. */
export const ProfileErrorNotification = new IpcMessageType<{ message: string }>('profile/error');

/** What the database layer reads (ServerLockProfile in src/db/server-info.ts has this shape). */
export interface ServerProfileSource {
  profile: ServerProfile;
  database: string;
  relationCount: number;
  target: string;
}

/** The one place a server lock profile becomes the shape the view and `lockscope server --json` share. */
export function profileState(info: ServerProfileSource): ServerProfileState {
  const p = info.profile;
  return {
    server: {
      version: p.version,
      versionNum: p.versionNum,
      maxLocksPerTransaction: p.maxLocksPerTransaction,
      fastPathSlots: p.fastPathSlots,
      fastPathGroups: p.fastPathGroups,
      source: p.source,
    },
    database: info.database,
    relationCount: info.relationCount,
    target: info.target,
  };
}

/** What the server profile page may send; anything else is answered with ProfileErrorNotification. */
export const PROFILE_COMMANDS = [ReadyCommand, RefreshCommand] as const;
