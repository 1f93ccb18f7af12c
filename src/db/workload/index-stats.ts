/** Index facts for the index diet: scans since the statistics reset, validity, constraints, and a duplicate key. */
import type { IndexUsage } from '../../core/workload/index-diet.js';
import type { SqlSession } from '../session.js';

interface RawIndex {
  indexOid: number;
  index: string;
  tableOid: number;
  table: string;
  idxScan: string | null;
  valid: boolean;
  unique: boolean;
  primary: boolean;
  constraint: string | null;
  sameAs: string;
  sizeBytes: string;
}

/**
 * One query for the indexes of the given tables. `sameAs` is what makes two indexes the same index: table, access
 * method, key columns, operator classes, collations, expressions and predicate (names aside).
 */
const INDEX_SQL = `/* lockscope workload */
SELECT i.indexrelid::int AS "indexOid", format('%I.%I', ns.nspname, ic.relname) AS index,
       i.indrelid::int AS "tableOid", format('%I.%I', ts.nspname, tc.relname) AS "table",
       s.idx_scan::text AS "idxScan", i.indisvalid AS valid, i.indisunique AS unique, i.indisprimary AS primary,
       (SELECT con.conname::text FROM pg_constraint con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid LIMIT 1) AS constraint,
       concat_ws(' ', i.indrelid, ic.relam, i.indkey::text, i.indclass::text, i.indcollation::text, i.indoption::text,
                 pg_get_expr(i.indexprs, i.indrelid), 'WHERE', pg_get_expr(i.indpred, i.indrelid)) AS "sameAs",
       pg_relation_size(i.indexrelid)::text AS "sizeBytes"
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace ns ON ns.oid = ic.relnamespace
  JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace ts ON ts.oid = tc.relnamespace
  LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
 WHERE i.indrelid = ANY($1::oid[])
 ORDER BY 4, 2`;

const STATS_RESET_SQL = `/* lockscope workload */ SELECT stats_reset::text AS "statsReset" FROM pg_stat_database WHERE datname = current_database()`;

/** The indexes of `tableOids`, and when this database's statistics were last reset (undefined: never). */
export async function readIndexUsage(
  db: SqlSession,
  tableOids: readonly number[],
): Promise<{ indexes: IndexUsage[]; statsReset: string | undefined }> {
  if (tableOids.length === 0) return { indexes: [], statsReset: undefined };
  const rows = await db.query<RawIndex>(INDEX_SQL, [tableOids]);
  const [reset] = await db.query<{ statsReset: string | null }>(STATS_RESET_SQL);
  return {
    indexes: rows.map((r) => ({
      indexOid: r.indexOid,
      index: r.index,
      tableOid: r.tableOid,
      table: r.table,
      scans: r.idxScan === null ? undefined : Number(r.idxScan),
      valid: r.valid,
      unique: r.unique,
      primary: r.primary,
      constraint: r.constraint ?? undefined,
      sameAs: r.sameAs,
      sizeBytes: Number(r.sizeBytes),
    })),
    statsReset: reset?.statsReset ?? undefined,
  };
}
