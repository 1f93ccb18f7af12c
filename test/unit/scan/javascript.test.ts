/** JS/TS extractor, table-driven: a snippet → the sites it yields (SQL, origin, lock, transaction, loops) or none. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { javascriptExtractor } from '../../../src/core/scan/lang/javascript/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

interface Case {
  name: string;
  code: string;
  file?: string;
  /** Expected sites in order; [] = no sites. */
  sites: Array<{ sql: string | RegExp; origin: string; tx?: string; nested?: boolean; loops?: number; confidence?: string }>;
  subtransactions?: number;
}

const CASES: Case[] = [
  {
    name: 'pg pool.query with params',
    code: `import { Pool } from 'pg'; const pool = new Pool(); pool.query('SELECT * FROM t WHERE id = $1', [1]);`,
    sites: [{ sql: 'SELECT * FROM t WHERE id = $1', origin: 'node-postgres', confidence: 'exact' }],
  },
  {
    name: 'pg template literal interpolation → $n',
    code: 'async function f(id) { await client.query(`UPDATE t SET a = 1 WHERE id = ${id}`); }',
    sites: [{ sql: 'UPDATE t SET a = 1 WHERE id = $1', origin: 'node-postgres' }],
  },
  {
    name: 'pg config object',
    code: `db.query({ text: 'DELETE FROM t WHERE id = $1', values: [1] });`,
    sites: [{ sql: 'DELETE FROM t WHERE id = $1', origin: 'sql-string' }],
  },
  {
    name: 'pg BEGIN … COMMIT block',
    code: `async function f(c) { await c.query('BEGIN'); await c.query('SELECT 1 FROM t FOR UPDATE'); await c.query('COMMIT'); }`,
    sites: [{ sql: 'SELECT 1 FROM t FOR UPDATE', origin: 'sql-string', tx: 'BEGIN … COMMIT' }],
  },
  {
    name: 'SAVEPOINT string is a subtransaction',
    code: `async function f(c) { for (const x of xs) await pool.query('SAVEPOINT a'); }`,
    sites: [],
    subtransactions: 1,
  },
  { name: 'non-SQL strings are ignored', code: `cache.query('hello world'); items.filter((x) => x); map.get('k');`, sites: [] },
  {
    name: 'prisma findMany',
    code: `prisma.orderItem.findMany({ where: { orderId: 1 } });`,
    sites: [{ sql: 'SELECT * FROM "OrderItem" WHERE "orderId" = $1', origin: 'prisma', confidence: 'guess' }],
  },
  {
    name: 'prisma update in $transaction callback',
    code: `import { PrismaClient } from '@prisma/client';\nawait prisma.$transaction(async (tx) => { await tx.order.update({ where: { id }, data: { status: 'x' } }); });`,
    sites: [{ sql: 'UPDATE "Order" SET status = $1 WHERE id = $2', origin: 'prisma', tx: 'prisma.$transaction' }],
  },
  {
    name: 'prisma $queryRaw',
    code: 'await prisma.$queryRaw`SELECT * FROM "Order" WHERE id = ${id} FOR UPDATE`;',
    sites: [{ sql: 'SELECT * FROM "Order" WHERE id = $1 FOR UPDATE', origin: 'prisma', confidence: 'exact' }],
  },
  {
    name: 'prisma join strategy',
    code: `prisma.order.findMany({ relationLoadStrategy: 'join', include: { items: true } });`,
    sites: [{ sql: /LEFT JOIN "Item"/, origin: 'prisma' }],
  },
  {
    name: 'typeorm repository lock',
    code: `@Entity('orders') class Order {}\nconst repo = dataSource.getRepository(Order);\nrepo.findOne({ where: { id: 1 }, lock: { mode: 'pessimistic_write', onLocked: 'skip_locked' } });`,
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1 FOR UPDATE SKIP LOCKED', origin: 'typeorm', confidence: 'likely' }],
  },
  {
    name: 'typeorm default entity name',
    code: `import { Entity } from 'typeorm';\n@Entity() class OrderItem {}\nmanager.delete(OrderItem, { id: 1 });`,
    sites: [{ sql: 'DELETE FROM order_item WHERE id = $1', origin: 'typeorm', confidence: 'guess' }],
  },
  {
    name: 'typeorm query builder lock',
    code: `import { Repository } from 'typeorm';\nclass S { constructor(private orders: Repository<Order>) {}\n async f() { return this.orders.createQueryBuilder('o').setLock('pessimistic_read').where('o.id = :id').getOne(); } }`,
    sites: [{ sql: 'SELECT * FROM "order" WHERE id = $1 FOR SHARE', origin: 'typeorm' }],
  },
  {
    name: 'typeorm repo.create is no query',
    code: `import { Repository } from 'typeorm'; const orderRepository = ds.getRepository(Order); orderRepository.create({ a: 1 });`,
    sites: [],
  },
  {
    name: 'sequelize lock + skipLocked',
    code: `import { Model } from 'sequelize';\nclass Job extends Model {}\nJob.init({}, { sequelize, tableName: 'jobs' });\nJob.findAll({ where: { state: 'q' }, lock: true, skipLocked: true });`,
    sites: [{ sql: 'SELECT * FROM jobs WHERE state = $1 FOR UPDATE SKIP LOCKED', origin: 'sequelize', confidence: 'likely' }],
  },
  {
    name: 'sequelize nested transaction',
    code: `await sequelize.transaction(async (t) => { await sequelize.transaction({ transaction: t }, async () => { await Order.destroy({ where: { id: 1 } }); }); });\nimport { Order } from './models'; import 'sequelize';`,
    sites: [{ sql: 'DELETE FROM "Orders" WHERE id = $1', origin: 'sequelize', nested: true }],
    subtransactions: 1,
  },
  {
    name: 'knex forUpdate skipLocked in a loop',
    code: `for (const id of ids) { await knex('jobs').where({ id }).forUpdate().skipLocked().first(); }`,
    sites: [{ sql: 'SELECT * FROM jobs WHERE id = $1 LIMIT 1 FOR UPDATE SKIP LOCKED', origin: 'knex', loops: 1 }],
  },
  {
    name: 'knex builder in a variable runs when awaited',
    code: `async function f() { const q = knex('orders').where({ id: 1 }); return await q; }`,
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1', origin: 'knex' }],
  },
  {
    name: 'knex subquery and raw fragment are not sites',
    code: `async function f() { await knex('a').whereIn('id', knex('b').select('id')).select(knex.raw('count(*)')); }`,
    sites: [{ sql: /^SELECT \* FROM a/, origin: 'knex' }],
  },
  {
    name: 'knex nested trx.transaction',
    code: `import knex from 'knex';\nawait knex.transaction(async (trx) => { await trx.transaction(async (sp) => { await sp('t').insert({}); }); });`,
    sites: [{ sql: 'INSERT INTO t DEFAULT VALUES', origin: 'knex', nested: true }],
    subtransactions: 1,
  },
  {
    name: 'drizzle select for update',
    code: `import { pgTable } from 'drizzle-orm/pg-core';\nconst orders = pgTable('orders', { id: serial('id'), status: text('order_status') });\nawait db.select().from(orders).where(eq(orders.status, 'x')).for('no key update', { noWait: true });`,
    sites: [{ sql: 'SELECT * FROM orders WHERE order_status = $1 FOR NO KEY UPDATE NOWAIT', origin: 'drizzle', confidence: 'likely' }],
  },
  {
    name: 'drizzle relational query with',
    code: `import 'drizzle-orm';\nawait db.query.orders.findMany({ with: { items: true } });`,
    sites: [{ sql: /FROM orders LEFT JOIN items/, origin: 'drizzle' }],
  },
  {
    name: 'drizzle prepared statement is not run',
    code: `import 'drizzle-orm';\nconst p = db.select().from(orders).prepare('p');`,
    sites: [],
  },
  {
    name: 'kysely update in loop with callback',
    code: `ids.forEach(async (id) => { await db.updateTable('t').set({ a: 1 }).where('id', '=', id).execute(); });`,
    sites: [{ sql: 'UPDATE t SET a = $1 WHERE id = $2', origin: 'kysely', loops: 1 }],
  },
  { name: 'kysely builder without execute', code: `function f() { return db.selectFrom('t').selectAll(); }`, sites: [] },
  {
    name: 'kysely transaction and sql template',
    code: 'await db.transaction().execute(async (trx) => { await sql`DELETE FROM t WHERE id = ${id}`.execute(trx); });',
    sites: [{ sql: 'DELETE FROM t WHERE id = $1', origin: 'kysely', tx: 'transaction().execute' }],
  },
  {
    name: 'plain JavaScript file',
    file: 'app.js',
    code: `const { Pool } = require('pg'); pool.query('SELECT 1');`,
    sites: [{ sql: 'SELECT 1', origin: 'node-postgres' }],
  },
];

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

