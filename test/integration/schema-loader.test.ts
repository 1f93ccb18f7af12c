/**
 * A real `pg_dump -s` of a PostgreSQL 15 database loads into the embedded PostgreSQL 18; contrib extensions PGlite
 * ships are created on demand, what it lacks is skipped with file and line; broken files name their line.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { DbError } from '../../src/db/errors.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

let cluster: PgCluster;
let dump: string;

before(async () => {
  cluster = await startCluster();
  cluster.psql(`CREATE ROLE app_owner; CREATE ROLE reader; CREATE DATABASE app;`);
  cluster.psql(
    `CREATE EXTENSION hstore;
     CREATE SCHEMA billing AUTHORIZATION app_owner;
     CREATE TABLE billing.invoices (id bigserial PRIMARY KEY, customer text NOT NULL, total numeric);
     CREATE INDEX invoices_customer_idx ON billing.invoices (customer);
     ALTER TABLE billing.invoices OWNER TO app_owner;
     GRANT SELECT ON billing.invoices TO reader;
     CREATE TABLE public.ledger (id int PRIMARY KEY, invoice_id bigint REFERENCES billing.invoices (id)) ;
     CREATE VIEW public.open_invoices AS SELECT * FROM billing.invoices WHERE total > 0;`,
    'app',
  );
  dump = execFileSync(
    join(cluster.binDir, 'pg_dump'),
    ['-s', '-h', cluster.socketDir, '-p', String(cluster.port), '-U', 'postgres', 'app'],
    { encoding: 'utf8' },
  );
});
after(() => cluster?.stop());

test('pg_dump -s output loads; role and grant statements are skipped with their lines, hstore is created', async () => {
  const portable = dump;
  const session = await openEmbeddedSession({ schemaSql: portable });
  try {
    const rows = await session.query<{ n: string }>(
      `SELECT count(*)::text AS n FROM pg_class WHERE relname IN ('invoices', 'invoices_customer_idx', 'ledger', 'open_invoices', 'invoices_id_seq')`,
    );
    assert.equal(rows[0]?.n, '5');
    const skipped = session.schemaReport.skipped.map((s) => s.statement);
    assert.ok(
      skipped.some((s) => /OWNER TO app_owner/.test(s)),
      skipped.join('\n'),
    );
    assert.ok(
      skipped.some((s) => /^GRANT/.test(s)),
      skipped.join('\n'),
    );
    assert.ok(!skipped.some((s) => /EXTENSION/.test(s)), skipped.join('\n'));
    const extensions = await session.query<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname = 'hstore'`);
    assert.equal(extensions.length, 1);
    for (const s of session.schemaReport.skipped) assert.ok(s.line > 0 && portable.split('\n')[s.line - 1]?.trim().length);
    // search_path is usable again after the dump cleared it.
    const view = await session.query<{ n: string }>('SELECT count(*)::text AS n FROM open_invoices');
    assert.equal(view[0]?.n, '0');
  } finally {
    await session.close();
  }
});

test('a statement that fails for real stops the load and names its line', async () => {
  const text = 'CREATE TABLE a (id int PRIMARY KEY);\n\n-- the next one is wrong\nCREATE TABLE b (a_id int REFERENCES nowhere (id));\n';
  await assert.rejects(
    openEmbeddedSession({ schemaSql: text }),
    (error: unknown) => DbError.is(error, 'schema-load') && /line 4: .*nowhere/.test(error.message),
  );
});

test('a file that does not parse names its line', async () => {
  const text = 'CREATE TABLE a (id int);\nCREATE TABLE (oops;\n';
  await assert.rejects(
    openEmbeddedSession({ schemaSql: text }),
    (error: unknown) => DbError.is(error, 'schema-load') && /near line 2/.test(error.message),
  );
});

test('contrib extensions are created on demand; a missing one and what needs it are skipped, naming file and line', async () => {
  const text = [
    'CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;', // 1
    'CREATE EXTENSION IF NOT EXISTS btree_gin;', // 2
    'CREATE EXTENSION citext;', // 3
    'CREATE EXTENSION "uuid-ossp";', // 4
    'CREATE EXTENSION postgis;', // 5
    'ALTER TABLE public.users OWNER TO nobody;', // 6: no such role here (and no users table yet)
    'CREATE TABLE users (id uuid PRIMARY KEY DEFAULT uuid_generate_v4(), email citext, name text, org int);', // 7
    'CREATE INDEX users_name_trgm ON users USING gin (name gin_trgm_ops);', // 8
    'CREATE INDEX users_org_gin ON users USING gin (org);', // 9
    'CREATE TABLE zones (id int, area geometry);', // 10
    'CREATE INDEX zones_id ON zones (id);', // 11
    "SELECT partman.create_parent('public.events', 'created_at', '1 month');", // 12
    'CREATE TABLE after_all (id int);', // 13
  ].join('\n');
  const session = await openEmbeddedSession({ schemaSources: [{ file: 'db/structure.sql', text }] });
  try {
    const indexes = await session.query<{ relname: string }>(
      `SELECT relname FROM pg_class WHERE relname IN ('users_name_trgm', 'users_org_gin', 'after_all', 'zones') ORDER BY 1`,
    );
    assert.deepEqual(
      indexes.map((r) => r.relname),
      ['after_all', 'users_name_trgm', 'users_org_gin'],
    );
    assert.deepEqual(
      session.schemaReport.skipped.map((s) => `${s.file}:${s.line}`),
      ['db/structure.sql:5', 'db/structure.sql:6', 'db/structure.sql:10', 'db/structure.sql:11', 'db/structure.sql:12'],
    );
    assert.match(session.schemaReport.skipped[0]?.reason ?? '', /postgis/);
    assert.match(session.schemaReport.skipped[2]?.reason ?? '', /earlier skipped.*geometry/);
  } finally {
    await session.close();
  }
});
