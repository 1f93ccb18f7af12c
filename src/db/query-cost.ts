/** What a sampler's own queries cost the server: how many it sent and their total wall time (the benches report it). */
export class QueryCost {
  queries = 0;
  totalMs = 0;

  /** Runs one query of the sampler's, counting it and its time whether it succeeds or fails. */
  async timed<T>(work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.queries++;
      this.totalMs += performance.now() - start;
    }
  }
}
