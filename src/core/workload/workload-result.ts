/** What one workload sampling produces: the server it ran on, the interval, the ranking and the index diet. */
import type { ServerProfile } from '../server-profile.js';
import type { IndexDiet } from './index-diet.js';
import type { RankKey, WorkloadRanking } from './rank.js';

/** The two samples' server timestamps and the seconds between them. */
export interface WorkloadInterval {
  from: string;
  to: string;
  seconds: number;
}

export interface WorkloadResult {
  profile: ServerProfile;
  interval: WorkloadInterval;
  sort: RankKey;
  ranking: WorkloadRanking;
  diet: IndexDiet;
}
