/** Which failed schema statements the embedded load skips (and why) and which stop it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { skipDecision } from '../../../src/db/schema-skips.js';

test('server-only statements are skipped with a note; missing objects only after an earlier skip', () => {
  const rows: Array<{ sql: string; state?: string; skippedBefore?: boolean; note: RegExp | undefined }> = [
    { sql: 'ALTER TABLE public.users OWNER TO app;', note: /^ownership/ },
    { sql: 'GRANT SELECT ON public.users TO reader;', note: /^privileges/ },
    { sql: 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO reader;', note: /^privileges/ },
    { sql: 'CREATE ROLE reporting NOLOGIN;', note: /^roles/ },
    { sql: 'SET ROLE app;', note: /^roles/ },
    { sql: 'CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public;', note: /extension/ },
    { sql: "COMMENT ON EXTENSION postgis IS 'x';", note: /extension/ },
    { sql: 'CREATE PUBLICATION app_pub FOR ALL TABLES;', note: /replication/ },
    { sql: "CREATE TABLESPACE fast LOCATION '/ssd';", note: /server object/ },
    { sql: "SELECT partman.create_parent('public.events', 'created_at', '1 month');", note: /pg_partman/ },
    { sql: "INSERT INTO partman.part_config (parent_table) VALUES ('public.events');", note: /pg_partman/ },
    { sql: 'CREATE TABLE zones (area public.geometry);', state: '42704', skippedBefore: true, note: /earlier skipped/ },
    { sql: 'CREATE INDEX ON zones (area);', state: '42P01', skippedBefore: true, note: /earlier skipped/ },
    // Without an earlier skip a missing table is a mistake in the schema: the load stops there.
    { sql: 'CREATE INDEX ON zones (area);', state: '42P01', skippedBefore: false, note: undefined },
    { sql: 'CREATE TABLE a (id int PRIMARY KEY, id int);', state: '42701', skippedBefore: true, note: undefined },
    { sql: 'SELECT 1/0;', state: '22012', note: undefined },
  ];
  for (const row of rows) {
    const decision = skipDecision(row.sql, row.state, 'the error', row.skippedBefore ?? false);
    if (row.note === undefined) assert.equal(decision, undefined, row.sql);
    else assert.match(decision?.reason ?? '(not skipped)', row.note, row.sql);
  }
});