for (const c of CASES) {
  test(`javascript: ${c.name}`, () => {
    const scan = scanFile(c.file ?? 'snippet.ts', c.code, [javascriptExtractor]);
    assert.ok(scan !== undefined);
    const got = scan.sites.map((s) => ({
      sql: s.sql,
      origin: s.origin,
      tx: s.transaction?.kind,
      nested: s.transaction?.nested,
      loops: s.loops.length,
      confidence: s.confidence,
    }));
    assert.equal(got.length, c.sites.length, JSON.stringify(got));
    c.sites.forEach((want, i) => {
      const site = got[i];
      assert.ok(site !== undefined);
      if (typeof want.sql === 'string') assert.equal(site.sql, want.sql);
      else assert.match(site.sql, want.sql);
      assert.equal(site.origin, want.origin);
      if (want.tx !== undefined) assert.equal(site.tx, want.tx);
      if (want.nested !== undefined) assert.equal(site.nested, want.nested);
      assert.equal(site.loops, want.loops ?? 0);
      if (want.confidence !== undefined) assert.equal(site.confidence, want.confidence);
    });
    if (c.subtransactions !== undefined) assert.equal(scan.subtransactions.length, c.subtransactions);
  });
}

test('javascript: calls to local functions are recorded with the caller name', () => {
  const scan = scanFile(
    's.ts',
    `async function lock(id) { await pool.query('SELECT 1 FROM t FOR UPDATE'); }\nconst run = async (ids) => { for (const id of ids) await lock(id); };`,
    [javascriptExtractor],
  );
  assert.ok(scan !== undefined);
  assert.deepEqual(
    scan.calls.map((c) => [c.callee, c.enclosingFunction, c.loops.length]),
    [['lock', 'run', 1]],
  );
  assert.equal(scan.sites[0]?.enclosingFunction, 'lock');
});
