/** A real `pg_dump -s` of a PostgreSQL 15 database loads into the embedded PostgreSQL 18; broken files name their line. */
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

test('pg_dump -s output loads; role, grant and extension statements are skipped with their lines', async () => {
  // The dump's CREATE EXTENSION hstore cannot apply in the embedded database; nothing else depends on it.
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
    assert.ok(
      skipped.some((s) => /CREATE EXTENSION/.test(s)),
      skipped.join('\n'),
    );
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
