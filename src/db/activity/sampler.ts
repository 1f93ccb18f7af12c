/** Samples live activity through one read-only session: one query per sample, bounded and cancellable. */
import type { ActivitySession, ActivitySnapshot } from '../../core/activity/model.js';
import { QueryCost } from '../query-cost.js';
import type { SqlSession } from '../session.js';
import { activitySql } from './sampler-sql.js';

interface RawSession {
  pid: number;
  user: string | null;
  applicationName: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  transactionAge: number | null;
  queryAge: number | null;
  stateAge: number | null;
  query: string | null;
  blockedBy: number[] | null;
  relationLocks: number;
  slowPathRelationLocks: number;
  subxactCount: number | null;
  subxactOverflowed: boolean | null;
}

interface RawSnapshot {
  takenAt: string;
  database: string;
  sessions: RawSession[];
  slowPathByRelation: Array<{ relation: string; slowPathLocks: number; fastPathLocks: number }>;
  subtransSlru: { name: string; blksHit: number; blksRead: number; blksZeroed: number } | null;
}

const orUndefined = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

function session(raw: RawSession): ActivitySession {
  return {
    pid: raw.pid,
    user: orUndefined(raw.user),
    applicationName: raw.applicationName ?? '',
    state: orUndefined(raw.state),
    waitEventType: orUndefined(raw.waitEventType),
    waitEvent: orUndefined(raw.waitEvent),
    transactionAgeSeconds: orUndefined(raw.transactionAge),
    queryAgeSeconds: orUndefined(raw.queryAge),
    stateAgeSeconds: orUndefined(raw.stateAge),
    query: raw.query ?? '',
    blockedBy: raw.blockedBy ?? [],
    relationLocks: Number(raw.relationLocks),
    slowPathRelationLocks: Number(raw.slowPathRelationLocks),
    subxactCount: orUndefined(raw.subxactCount),
    subxactOverflowed: orUndefined(raw.subxactOverflowed),
  };
}

export class ActivitySampler {
  private versionNum: number | undefined;
  private sql: string | undefined;
  /** Queries issued and their total time, for the sampler's own cost (bench/activity-sampler.bench.ts). */
  readonly cost = new QueryCost();

  /** The embedded database has one backend, the sampler's own: include it there, exclude it on servers. */
  constructor(
    private readonly db: SqlSession,
    private readonly includeOwnSession = db.kind === 'embedded',
  ) {}

  async sample(): Promise<ActivitySnapshot> {
    if (this.sql === undefined || this.versionNum === undefined) {
      const rows = await this.cost.timed(() => this.db.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`));
      this.versionNum = Number(rows[0]?.v ?? 0);
      this.sql = activitySql(this.versionNum, this.includeOwnSession);
    }
    const sql = this.sql;
    const rows = await this.cost.timed(() => this.db.query<{ snapshot: RawSnapshot | string }>(sql));
    const value = rows[0]?.snapshot;
    const raw = (typeof value === 'string' ? JSON.parse(value) : value) as RawSnapshot;
    return {
      takenAt: raw.takenAt,
      serverVersionNum: this.versionNum,
      database: raw.database,
      sessions: raw.sessions.map(session),
      slowPathByRelation: raw.slowPathByRelation.map((r) => ({
        ...r,
        slowPathLocks: Number(r.slowPathLocks),
        fastPathLocks: Number(r.fastPathLocks),
      })),
      subtransSlru:
        raw.subtransSlru === null
          ? undefined
          : {
              ...raw.subtransSlru,
              blksHit: Number(raw.subtransSlru.blksHit),
              blksRead: Number(raw.subtransSlru.blksRead),
              blksZeroed: Number(raw.subtransSlru.blksZeroed),
            },
      subxactSupported: this.versionNum >= 160000,
    };
  }
}
