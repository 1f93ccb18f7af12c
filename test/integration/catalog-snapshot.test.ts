/** The catalog snapshot: one query, the facts prediction needs (checked against the server), cached and refreshable. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Catalog } from '../../src/core/catalog.js';
import { resolveRelation } from '../../src/core/catalog.js';
import { CatalogCache, loadCatalog } from '../../src/db/catalog-loader.js';
import { resolveConnectionTarget } from '../../src/db/connection-target.js';
import { openEmbeddedSession } from '../../src/db/embedded-session.js';
import { openServerSession } from '../../src/db/server-session.js';
import type { SqlSession } from '../../src/db/session.js';
import { startCluster, type PgCluster } from '../support/pg-cluster.js';

const SCHEMA = `
  CREATE TABLE parent (id int PRIMARY KEY, name text);
  CREATE TABLE child (id serial PRIMARY KEY, parent_id int REFERENCES parent (id) ON DELETE CASCADE, note text);
  CREATE INDEX child_parent_idx ON child (parent_id);
  CREATE INDEX child_note_partial ON child (note) WHERE note IS NOT NULL;
  CREATE TABLE ident (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);
  CREATE TABLE r (k int NOT NULL) PARTITION BY RANGE (k);
  CREATE TABLE r_hi PARTITION OF r FOR VALUES FROM (100) TO (200);
  CREATE TABLE r_lo PARTITION OF r FOR VALUES FROM (0) TO (100);
  CREATE TABLE r_def PARTITION OF r DEFAULT;
  CREATE TABLE ip (id int); CREATE TABLE ic2 () INHERITS (ip); CREATE TABLE ic1 () INHERITS (ip);
  CREATE VIEW v AS SELECT p.id FROM parent p JOIN child c ON c.parent_id = p.id;
  CREATE FUNCTION noop() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
  CREATE TRIGGER child_trg BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION noop();
  CREATE SCHEMA "My.Schema";
  CREATE TABLE "My.Schema"."we""ird.Name" ("Col""x" int, "select" text NOT NULL DEFAULT 'a', gone int, after_gone int);
  ALTER TABLE "My.Schema"."we""ird.Name" DROP COLUMN gone;
  CREATE INDEX odd_keys ON "My.Schema"."we""ird.Name" (after_gone, "Col""x") INCLUDE ("select");
  CREATE UNIQUE INDEX "Odd Index" ON "My.Schema"."we""ird.Name" ((after_gone + 1), "select");
  CREATE TABLE "select" (id int PRIMARY KEY);`;

let cluster: PgCluster;
before(async () => {
  cluster = await startCluster();
  cluster.psql(SCHEMA);
});
after(() => cluster?.stop());

function counting(session: SqlSession): { session: SqlSession; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    session: {
      ...session,
      kind: session.kind,
      display: session.display,
      query: (sql, params) => {
        calls++;
        return session.query(sql, params);
      },
      close: () => session.close(),
    },
  };
}

function checkFacts(catalog: Catalog, oidOf: (name: string) => number): void {
  const child = resolveRelation(catalog, undefined, 'child');
  assert.ok(child);
  assert.equal(child.oid, oidOf('child'));
  assert.deepEqual(
    child.indexes.map((i) => i.qualifiedName),
    ['public.child_pkey', 'public.child_parent_idx', 'public.child_note_partial'],
  );
  assert.deepEqual(
    child.indexes.map((i) => i.oid),
    [...child.indexes.map((i) => i.oid)].sort((a, b) => a - b),
    'indexes in OID order',
  );
  assert.equal(child.indexes[2]?.predicate, '(note IS NOT NULL)');
  assert.equal(child.columns.find((c) => c.name === 'id')?.sequenceOid, oidOf('child_id_seq'));
  assert.equal(child.foreignKeys[0]?.toOid, oidOf('parent'));
  assert.equal(child.foreignKeys[0]?.onDelete, 'c');
  assert.deepEqual(child.triggers, ['child_trg']);
  assert.equal(child.toastOid !== undefined, true, 'child has a TOAST table (text column)');
  assert.equal(resolveRelation(catalog, undefined, 'parent')?.referencedBy[0]?.fromOid, oidOf('child'));
  assert.equal(resolveRelation(catalog, undefined, 'ident')?.columns[0]?.identity, 'always');
  assert.equal(resolveRelation(catalog, undefined, 'ident')?.columns[0]?.sequenceOid, oidOf('ident_id_seq'));
  const r = resolveRelation(catalog, undefined, 'r');
  assert.equal(r?.partitioning?.strategy, 'range');
  assert.deepEqual(r?.partitions, [oidOf('r_lo'), oidOf('r_hi'), oidOf('r_def')], 'partition-descriptor order: by bound, default last');
  assert.deepEqual(
    resolveRelation(catalog, undefined, 'ip')?.inheritanceChildren,
    [oidOf('ic2'), oidOf('ic1')].sort((a, b) => a - b),
  );
  assert.match(resolveRelation(catalog, undefined, 'v')?.viewDefinition ?? '', /JOIN child c/);
  assert.equal(resolveRelation(catalog, undefined, 'pg_database')?.shared, true);
  assert.equal(resolveRelation(catalog, undefined, 'pg_class')?.shared, false);

  // Names that need quotes travel quoted and come back exact; a dropped column leaves a hole index keys skip over.
  const odd = resolveRelation(catalog, 'My.Schema', 'we"ird.Name');
  assert.ok(odd, 'found by its unquoted schema and name');
  assert.equal(odd.qualifiedName, '"My.Schema"."we""ird.Name"');
  assert.deepEqual(
    odd.columns.map((c) => [c.name, c.typeName, c.notNull, c.toastable, c.defaultExpr]),
    [
      ['Col"x', 'integer', false, false, undefined],
      ['select', 'text', true, true, "'a'::text"],
      ['after_gone', 'integer', false, false, undefined],
    ],
  );
  assert.deepEqual(
    odd.indexes.map((i) => [i.qualifiedName, i.unique, i.columns]),
    [
      ['"My.Schema".odd_keys', false, ['after_gone', 'Col"x']],
      ['"My.Schema"."Odd Index"', true, ['(after_gone + 1)', 'select']],
    ],
    'in OID order (creation order here)',
  );
  assert.equal(resolveRelation(catalog, undefined, 'select')?.qualifiedName, 'public."select"');
}

test('PostgreSQL 15: one query returns the facts prediction needs, matching the server', async () => {
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  const real = await openServerSession(target);
  const { session, calls } = counting(real);
  try {
    const catalog = await loadCatalog(session);
    assert.equal(calls(), 1);
    checkFacts(catalog, (name) => Number(cluster.psql(`SELECT '${name}'::regclass::oid`).trim()));
  } finally {
    await real.close();
  }
});

test('PGlite (PostgreSQL 18): the same facts', async () => {
  const db = await openEmbeddedSession({ schemaSql: SCHEMA });
  try {
    const catalog = await loadCatalog(db);
    const oids = new Map<string, number>();
    for (const row of await db.query<{ relname: string; oid: number }>(`SELECT relname, oid::int AS oid FROM pg_class`))
      oids.set(row.relname, row.oid);
    checkFacts(catalog, (name) => oids.get(name) ?? -1);
    assert.equal(catalog.profile.fastPathSlots, 64);
  } finally {
    await db.close();
  }
});

test('the cache answers from memory until refreshed, and a failed load is not cached', async () => {
  const target = resolveConnectionTarget(cluster.url, {});
  assert.ok(target);
  const real = await openServerSession(target);
  const { session, calls } = counting(real);
  const cache = new CatalogCache();
  try {
    const first = await cache.get(session);
    assert.equal(await cache.get(session), first);
    assert.equal(calls(), 1);
    cluster.psql('CREATE TABLE added_later (id int)');
    assert.equal(resolveRelation(await cache.get(session), undefined, 'added_later'), undefined);
    const refreshed = await cache.get(session, { refresh: true });
    assert.ok(resolveRelation(refreshed, undefined, 'added_later'));
    assert.equal(calls(), 2);
    let failures = 1;
    const flaky: SqlSession = {
      ...session,
      display: 'flaky',
      query: (sql, params) => (failures-- > 0 ? Promise.reject(new Error('connection reset')) : real.query(sql, params)),
      close: () => Promise.resolve(),
    };
    await assert.rejects(cache.get(flaky));
    assert.ok(resolveRelation(await cache.get(flaky), undefined, 'child'), 'a failed load is retried, not replayed from the cache');
  } finally {
    await real.close();
  }
});
