/** Messages of the Lock Cost view: run/cancel/open-code/probe out, sampling progress and the ranked workload in. */
import type { DietReason } from '../core/workload/index-diet.js';
import type { RankKey } from '../core/workload/rank.js';
import { statementFigures, type StatementFigures } from '../core/workload/statement-figures.js';
import type { WorkloadInterval, WorkloadResult } from '../core/workload/workload-result.js';
import { IpcMessageType } from './ipc.js';

export const LOCK_COST_VIEW = 'lock-cost';

/** A code site issuing a ranked statement, with the label the view shows (workspace-relative path:line). */
export interface LockCostSite {
  file: string;
  /** 0-based. */
  line: number;
  origin: string;
  label: string;
}

export interface LockCostRelation {
  relation: string;
  locks: number;
  slowPath: number;
  indexes: number;
  partitions: number;
}

/** A ranked statement as the view gets it: the core figures as they are, relations and sites made plain for JSON. */
export interface LockCostStatement extends StatementFigures {
  relations: LockCostRelation[];
  sites: LockCostSite[];
}

export interface LockCostDietIndex {
  index: string;
  table: string;
  /** "unused", "invalid", "duplicate of schema.name". */
  reasons: string[];
  scans: number | undefined;
  sizeBytes: number;
  slowPathSavedPerSecond: number;
  locksSavedPerSecond: number;
}

export interface LockCostDietTable {
  table: string;
  indexes: number;
  drop: number;
  slowPathSavedPerSecond: number;
  locksSavedPerSecond: number;
}

export interface LockCostState {
  /** The connection's label, as the status bar shows it. */
  connection: string;
  server: { version: string; fastPathSlots: number };
  interval: WorkloadInterval;
  sort: RankKey;
  totals: { callsPerSecond: number; locksPerSecond: number; slowPathPerSecond: number };
  statements: LockCostStatement[];
  unpredictable: Array<{ queryId: string; query: string; callsPerSecond: number; reason: string }>;
  diet: {
    statsReset: string | undefined;
    slowPathSavedPerSecond: number;
    locksSavedPerSecond: number;
    tables: LockCostDietTable[];
    candidates: LockCostDietIndex[];
  };
}

/** Where the sampling is: shown with a progress ring; `secondsLeft` counts the interval down while sampling. */
export interface LockCostProgress {
  phase: 'connecting' | 'indexing' | 'detecting' | 'catalog' | 'sampling' | 'ranking';
  message: string;
  secondsLeft?: number;
}

export const LockCostReadyCommand = new IpcMessageType<Record<string, never>>('lockCost/ready');
export const LockCostRunCommand = new IpcMessageType<{ intervalSeconds: number }>('lockCost/run');
export const LockCostCancelCommand = new IpcMessageType<Record<string, never>>('lockCost/cancel');
export const LockCostOpenCodeCommand = new IpcMessageType<{ file: string; line: number }>('lockCost/code/open');
/** Open the probe runner on a ranked statement (by queryId: the host holds the text). */
export const LockCostProbeCommand = new IpcMessageType<{ queryId: string }>('lockCost/probe');
/** Host → view: the default interval (lockscope.workloadIntervalSeconds) and the last result, if any. */
export const LockCostInitNotification = new IpcMessageType<{ intervalSeconds: number; state: LockCostState | undefined }>('lockCost/init');
export const LockCostProgressNotification = new IpcMessageType<LockCostProgress>('lockCost/progress');
export const LockCostStateNotification = new IpcMessageType<{ state: LockCostState }>('lockCost/state/changed');
/** `enable` is set when pg_stat_statements is missing: the steps that turn it on. */
export const LockCostErrorNotification = new IpcMessageType<{ message: string; enable: boolean }>('lockCost/error');

const reasonText = (r: DietReason): string => (r.kind === 'duplicate' ? `duplicate of ${r.of}` : r.kind);

/** The one place a workload result becomes what the view shows (the panel and the webview test use it). */
export function lockCostState(result: WorkloadResult, connection: string, labelOf: (file: string, line: number) => string): LockCostState {
  const { ranking, diet } = result;
  return {
    connection,
    server: { version: result.profile.version, fastPathSlots: result.profile.fastPathSlots },
    interval: result.interval,
    sort: result.sort,
    totals: ranking.totals,
    statements: ranking.statements.map((s) => ({
      ...statementFigures(s),
      relations: s.relations.map((r) => ({
        relation: r.relation,
        locks: r.locks,
        slowPath: r.slowPath,
        indexes: r.indexes.length,
        partitions: r.partitions.length,
      })),
      sites: s.sites.map((site) => ({ file: site.file, line: site.line, origin: site.origin, label: labelOf(site.file, site.line) })),
    })),
    unpredictable: ranking.unpredictable.map((u) => ({
      queryId: u.queryId,
      query: u.query ?? `queryid ${u.queryId}`,
      callsPerSecond: u.callsPerSecond,
      reason: u.reason,
    })),
    diet: {
      statsReset: diet.statsReset,
      slowPathSavedPerSecond: diet.saves.slowPathPerSecond,
      locksSavedPerSecond: diet.saves.locksPerSecond,
      tables: diet.tables.map((t) => ({
        table: t.table,
        indexes: t.indexes,
        drop: t.drop.length,
        slowPathSavedPerSecond: t.saves.slowPathPerSecond,
        locksSavedPerSecond: t.saves.locksPerSecond,
      })),
      candidates: diet.candidates.map((c) => ({
        index: c.index,
        table: c.table,
        reasons: c.reasons.map(reasonText),
        scans: c.scans,
        sizeBytes: c.sizeBytes,
        slowPathSavedPerSecond: c.saves.slowPathPerSecond,
        locksSavedPerSecond: c.saves.locksPerSecond,
      })),
    },
  };
}
