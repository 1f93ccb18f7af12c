/** The single query that snapshots everything lock prediction needs from the catalog, as one JSON document. */

/*
 * Cost model (measured on 2,000 tables + 20,000 indexes): the server's time goes into JSON values, about half a
 * microsecond each, not into reading the catalog. So every entry is an array of as few values as carry the facts:
 * - a relation's kind and flags are one number, ascii(relkind)·4 + 2·shared + temporary;
 * - its schema and name travel as format('%I.%I') only (the loader splits the quoted form back);
 * - an index is [oid, valid + 2·unique + 4·primary + 8·key count, indkey as text], longer only when it has a
 *   predicate or an expression column (then its key columns come deparsed);
 * - a column is [name, attnum·4 + 2·toastable + notNull, type], longer only with a default, identity or sequence;
 * - lists are aggregated without ORDER BY (a sort per relation): the loader orders columns by attnum and indexes by
 *   OID itself.
 * pg_class is read per part, not through one materialised CTE of every relation (that copy alone cost a tenth).
 */
export const CATALOG_SQL = `
WITH ns AS (
  SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n
   WHERE (n.nspname NOT LIKE 'pg_temp_%' OR n.oid = pg_catalog.pg_my_temp_schema()) AND n.nspname NOT LIKE 'pg_toast_temp_%'
),
idx AS (
  SELECT i.indrelid, json_agg(CASE WHEN i.indpred IS NULL AND i.indexprs IS NULL AND t.relkind IN ('r', 'p', 'f', 'v', 'm')
           THEN json_build_array(i.indexrelid, i.indisvalid::int + 2 * i.indisunique::int + 4 * i.indisprimary::int + 8 * i.indnkeyatts, i.indkey::text)
           ELSE json_build_array(i.indexrelid, i.indisvalid::int + 2 * i.indisunique::int + 4 * i.indisprimary::int + 8 * i.indnkeyatts, i.indkey::text,
             -- Key columns by name only with an expression column (pg_get_indexdef's deparse) or on a relation whose
             -- columns are not loaded (TOAST); otherwise the loader names the numbers from the table's columns.
             CASE WHEN i.indexprs IS NOT NULL OR t.relkind NOT IN ('r', 'p', 'f', 'v', 'm') THEN
                    (SELECT coalesce(json_agg(CASE WHEN k.attnum = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) ELSE a.attname::text END ORDER BY k.ord), '[]'::json)
                       FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                       LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                      WHERE k.ord <= i.indnkeyatts) END,
             pg_catalog.pg_get_expr(i.indpred, i.indrelid)) END) AS list
    FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class t ON t.oid = i.indrelid GROUP BY i.indrelid
),
-- Sequences owned by a column (serial, identity), found once from the few sequences, not per column.
owned AS (
  SELECT dep.refobjid, dep.refobjsubid, min(dep.objid) AS seq
    FROM pg_catalog.pg_class s
    JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = s.oid
   WHERE s.relkind = 'S' AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype IN ('a', 'i')
   GROUP BY dep.refobjid, dep.refobjsubid
),
cols AS (
  SELECT a.attrelid, json_agg(CASE WHEN d.adbin IS NULL AND a.attidentity = '' AND owned.seq IS NULL
           THEN json_build_array(a.attname, a.attnum * 4 + 2 * (a.attstorage IN ('x', 'e'))::int + a.attnotnull::int, pg_catalog.format_type(a.atttypid, a.atttypmod))
           ELSE json_build_array(a.attname, a.attnum * 4 + 2 * (a.attstorage IN ('x', 'e'))::int + a.attnotnull::int, pg_catalog.format_type(a.atttypid, a.atttypmod),
             pg_catalog.pg_get_expr(d.adbin, d.adrelid), nullif(a.attidentity, ''), owned.seq) END) AS list
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p', 'f', 'v', 'm')
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN owned ON owned.refobjid = a.attrelid AND owned.refobjsubid = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped
   GROUP BY a.attrelid
),
-- Children by pg_inherits: [oid, partition bound, is a partition].
parts AS (
  SELECT inh.inhparent, json_agg(json_build_array(
           inh.inhrelid, CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END, c.relispartition)) AS list
    FROM pg_catalog.pg_inherits inh JOIN pg_catalog.pg_class c ON c.oid = inh.inhrelid
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
  'databaseOid', (SELECT d.oid FROM pg_catalog.pg_database d WHERE d.datname = current_database()),
  'searchPath', to_json(current_schemas(false)),
  -- Relations that carry lists (tables, views, partitioned objects, TOAST): [oid, qualifiedName, kind and flags,
  -- estimatedRows, toastOid, toastIndexOid, indexes, columns, partitionOf, partitionBound, children, partitioning,
  -- viewDefinition, foreignKeys, referencedBy, triggers], an empty list as null. Foreign keys stay looked up per
  -- relation: grouped, their order within a relation would follow the planner's sort, not the catalog's.
  'relations', (SELECT json_agg(json_build_array(
      c.oid, format('%I.%I', ns.nspname, c.relname), ascii(c.relkind) * 4 + 2 * c.relisshared::int + (c.relpersistence = 't')::int,
      c.reltuples, nullif(c.reltoastrelid, 0), toast_idx.oid, idx.list, cols.list,
      CASE WHEN c.relispartition THEN (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = c.oid) END,
      CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END,
      parts.list,
      CASE WHEN keys.partrelid IS NOT NULL THEN json_build_object('strategy', keys.strategy, 'keyColumns', keys.columns, 'keyTypes', keys.key_types) END,
      CASE WHEN c.relkind IN ('v', 'm') THEN pg_catalog.pg_get_viewdef(c.oid, false) END,
      (SELECT json_agg(fks.fk) FROM fks WHERE fks.conrelid = c.oid),
      (SELECT json_agg(fks.fk ORDER BY fks.action_order COLLATE "C") FROM fks WHERE fks.confrelid = c.oid),
      trg.list))
    FROM pg_catalog.pg_class c
    JOIN ns ON ns.oid = c.relnamespace
    LEFT JOIN idx ON idx.indrelid = c.oid
    LEFT JOIN cols ON cols.attrelid = c.oid
    LEFT JOIN parts ON parts.inhparent = c.oid
    LEFT JOIN keys ON keys.partrelid = c.oid
    LEFT JOIN trg ON trg.tgrelid = c.oid
    LEFT JOIN toast_idx ON toast_idx.indrelid = c.reltoastrelid
   WHERE c.relkind IN ('r', 'p', 'I', 'v', 'm', 'f', 't')),
  -- Indexes and sequences, most relations of a real schema: [oid, qualifiedName, kind and flags, estimatedRows], and
  -- for an index partition its parent's oid after them.
  'plainRelations', (SELECT json_agg(CASE WHEN c.relispartition
      THEN json_build_array(c.oid, format('%I.%I', ns.nspname, c.relname), ascii(c.relkind) * 4 + 2 * c.relisshared::int + (c.relpersistence = 't')::int,
             c.reltuples, (SELECT inh.inhparent FROM pg_catalog.pg_inherits inh WHERE inh.inhrelid = c.oid))
      ELSE json_build_array(c.oid, format('%I.%I', ns.nspname, c.relname), ascii(c.relkind) * 4 + 2 * c.relisshared::int + (c.relpersistence = 't')::int,
             c.reltuples) END)
    FROM pg_catalog.pg_class c JOIN ns ON ns.oid = c.relnamespace
   WHERE c.relkind IN ('i', 'S'))
)::text AS catalog`;
