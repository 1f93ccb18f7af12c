/** The one query an activity sample costs, built for the server version (subxact reporting exists from PG 16). */

/**
 * `includeOwnSession` is for the embedded single-backend database, whose only session is the sampler's own.
 */
export function activitySql(versionNum: number, includeOwnSession = false): string {
  const notSelf = includeOwnSession ? 'true' : 'a.pid <> pg_backend_pid()';
  const notSelfLocks = includeOwnSession ? 'true' : 'l.pid <> pg_backend_pid()';
  const subxact =
    versionNum >= 160000
      ? `subx AS (SELECT pg_stat_get_backend_pid(b) AS pid, s.subxact_count, s.subxact_overflowed
                    FROM pg_stat_get_backend_idset() b, LATERAL pg_stat_get_backend_subxact(b) s)`
      : `subx AS (SELECT NULL::int AS pid, NULL::int AS subxact_count, NULL::bool AS subxact_overflowed WHERE false)`;
  return `
WITH act AS (
  SELECT a.pid, a.usename, a.application_name, a.state, a.wait_event_type, a.wait_event,
         extract(epoch FROM clock_timestamp() - a.xact_start)::float8 AS xact_age,
         extract(epoch FROM clock_timestamp() - a.query_start)::float8 AS query_age,
         extract(epoch FROM clock_timestamp() - a.state_change)::float8 AS state_age,
         left(a.query, 4000) AS query, pg_blocking_pids(a.pid) AS blocked_by
    FROM pg_stat_activity a
   WHERE a.datname = current_database() AND ${notSelf} AND a.backend_type IN ('client backend', 'standalone backend')
),
locks AS (
  SELECT l.pid,
         count(*) FILTER (WHERE l.locktype = 'relation') AS rel,
         count(*) FILTER (WHERE l.locktype = 'relation' AND NOT l.fastpath) AS slow
    FROM pg_locks l WHERE l.pid IS NOT NULL AND ${notSelfLocks} GROUP BY l.pid
),
byrel AS (
  SELECT format('%I.%I', n.nspname, c.relname) AS relation,
         count(*) FILTER (WHERE NOT l.fastpath) AS slow, count(*) FILTER (WHERE l.fastpath) AS fast
    FROM pg_locks l
    JOIN pg_class c ON c.oid = l.relation
    JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE l.locktype = 'relation' AND ${notSelfLocks}
     AND l.database IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
   GROUP BY 1
  HAVING count(*) FILTER (WHERE NOT l.fastpath) > 0
),
${subxact},
slru AS (
  SELECT name, blks_hit, blks_read, blks_zeroed FROM pg_stat_slru WHERE name IN ('Subtrans', 'subtransaction')
)
SELECT json_build_object(
  'takenAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'database', current_database(),
  'sessions', coalesce((SELECT json_agg(json_build_object(
        'pid', act.pid, 'user', act.usename, 'applicationName', act.application_name, 'state', act.state,
        'waitEventType', act.wait_event_type, 'waitEvent', act.wait_event,
        'transactionAge', act.xact_age, 'queryAge', act.query_age, 'stateAge', act.state_age,
        'query', act.query, 'blockedBy', act.blocked_by,
        'relationLocks', coalesce(locks.rel, 0), 'slowPathRelationLocks', coalesce(locks.slow, 0),
        'subxactCount', subx.subxact_count, 'subxactOverflowed', subx.subxact_overflowed) ORDER BY act.pid)
      FROM act LEFT JOIN locks ON locks.pid = act.pid LEFT JOIN subx ON subx.pid = act.pid), '[]'::json),
  'slowPathByRelation', coalesce((SELECT json_agg(json_build_object('relation', relation, 'slowPathLocks', slow, 'fastPathLocks', fast) ORDER BY slow DESC, relation) FROM byrel), '[]'::json),
  'subtransSlru', (SELECT json_build_object('name', name, 'blksHit', blks_hit, 'blksRead', blks_read, 'blksZeroed', blks_zeroed) FROM slru LIMIT 1)
) AS snapshot`;
}
