/** `lockscope activity`: waits, blockers, idle-in-transaction, slow-path locks and subtransaction overflow, once or --watch. */
import { ActivitySampler } from '../../db/activity/sampler.js';
import type { CommandContext } from '../command.js';
import { activityText } from '../activity-report.js';
import { openDatabase, type DatabaseOptions } from '../open-database.js';
import { UsageError } from '../cli-error.js';
import { sleep } from '../sleep.js';

export interface ActivityOptions extends DatabaseOptions {
  json: boolean;
  /** Seconds between samples; undefined samples once. */
  watchSeconds: number | undefined;
  /** Stop after this many samples (default: until interrupted). */
  count: number | undefined;
}

export async function runActivityCommand(ctx: CommandContext, options: ActivityOptions, signal?: AbortSignal): Promise<number> {
  if (options.schema !== undefined)
    throw new UsageError('lockscope activity needs a live server (--db URL): the embedded database has no other sessions.');
  if (options.watchSeconds !== undefined && !(options.watchSeconds >= 0.2))
    throw new UsageError('--watch wants at least 0.2 seconds between samples.');
  const session = await openDatabase(options, ctx.env);
  try {
    const sampler = new ActivitySampler(session);
    const limit = options.watchSeconds === undefined ? 1 : (options.count ?? Number.POSITIVE_INFINITY);
    const stopped = (): boolean => signal?.aborted === true;
    for (let taken = 0; taken < limit && !stopped(); taken++) {
      if (taken > 0) await sleep((options.watchSeconds ?? 0) * 1000, signal);
      if (stopped()) break;
      const snapshot = await sampler.sample();
      ctx.stdout(options.json ? JSON.stringify(snapshot) : `${activityText(snapshot)}\n`);
    }
    return 0;
  } finally {
    await session.close();
  }
}
