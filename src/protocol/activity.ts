/** Messages of the live activity view ("Lockscope: Show Activity"): snapshots in, pause and open-query out. */
import { blockingTree, waitSummary } from '../core/activity/analysis.js';
import type { ActivityHistory, ActivityPoint } from '../core/activity/history.js';
import type { ActivitySnapshot, BlockingNode, WaitCategory } from '../core/activity/model.js';
import { IpcMessageType } from './ipc.js';
import { bool, noParams, number, object, text } from './validate.js';

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
  /** The rolling window, oldest first: one point per sample. */
  history: ActivityPoint[];
  windowSeconds: number;
}

export const ActivityReadyCommand = new IpcMessageType<Record<string, never>>('activity/ready', noParams);
export const ActivityPauseCommand = new IpcMessageType<{ paused: boolean }>('activity/pause', object({ paused: bool }));
export const ActivityOpenCodeCommand = new IpcMessageType<{ file: string; line: number }>(
  'activity/code/open',
  object({ file: text(4096), line: number(0, 10_000_000, true) }),
);
/** Save the history (CSV) through a save dialog. */
export const ActivityExportCommand = new IpcMessageType<Record<string, never>>('activity/export', noParams);
export const ActivityNotification = new IpcMessageType<{ state: ActivityState }>('activity/state/changed');
export const ActivityErrorNotification = new IpcMessageType<{ message: string }>('activity/error');

function flatten(nodes: BlockingNode[], depth = 0, out: BlockingRow[] = []): BlockingRow[] {
  for (const n of nodes) {
    const s = n.session;
    out.push({
      depth,
      pid: s.pid,
      state: s.state ?? '',
      wait: s.state === 'active' && s.waitEventType !== undefined ? `${s.waitEventType}:${s.waitEvent ?? ''}` : '',
      transactionAgeSeconds: s.transactionAgeSeconds,
      query: s.query,
    });
    flatten(n.waiting, depth + 1, out);
  }
  return out;
}

/** The one place a snapshot and the history become what the view shows (the panel and the webview test use it). */
export function activityState(
  snapshot: ActivitySnapshot,
  links: CodeLink[],
  history: ActivityHistory,
  intervalSeconds: number,
  paused: boolean,
): ActivityState {
  return {
    snapshot,
    waits: waitSummary(snapshot),
    blocking: flatten(blockingTree(snapshot.sessions)),
    links,
    intervalSeconds,
    paused,
    history: [...history.all],
    windowSeconds: history.windowSeconds,
  };
}

/** What the activity page may send; anything else is answered with ActivityErrorNotification. */
export const ACTIVITY_COMMANDS = [ActivityReadyCommand, ActivityPauseCommand, ActivityOpenCodeCommand, ActivityExportCommand] as const;
