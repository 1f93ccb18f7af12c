/** Messages of the server lock profile view (the first webview: "Lockscope: Show Server Lock Profile"). */
import type { ServerProfileJson } from '../core/present/cli-json.js';
import { IpcMessageType } from './ipc.js';
import { noParams } from './validate.js';

/** The view id the page boots into (`<body data-view>`); the webview bundle mounts the matching view. */
export const SERVER_PROFILE_VIEW = 'server-profile';

/** What the view shows: exactly `lockscope server --json` (the CLI contract, src/core/present/cli-json.ts). */
export type ServerProfileState = ServerProfileJson;
export { serverProfileJson as profileState, type ServerProfileSource } from '../core/present/cli-json.js';

/** webview → host: the page has loaded and wants state. */
export const ReadyCommand = new IpcMessageType<Record<string, never>>('profile/ready', noParams);
/** webview → host: read the profile again from the database. */
export const RefreshCommand = new IpcMessageType<Record<string, never>>('profile/refresh', noParams);
/** host → webview: new state to render. */
export const ProfileNotification = new IpcMessageType<{ state: ServerProfileState }>('profile/state/changed');
/** host → webview: reading the profile failed; show the message instead of stale numbers. */
export const ProfileErrorNotification = new IpcMessageType<{ message: string }>('profile/error');

/** What the server profile page may send; anything else is answered with ProfileErrorNotification. */
export const PROFILE_COMMANDS = [ReadyCommand, RefreshCommand] as const;
