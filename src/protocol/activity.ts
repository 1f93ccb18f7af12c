/** Messages of the live activity view ("Lockscope: Show Activity"): snapshots in, pause and open-query out. */
import type { ActivitySnapshot, WaitCategory } from '../core/activity/model.js';
import { IpcMessageType } from './ipc.js';

export const ACTIVITY_VIEW = 'activity';

/** A session of the blocking tree, flattened with its depth for rendering. */
export interface BlockingRow {
  depth: number;
  pid: number;
  state: string;
  wait: string;
  transactionAgeSeconds: number | undefined;
  query: string;
}

/** A link from a live query to the code that issues it (matched by query fingerprint). */
export interface CodeLink {
  pid: number;
  file: string;
  line: number;
  label: string;
}

export interface ActivityState {
  snapshot: ActivitySnapshot;
  waits: Record<WaitCategory, number>;
  blocking: BlockingRow[];
  links: CodeLink[];
  intervalSeconds: number;
  paused: boolean;
}

export const ActivityReadyCommand = new IpcMessageType<Record<string, never>>('activity/ready');
export const ActivityPauseCommand = new IpcMessageType<{ paused: boolean }>('activity/pause');
export const ActivityOpenCodeCommand = new IpcMessageType<{ file: string; line: number }>('activity/code/open');
export const ActivityNotification = new IpcMessageType<{ state: ActivityState }>('activity/state/changed');
export const ActivityErrorNotification = new IpcMessageType<{ message: string }>('activity/error');
