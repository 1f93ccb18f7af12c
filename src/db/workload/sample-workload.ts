/**
 * One workload sampling on an open session, shared by `lockscope workload` and the Lock Cost view: detect
 * pg_stat_statements, read the catalog, sample twice around the interval, read the texts of what was called, rank,
 * and read the index usage of the tables the ranked statements lock.
 */
import { indexDiet, tablesWithIndexLocks } from '../../core/workload/index-diet.js';
import { rankWorkload, type CodeSite, type RankKey } from '../../core/workload/rank.js';
import { ratesBetween, secondsBetween } from '../../core/workload/statement-stats.js';
import type { WorkloadResult } from '../../core/workload/workload-result.js';
import { loadCatalog } from '../catalog-loader.js';
import type { SqlSession } from '../session.js';
import { readIndexUsage } from './index-stats.js';
import { isOwnQuery, StatementsReader } from './statements-reader.js';

export type WorkloadPhase = 'detecting' | 'catalog' | 'sampling' | 'ranking';

export interface SampleWorkloadOptions {
  intervalSeconds: number;
  sort: RankKey;
  /** Query fingerprint → the code sites that issue it (codeSitesByFingerprint). */
  sites: ReadonlyMap<string, CodeSite[]>;
  /**
   * Waits out the interval between the samples. The caller decides what ending early means: the CLI's Ctrl-C resolves
   * it (a shorter interval), the extension's Cancel rejects it (no result).
   */
  wait: (ms: number) => Promise<void>;
  /** Called as each phase starts; `sampling` comes right after the first sample is read. */
  onPhase?: (phase: WorkloadPhase) => void;
}

export async function sampleWorkload(session: SqlSession, options: SampleWorkloadOptions): Promise<WorkloadResult> {
  options.onPhase?.('detecting');
  const reader = new StatementsReader(session);
  await reader.detect();
  options.onPhase?.('catalog');
  // The catalog is read before the first sample so its own queries fall outside the interval.
  const catalog = await loadCatalog(session);
  const first = await reader.sample();
  options.onPhase?.('sampling');
  await options.wait(options.intervalSeconds * 1000);
  const second = await reader.sample();
  options.onPhase?.('ranking');
  const called = [...second.counters.values()].filter((c) => c.calls !== first.counters.get(c.queryId)?.calls);
  const texts = await reader.texts(called.map((c) => c.queryId));
  const rates = ratesBetween(first, second, texts).filter((r) => !isOwnQuery(r.query));
  const ranking = rankWorkload(rates, catalog, options.sites, options.sort);
  const usage = await readIndexUsage(session, tablesWithIndexLocks(ranking.statements));
  return {
    profile: catalog.profile,
    interval: { from: first.takenAt, to: second.takenAt, seconds: secondsBetween(first, second) },
    sort: options.sort,
    ranking,
    diet: indexDiet(ranking.statements, usage.indexes, catalog, usage.statsReset),
  };
}
