/** The single query that snapshots everything lock prediction needs from the catalog, as one JSON document. */

export const CATALOG_SQL = `
WITH rels AS (
  SELECT c.oid, n.nspname, c.relname, c.relkind, c.relisshared, c.relpersistence, c.reltoastrelid,
         c.reltuples, c.relispartition,
         CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS bound
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p', 'i', 'I', 'S', 'v', 'm', 'f', 't')
     AND (n.nspname NOT LIKE 'pg_temp_%' OR n.oid = pg_catalog.pg_my_temp_schema())
     AND (n.nspname NOT LIKE 'pg_toast_temp_%')
),
idx AS (
  -- Arrays, not objects (tens of thousands of them): [oid, valid, unique, primary, keys, columns, predicate].
  SELECT i.indrelid, json_agg(json_build_array(
           i.indexrelid, i.indisvalid, i.indisunique, i.indisprimary,
           -- Key columns by number, named by the loader from the table's columns; only an index with an expression
           -- column (pg_get_indexdef's deparse), or on a relation whose columns are not loaded (TOAST), pays for a
           -- subquery.
           to_json((i.indkey::int2[])[0:i.indnkeyatts - 1]),
           CASE WHEN 0 = ANY ((i.indkey::int2[])[0:i.indnkeyatts - 1]) OR t.relkind NOT IN ('r', 'p', 'f', 'v', 'm') THEN
                        (SELECT coalesce(json_agg(CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END ORDER BY k.ord), '[]'::json)
                           FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                           LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                          WHERE k.ord <= i.indnkeyatts) END,
           pg_catalog.pg_get_expr(i.indpred, i.indrelid)) ORDER BY i.indexrelid) AS list
    FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t ON t.oid = i.indrelid GROUP BY i.indrelid
),
cols AS (
  -- Arrays too: [name, num, type, default, identity, sequence, toastable, notNull].
  SELECT a.attrelid, json_agg(json_build_array(
           a.attname, a.attnum, pg_catalog.format_type(a.atttypid, a.atttypmod),
           pg_catalog.pg_get_expr(d.adbin, d.adrelid), nullif(a.attidentity, ''),
           owned.seq, a.attstorage IN ('x', 'e'), a.attnotnull) ORDER BY a.attnum) AS list
    FROM pg_catalog.pg_attribute a
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    -- Sequences owned by a column (serial, identity), found once from the few sequences, not per column.
    LEFT JOIN (SELECT dep.refobjid, dep.refobjsubid, min(dep.objid) AS seq
                 FROM pg_catalog.pg_class s
                 JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = s.oid
                WHERE s.relkind = 'S' AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i')
                GROUP BY dep.refobjid, dep.refobjsubid) owned ON owned.refobjid = a.attrelid AND owned.refobjsubid = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped
     AND a.attrelid IN (SELECT oid FROM rels WHERE relkind IN ('r', 'p', 'f', 'v', 'm'))
   GROUP BY a.attrelid
),
parts AS (
  SELECT inh.inhparent, json_agg(json_build_object('oid', inh.inhrelid, 'bound', r.bound, 'isPartition', r.relispartition) ORDER BY inh.inhrelid) AS list
    FROM pg_catalog.pg_inherits inh JOIN rels r ON r.oid = inh.inhrelid
   GROUP BY inh.inhparent
),
keys AS (
  SELECT pt.partrelid,
         CASE pt.partstrat WHEN 'l' THEN 'list' WHEN 'r' THEN 'range' WHEN 'h' THEN 'hash' END AS strategy,
         (SELECT json_agg(CASE WHEN k.attnum = 0 THEN '(expression)' ELSE (SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = pt.partrelid AND attnum = k.attnum) END ORDER BY k.ord)
            FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(attnum, ord)) AS columns,
         -- Per key column: an enum's labels (hash partitioning hashes the label's OID, range and list compare by
         -- sort order) or null, and whether its collation is deterministic (text then hashes its bytes).
         (SELECT json_agg(json_build_object(
                   'enumLabels', (SELECT json_agg(json_build_object('oid', e.oid, 'label', e.enumlabel, 'sortOrder', e.enumsortorder) ORDER BY e.enumsortorder)
                      FROM pg_catalog.pg_enum e WHERE e.enumtypid = a.atttypid),
                   'deterministic', coalesce((SELECT co.collisdeterministic FROM pg_catalog.pg_collation co WHERE co.oid = k.coll), true))
                 ORDER BY k.ord)
            FROM unnest(pt.partattrs::int2[], pt.partcollation::oid[]) WITH ORDINALITY AS k(attnum, coll, ord)
            LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = k.attnum) AS key_types
    FROM pg_catalog.pg_partitioned_table pt
),
fks AS (
  SELECT json_build_object(
           'name', con.conname, 'fromOid', con.conrelid, 'toOid', con.confrelid,
           'fromColumns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
                             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum),
           'toColumns', (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(con.confkey) WITH ORDINALITY k(attnum, ord)
                           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum),
           'onDelete', con.confdeltype, 'onUpdate', con.confupdtype, 'deferred', con.condeferred) AS fk,
         con.conrelid, con.confrelid,
         -- Row triggers fire in name order: the keys' ON DELETE triggers ("RI_ConstraintTrigger_a_<oid>", compared as
         -- text: 100000 sorts before 99999) order the referencing tables' actions.
         (SELECT min(t.tgname) FROM pg_catalog.pg_trigger t
           WHERE t.tgconstraint = con.oid AND t.tgrelid = con.confrelid AND (t.tgtype & 8) <> 0) AS action_order
    FROM pg_catalog.pg_constraint con
   WHERE con.contype = 'f' AND con.conparentid = 0
),
-- A TOAST table's one index, joined instead of a subquery per relation.
toast_idx AS (SELECT ti.indrelid, min(ti.indexrelid) AS oid FROM pg_catalog.pg_index ti
                JOIN pg_catalog.pg_class tc ON tc.oid = ti.indrelid WHERE tc.relkind = 't' GROUP BY ti.indrelid),
trg AS (
  SELECT t.tgrelid, json_agg(t.tgname ORDER BY t.tgname) AS list
    FROM pg_catalog.pg_trigger t WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' GROUP BY t.tgrelid
)
SELECT json_build_object(
  'version', current_setting('server_version'),
  'versionNum', current_setting('server_version_num')::int,
  'maxLocks', current_setting('max_locks_per_transaction')::int,
  'database', current_database(),
  'searchPath', to_json(current_schemas(false)),
  'relations', (SELECT json_agg(json_build_object(
      'oid', r.oid, 'schema', r.nspname, 'name', r.relname, 'qualifiedName', format('%I.%I', r.nspname, r.relname),
      'relkind', r.relkind, 'shared', r.relisshared, 'temporary', r.relpersistence = 't',
      'toastOid', nullif(r.reltoastrelid, 0),
      'toastIndexOid', toast_idx.oid,
      'estimatedRows', r.reltuples,
      'indexes', coalesce(idx.list, '[]'::json),
      'columns', coalesce(cols.list, '[]'::json),
      'partitionOf', CASE WHEN r.relispartition THEN (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = r.oid) END,
      'partitionBound', r.bound,
      'children', coalesce(parts.list, '[]'::json),
      'partitioning', CASE WHEN keys.partrelid IS NOT NULL THEN json_build_object('strategy', keys.strategy, 'keyColumns', keys.columns, 'keyTypes', keys.key_types) END,
      'viewDefinition', CASE WHEN r.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(r.oid, false) END,
      'foreignKeys', coalesce((SELECT json_agg(fks.fk) FROM fks WHERE fks.conrelid = r.oid), '[]'::json),
      'referencedBy', coalesce((SELECT json_agg(fks.fk ORDER BY fks.action_order COLLATE "C") FROM fks WHERE fks.confrelid = r.oid), '[]'::json),
      'triggers', coalesce(trg.list, '[]'::json)))
    FROM rels r
    LEFT JOIN idx ON idx.indrelid = r.oid
    LEFT JOIN cols ON cols.attrelid = r.oid
    LEFT JOIN parts ON parts.inhparent = r.oid
    LEFT JOIN keys ON keys.partrelid = r.oid
    LEFT JOIN trg ON trg.tgrelid = r.oid
    LEFT JOIN toast_idx ON toast_idx.indrelid = r.reltoastrelid
   WHERE r.relkind NOT IN ('i', 'S')),
  -- Indexes and sequences (most relations of a real schema) have none of the lists above: a short array each,
  -- [oid, schema, name, qualifiedName, relkind, shared, temporary, estimatedRows, partitionOf], halves the work.
  'plainRelations', (SELECT json_agg(json_build_array(
      r.oid, r.nspname, r.relname, format('%I.%I', r.nspname, r.relname), r.relkind, r.relisshared, r.relpersistence = 't',
      r.reltuples, CASE WHEN r.relispartition THEN (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = r.oid) END))
    FROM rels r
   WHERE r.relkind IN ('i', 'S'))
)::text AS catalog`;
