/** `lockscope workload`: pg_stat_statements sampled twice, each statement's predicted locks × calls/s, ranked. */
import type { QuerySite } from '../../core/scan/types.js';
import { loadSqlParser } from '../../core/sql/index.js';
import { codeSitesByFingerprint } from '../../core/workload/code-sites.js';
import { indexDiet, tablesWithIndexLocks } from '../../core/workload/index-diet.js';
import { rankWorkload, type RankKey } from '../../core/workload/rank.js';
import { ratesBetween, secondsBetween } from '../../core/workload/statement-stats.js';
import { loadCatalog } from '../../db/catalog-loader.js';
import { withSession } from '../../db/session.js';
import { loadGrammarFiles } from '../../db/grammar-files.js';
import { readIndexUsage } from '../../db/workload/index-stats.js';
import { isOwnQuery, StatementsReader } from '../../db/workload/statements-reader.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { openDatabase, type DatabaseOptions } from '../open-database.js';
import { filesToScan } from '../scan-files.js';
import { scanSourceFiles } from '../scan-sources.js';
import { indexDietJson, indexDietText } from '../index-diet-report.js';
import { workloadJson, workloadText } from '../workload-report.js';
import { sleep } from '../sleep.js';

export interface WorkloadOptions extends DatabaseOptions {
  json: boolean;
  /** Seconds between the two samples (default 60). */
  intervalSeconds: number;
  sort: RankKey;
  /** Text output: statements shown. */
  top: number;
}

export async function runWorkloadCommand(
  ctx: CommandContext,
  paths: readonly string[],
  options: WorkloadOptions,
  signal?: AbortSignal,
): Promise<number> {
  if (options.schema !== undefined)
    throw new UsageError('lockscope workload needs a live server (--db URL): the embedded database has no workload.');
  if (!(options.intervalSeconds >= 0.5 && options.intervalSeconds <= 3600))
    throw new UsageError('--interval wants between 0.5 and 3600 seconds.');
  const files = filesToScan(paths);
  await Promise.all([loadSqlParser(), files.length > 0 ? loadGrammarFiles() : Promise.resolve()]);
  const sites: QuerySite[] = scanSourceFiles(ctx, files).flatMap((s) => s.sites);
  const { catalog, interval, ranking, diet } = await withSession(
    () => openDatabase(options, ctx.env),
    async (session) => {
      const reader = new StatementsReader(session);
      await reader.detect();
      // The catalog is read before the first sample so its own queries fall outside the interval.
      const snapshot = await loadCatalog(session);
      const first = await reader.sample();
      ctx.stderr(`lockscope: sampling pg_stat_statements over ${options.intervalSeconds} s (Ctrl-C ends the interval early)…`);
      await sleep(options.intervalSeconds * 1000, signal);
      const second = await reader.sample();
      const called = [...second.counters.values()].filter((c) => c.calls !== first.counters.get(c.queryId)?.calls);
      const texts = await reader.texts(called.map((c) => c.queryId));
      const rates = ratesBetween(first, second, texts).filter((r) => !isOwnQuery(r.query));
      const ranked = rankWorkload(rates, snapshot, codeSitesByFingerprint(sites), options.sort);
      const usage = await readIndexUsage(session, tablesWithIndexLocks(ranked.statements));
      return {
        catalog: snapshot,
        interval: { from: first.takenAt, to: second.takenAt, seconds: secondsBetween(first, second) },
        ranking: ranked,
        diet: indexDiet(ranked.statements, usage.indexes, snapshot, usage.statsReset),
      };
    },
  );
  ctx.stdout(
    options.json
      ? workloadJson(catalog.profile, interval, options.sort, ranking, { indexDiet: indexDietJson(diet) })
      : workloadText(catalog.profile, interval, options.sort, ranking, options.top, indexDietText(diet)),
  );
  return 0;
}
