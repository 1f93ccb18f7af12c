/** Samples the probe's own sessions in pg_stat_activity every 100 ms and counts them by wait category. */
import { waitCategory } from '../../core/activity/analysis.js';
import type { WaitCategory } from '../../core/activity/model.js';
import type { SqlSession } from '../session.js';

export type WaitCounts = Record<WaitCategory, number>;

export const emptyWaits = (): WaitCounts => ({ LockManager: 0, Lock: 0, SubtransSLRU: 0, IO: 0, CPU: 0, Client: 0, Other: 0 });

export class WaitSampler {
  readonly totals = emptyWaits();
  /** Per-second buckets of wait samples, for the timeline. */
  readonly perSecond: WaitCounts[] = [];
  samples = 0;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;

  constructor(
    private readonly session: SqlSession,
    private readonly applicationName: string,
    private readonly startedAt: number,
  ) {}

  start(intervalMs = 100): void {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const rows = await this.session.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        'SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
        [this.applicationName],
      );
      const second = Math.floor((Date.now() - this.startedAt) / 1000);
      const bucket = (this.perSecond[second] ??= emptyWaits());
      this.samples++;
      for (const r of rows) {
        if (r.state !== 'active') continue; // idle between statements: the client, not the server, is the bottleneck
        const category = waitCategory(r.wait_event_type ?? undefined, r.wait_event ?? undefined, r.state ?? undefined);
        this.totals[category]++;
        bucket[category]++;
      }
    } catch {
      // A failed sample is skipped; the probe itself reports errors.
    } finally {
      this.busy = false;
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
