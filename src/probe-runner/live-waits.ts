/**
 * Live per-second figures for the probe runner, composed around the engine rather than inside it: a second observer
 * session samples the probe's sessions in pg_stat_activity (WaitSampler, every 200 ms), and the engine's cumulative
 * onProgress counts become per-second throughput, with the engine's per-second latency percentiles.
 */
import type { LoadProgress, WaitsByType } from '../core/probe/runner-types.js';
import type { SqlSession } from '../db/session.js';
import type { ProbeProgress } from '../db/probe/engine.js';
import { emptyWaits, WaitSampler } from '../db/probe/wait-sampler.js';

/** application_name of the engine's client sessions (engine.ts); the sampler counts those only. */
const PROBE_APPLICATION_NAME = 'lockscope-probe';

export class LiveWaits {
  private readonly sampler: WaitSampler;
  private timer: NodeJS.Timeout | undefined;
  private last = { elapsed: 0, transactions: 0, samples: 0, waits: emptyWaits() };

  constructor(readonly session: SqlSession) {
    this.sampler = new WaitSampler(session, PROBE_APPLICATION_NAME, Date.now());
  }

  /** Samples only the measured period, like the engine's own sampler. */
  startAfter(warmupSeconds: number): void {
    this.timer = setTimeout(() => this.sampler.start(200), warmupSeconds * 1000);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.sampler.stop();
  }

  /** One engine progress tick → the figures of the interval since the previous tick (undefined during warm-up). */
  tick(runId: number, p: ProbeProgress): LoadProgress | undefined {
    if (p.elapsedSeconds <= 0) return undefined;
    const dt = p.elapsedSeconds - this.last.elapsed;
    const tps = dt > 0 ? (p.transactions - this.last.transactions) / dt : 0;
    const samples = this.sampler.samples - this.last.samples;
    const waits = emptyWaits();
    for (const key of Object.keys(waits) as Array<keyof WaitsByType>) {
      waits[key] = samples > 0 ? (this.sampler.totals[key] - this.last.waits[key]) / samples : 0;
    }
    this.last = {
      elapsed: p.elapsedSeconds,
      transactions: p.transactions,
      samples: this.sampler.samples,
      waits: { ...this.sampler.totals },
    };
    return {
      runId,
      second: Math.ceil(p.elapsedSeconds - 1e-6),
      tps,
      transactions: p.transactions,
      errors: p.errors,
      latencyMs: p.latencyMs,
      waits,
    };
  }
}
