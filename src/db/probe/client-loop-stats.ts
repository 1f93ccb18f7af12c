/** What the probe's client loops record: latencies in a fixed log-bucket histogram, completions per second, errors. */

/**
 * Latency histogram with log-spaced buckets (about 1 % relative width) from 1 µs to beyond the longest probe: recording
 * is O(1) and allocation-free, and memory stays fixed however many iterations run — a growing array of every latency
 * plus a sort cost tens of MB and a pause at the end of a 300 s, 256-client probe.
 */
export class LatencyHistogram {
  /** ln(1.01): bucket i covers (1.01^(i-1), 1.01^i] microseconds. */
  private static readonly LOG_BASE = Math.log(1.01);
  /** 1.01^2200 µs ≈ 3.1 × 10^9 µs ≈ 52 min, beyond the 300 s probe limit plus any statement_timeout. */
  private static readonly BUCKETS = 2200;
  private readonly counts = new Float64Array(LatencyHistogram.BUCKETS + 1);
  count = 0;
  private sumMs = 0;
  maxMs = 0;

  record(ms: number): void {
    const us = ms * 1000;
    const index = us <= 1 ? 0 : Math.min(LatencyHistogram.BUCKETS, Math.ceil(Math.log(us) / LatencyHistogram.LOG_BASE));
    this.counts[index] = (this.counts[index] ?? 0) + 1;
    this.count++;
    this.sumMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  get meanMs(): number {
    return this.count === 0 ? 0 : this.sumMs / this.count;
  }

  /**
   * Nearest-rank percentile (the same rank rule as `percentile` on a sorted array), reported as the upper edge of its
   * bucket and never above the exact maximum, so it is within 1 % of the exact value.
   */
  percentileMs(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.min(this.count, Math.max(1, Math.ceil(p * this.count)));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i] ?? 0;
      if (seen >= rank) return Math.min(this.maxMs, Math.exp(i * LatencyHistogram.LOG_BASE) / 1000);
    }
    return this.maxMs;
  }

  /** Adds another histogram's samples (e.g. from another loop or worker). */
  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i] = (this.counts[i] ?? 0) + (other.counts[i] ?? 0);
    this.count += other.count;
    this.sumMs += other.sumMs;
    this.maxMs = Math.max(this.maxMs, other.maxMs);
  }
}

/** The measured-period counters shared by every client loop of one probe (all on the one event loop: no races). */
export class ProbeStats {
  readonly latency = new LatencyHistogram();
  /** Latencies since the last progress tick, for live percentiles (replaced at each tick). */
  private window = new LatencyHistogram();
  /** Completions per second of the measured period, preallocated: the duration is bounded. */
  private readonly perSecond: Uint32Array;
  readonly errors: Record<string, number> = {};
  errorCount = 0;

  constructor(
    private readonly measureFrom: number,
    private readonly end: number,
  ) {
    this.perSecond = new Uint32Array(Math.ceil((end - measureFrom) / 1000) + 1);
  }

  get transactions(): number {
    return this.latency.count;
  }

  /** One completed iteration that started at t0 and ended at t1 (performance.now() ms); kept if inside the window. */
  complete(t0: number, t1: number): void {
    if (t0 < this.measureFrom || t1 > this.end) return;
    this.latency.record(t1 - t0);
    this.window.record(t1 - t0);
    const second = Math.floor((t1 - this.measureFrom) / 1000);
    if (second < this.perSecond.length) this.perSecond[second] = (this.perSecond[second] ?? 0) + 1;
  }

  /** p50 / p95 / p99 of the iterations completed since the previous call (undefined when none did). */
  takeWindow(): { p50: number; p95: number; p99: number } | undefined {
    const window = this.window;
    this.window = new LatencyHistogram();
    return window.count === 0
      ? undefined
      : { p50: window.percentileMs(0.5), p95: window.percentileMs(0.95), p99: window.percentileMs(0.99) };
  }

  error(code: string): void {
    this.errors[code] = (this.errors[code] ?? 0) + 1;
    this.errorCount++;
  }

  throughput(seconds: number): number[] {
    return Array.from({ length: seconds }, (_, i) => this.perSecond[i] ?? 0);
  }
}
