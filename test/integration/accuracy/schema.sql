-- Fixture schema of the accuracy suite: loaded into a PostgreSQL 15 cluster and into PGlite (PostgreSQL 18).
CREATE TABLE t20 (id int PRIMARY KEY, c1 int, c2 int, c3 int, c4 int, c5 int, c6 int, c7 int, c8 int, c9 int, c10 int,
  c11 int, c12 int, c13 int, c14 int, c15 int, c16 int, c17 int, c18 int, c19 int, payload text);
DO $$ BEGIN FOR i IN 1..19 LOOP EXECUTE format('CREATE INDEX t20_c%s_idx ON t20 (c%s)', i, i); END LOOP; END $$;
INSERT INTO t20 SELECT g, g,g,g,g,g,g,g,g,g,g,g,g,g,g,g,g,g,g,g, 'x' FROM generate_series(1, 100) g;

CREATE TABLE parted (k int NOT NULL, v int, PRIMARY KEY (k)) PARTITION BY RANGE (k);
DO $$ BEGIN FOR i IN 0..7 LOOP EXECUTE format('CREATE TABLE parted_%s PARTITION OF parted FOR VALUES FROM (%s) TO (%s)', i, i*100, (i+1)*100); END LOOP; END $$;
CREATE INDEX parted_v_idx ON parted (v);
INSERT INTO parted SELECT g, g FROM generate_series(0, 799) g;

CREATE TABLE lparted (region text NOT NULL, id int NOT NULL, amount int) PARTITION BY LIST (region);
CREATE TABLE lparted_eu PARTITION OF lparted FOR VALUES IN ('de', 'fr', 'it');
CREATE TABLE lparted_us PARTITION OF lparted FOR VALUES IN ('us', 'ca');
CREATE TABLE lparted_asia PARTITION OF lparted FOR VALUES IN ('jp', 'kr', 'cn');
CREATE TABLE lparted_other PARTITION OF lparted DEFAULT;
CREATE INDEX lparted_id_idx ON lparted (id);

CREATE TABLE hparted (id bigint NOT NULL, v int) PARTITION BY HASH (id);
CREATE TABLE hparted_0 PARTITION OF hparted FOR VALUES WITH (modulus 4, remainder 0);
CREATE TABLE hparted_1 PARTITION OF hparted FOR VALUES WITH (modulus 4, remainder 1);
CREATE TABLE hparted_2 PARTITION OF hparted FOR VALUES WITH (modulus 4, remainder 2);
CREATE TABLE hparted_3 PARTITION OF hparted FOR VALUES WITH (modulus 4, remainder 3);
CREATE INDEX hparted_id_idx ON hparted (id);

-- Two levels: by year (range), then by kind (list).
CREATE TABLE sub (y int NOT NULL, kind text NOT NULL, v int) PARTITION BY RANGE (y);
CREATE TABLE sub_2025 PARTITION OF sub FOR VALUES FROM (2025) TO (2026) PARTITION BY LIST (kind);
CREATE TABLE sub_2025_a PARTITION OF sub_2025 FOR VALUES IN ('a');
CREATE TABLE sub_2025_b PARTITION OF sub_2025 FOR VALUES IN ('b');
CREATE TABLE sub_2026 PARTITION OF sub FOR VALUES FROM (2026) TO (2027) PARTITION BY LIST (kind);
CREATE TABLE sub_2026_a PARTITION OF sub_2026 FOR VALUES IN ('a');
CREATE TABLE sub_2026_b PARTITION OF sub_2026 FOR VALUES IN ('b');
CREATE INDEX sub_v_idx ON sub (v);

CREATE TABLE a (id int PRIMARY KEY, x int);
CREATE INDEX a_x_idx ON a (x);
CREATE TABLE b (id int PRIMARY KEY, a_id int);
CREATE INDEX b_a_id_idx ON b (a_id);
INSERT INTO a SELECT g, g FROM generate_series(1, 100) g;
INSERT INTO b SELECT g, g FROM generate_series(1, 100) g;
CREATE VIEW v_ab AS SELECT a.id, a.x, b.id AS bid FROM a JOIN b ON b.a_id = a.id;
CREATE VIEW v_union AS SELECT id, x FROM a UNION ALL SELECT id, a_id FROM b;
CREATE VIEW v_nested AS SELECT v_ab.id, v_ab.x FROM v_ab WHERE v_ab.x > 0;
CREATE VIEW v_agg AS SELECT a_id, count(*) AS n FROM b GROUP BY a_id;

-- j1..j8: tables for joins, each with a primary key and one more index.
DO $$ BEGIN FOR i IN 1..8 LOOP
  EXECUTE format('CREATE TABLE j%s (id int PRIMARY KEY, ref int, v int)', i);
  EXECUTE format('CREATE INDEX j%s_ref_idx ON j%s (ref)', i, i);
END LOOP; END $$;

CREATE TABLE parent (id int PRIMARY KEY, name text);
CREATE TABLE child (id serial PRIMARY KEY, parent_id int NOT NULL REFERENCES parent (id), note text);
CREATE INDEX child_parent_id_idx ON child (parent_id);
INSERT INTO parent SELECT g, 'p' || g FROM generate_series(1, 20) g;
INSERT INTO child (parent_id) SELECT 1 + g % 10 FROM generate_series(1, 50) g;
CREATE TABLE grandchild (id int PRIMARY KEY, child_id int REFERENCES child (id) ON DELETE CASCADE);
CREATE INDEX grandchild_child_id_idx ON grandchild (child_id);

CREATE TABLE toasty (id int PRIMARY KEY, big text);
CREATE MATERIALIZED VIEW mv AS SELECT id, x FROM a;
CREATE UNIQUE INDEX mv_id_idx ON mv (id);
CREATE SEQUENCE s1;
CREATE TABLE ident (id int GENERATED ALWAYS AS IDENTITY PRIMARY KEY, v int);

CREATE TABLE inh_parent (id int, k int);
CREATE TABLE inh_c1 (CHECK (k < 10)) INHERITS (inh_parent);
CREATE TABLE inh_c2 (CHECK (k >= 10)) INHERITS (inh_parent);
CREATE INDEX inh_c1_k_idx ON inh_c1 (k);
CREATE INDEX inh_c2_k_idx ON inh_c2 (k);
CREATE TABLE inh_gc (extra int) INHERITS (inh_c1);

CREATE TABLE noidx (id int, v int);
CREATE TABLE upsert_t (id int PRIMARY KEY, code text UNIQUE, v int);
CREATE INDEX upsert_t_v_idx ON upsert_t (v);

-- Many small tables: PostgreSQL 18 maps each to a fast-path group by OID; the suite picks same-group sets.
DO $$ BEGIN FOR i IN 0..39 LOOP EXECUTE format('CREATE TABLE g%s (id int)', i); END LOOP; END $$;
ANALYZE;
