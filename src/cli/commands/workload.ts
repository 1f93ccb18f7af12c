/** `lockscope workload`: pg_stat_statements sampled twice, each statement's predicted locks × calls/s, ranked. */
import type { QuerySite } from '../../core/scan/types.js';
import { loadSqlParser } from '../../core/sql/index.js';
import { codeSitesByFingerprint } from '../../core/workload/code-sites.js';
import type { RankKey } from '../../core/workload/rank.js';
import { withSession } from '../../db/session.js';
import { loadGrammarFiles } from '../../db/grammar-files.js';
import { sampleWorkload } from '../../db/workload/sample-workload.js';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command.js';
import { openDatabase, type DatabaseOptions } from '../open-database.js';
import { collectFilesToScan } from '../scan-files.js';
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
  const { files, skipped } = collectFilesToScan(paths);
  await Promise.all([loadSqlParser(), files.length > 0 ? loadGrammarFiles() : Promise.resolve()]);
  const sites: QuerySite[] = scanSourceFiles(ctx, files, skipped).flatMap((s) => s.sites);
  const result = await withSession(
    () => openDatabase(options, ctx.env),
    (session) =>
      sampleWorkload(session, {
        intervalSeconds: options.intervalSeconds,
        sort: options.sort,
        sites: codeSitesByFingerprint(sites),
        // Ctrl-C ends the interval early: the ranking covers the time sampled so far.
        wait: (ms) => sleep(ms, signal),
        onPhase: (phase) => {
          if (phase === 'sampling')
            ctx.stderr(`lockscope: sampling pg_stat_statements over ${options.intervalSeconds} s (Ctrl-C ends the interval early)…`);
        },
      }),
  );
  const { profile, interval, ranking, diet } = result;
  ctx.stdout(
    options.json
      ? workloadJson(profile, interval, options.sort, ranking, { indexDiet: indexDietJson(diet) })
      : workloadText(profile, interval, options.sort, ranking, options.top, indexDietText(diet)),
  );
  return 0;
}
