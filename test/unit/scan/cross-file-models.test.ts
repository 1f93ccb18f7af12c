/** Models declared in one file name the tables of queries in another (the two-pass scan), for every language. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { scanFiles } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

interface Case {
  name: string;
  models: [string, string];
  query: [string, string];
  sql: string;
}

const CASES: Case[] = [
  {
    name: 'SQLAlchemy __tablename__',
    models: ['shop/models.py', 'class Order(Base):\n    __tablename__ = "shop_orders"\n'],
    query: ['shop/services.py', 'from .models import Order\ndef f(session):\n    return session.query(Order).with_for_update().one()\n'],
    sql: 'SELECT * FROM shop_orders FOR UPDATE',
  },
  {
    name: 'ActiveRecord self.table_name',
    models: ['app/models/order.rb', 'class Order < ApplicationRecord\n  self.table_name = "legacy_orders"\nend\n'],
    query: ['app/services/pay.rb', 'class Pay\n  def call(id)\n    Order.lock.find(id)\n  end\nend\n'],
    sql: 'SELECT * FROM legacy_orders WHERE id = $1 FOR UPDATE',
  },
  {
    name: 'TypeORM @Entity name',
    models: ['src/order.entity.ts', "import { Entity } from 'typeorm';\n@Entity('orders')\nexport class Order {}\n"],
    query: [
      'src/order.service.ts',
      "import { DataSource } from 'typeorm';\nimport { Order } from './order.entity';\nexport async function f(ds: DataSource) {\n  return ds.getRepository(Order).findOneBy({ id: 1 });\n}\n",
    ],
    sql: 'SELECT * FROM orders WHERE id = $1',
  },
  {
    name: 'Prisma @@map in schema.prisma, relations joined with relationLoadStrategy join',
    models: [
      'prisma/schema.prisma',
      'model Order {\n  id    Int        @id\n  status String\n  items LineItem[]\n  // @@map("not_this")\n  @@map("orders")\n}\n\nmodel LineItem {\n  id      Int   @id\n  orderId Int\n  order   Order @relation(fields: [orderId], references: [id])\n  @@map("line_items")\n}\n',
    ],
    query: [
      'src/orders.ts',
      "import { PrismaClient } from '@prisma/client';\nconst prisma = new PrismaClient();\nexport const open = () => prisma.order.findMany({ where: { status: 'open' }, include: { items: true }, relationLoadStrategy: 'join' });\n",
    ],
    sql: 'SELECT * FROM orders LEFT JOIN line_items ON true WHERE orders.status = $1',
  },
  {
    name: 'GORM TableName()',
    models: [
      'models/order.go',
      'package models\n\ntype Order struct{ ID int }\n\nfunc (Order) TableName() string { return "legacy_orders" }\n',
    ],
    query: [
      'models/service.go',
      'package models\n\nimport "gorm.io/gorm"\n\nfunc Load(db *gorm.DB, id int) (Order, error) {\n\tvar order Order\n\terr := db.First(&order, id).Error\n\treturn order, err\n}\n',
    ],
    sql: 'SELECT * FROM legacy_orders WHERE id = $1',
  },
];

for (const c of CASES) {
  test(`cross-file models: ${c.name}`, () => {
    const scans = scanFiles([
      { file: c.models[0], text: c.models[1] },
      { file: c.query[0], text: c.query[1] },
    ]);
    const sites = scans.find((scan) => scan.file === c.query[0])?.sites ?? [];
    assert.equal(sites.length, 1, JSON.stringify(sites.map((s) => s.sql)));
    assert.equal(sites[0]?.sql.replace(/ LIMIT 1\b/, ''), c.sql);
    assert.equal(sites[0]?.confidence, 'likely', 'the table is written in the code, in the other file');
  });
}

test('cross-file helpers in TypeScript: a locking helper imported from another module locks at the call, in its loop', async () => {
  const { analyze } = await import('../../../src/core/analyze/analyze.js');
  const scans = scanFiles([
    {
      file: 'src/db.ts',
      text: "import knex from 'knex';\nexport const db = knex({ client: 'pg' });\nexport async function lockRow(id: number) {\n  return db('products').where({ id }).forUpdate().first();\n}\n",
    },
    {
      file: 'src/reserve.ts',
      text: "import { db, lockRow as lock } from './db';\nexport async function reserve(ids: number[]) {\n  for (const id of ids) {\n    await lock(id);\n  }\n}\n",
    },
  ]);
  const seen = analyze(scans, undefined).sites.filter((a) => a.via !== undefined);
  assert.deepEqual(
    seen.map((a) => [a.site.file, a.site.range.start.line, a.site.loops.length, a.site.sql]),
    [['src/reserve.ts', 3, 1, 'SELECT * FROM products WHERE id = $1 LIMIT 1 FOR UPDATE']],
  );
});

test('cross-file helpers in Go: a function of the same package (another file of the directory) locks at the call', async () => {
  const { analyze } = await import('../../../src/core/analyze/analyze.js');
  const lockHelper = (table: string): string =>
    `package shop\n\nimport "database/sql"\n\nfunc lockRow(tx *sql.Tx, id int) error {\n\t_, err := tx.Exec("SELECT 1 FROM ${table} WHERE id = $1 FOR UPDATE", id)\n\treturn err\n}\n`;
  const scans = scanFiles([
    { file: 'shop/locks.go', text: lockHelper('products') },
    { file: 'other/locks.go', text: lockHelper('invoices') }, // another package: not linked
    {
      file: 'shop/reserve.go',
      text: 'package shop\n\nimport "database/sql"\n\nfunc Reserve(db *sql.DB, ids []int) error {\n\ttx, err := db.Begin()\n\tif err != nil {\n\t\treturn err\n\t}\n\tfor _, id := range ids {\n\t\tif err := lockRow(tx, id); err != nil {\n\t\t\treturn err\n\t\t}\n\t}\n\treturn tx.Commit()\n}\n',
    },
  ]);
  const seen = analyze(scans, undefined).sites.filter((a) => a.via !== undefined && a.site.file === 'shop/reserve.go');
  assert.deepEqual(
    seen.map((a) => [a.site.range.start.line, a.site.loops.length, a.site.sql]),
    [[10, 1, 'SELECT 1 FROM products WHERE id = $1 FOR UPDATE']],
  );
});

/** Two apps of one tree (billing/, shop/) each declare `Order` on their own table; each app's query uses its own. */
interface TwoAppsCase {
  name: string;
  model: [string, (table: string) => string];
  query: [string, string];
  sql: (table: string) => string;
}

const TWO_APPS: TwoAppsCase[] = [
  {
    name: 'SQLAlchemy',
    model: ['models.py', (t) => `class Order(Base):\n    __tablename__ = "${t}"\n`],
    query: ['services.py', 'from .models import Order\ndef f(session):\n    return session.query(Order).with_for_update().one()\n'],
    sql: (t) => `SELECT * FROM ${t} FOR UPDATE`,
  },
  {
    name: 'ActiveRecord',
    model: ['app/models/order.rb', (t) => `class Order < ApplicationRecord\n  self.table_name = "${t}"\nend\n`],
    query: ['app/services/pay.rb', 'class Pay\n  def call(id)\n    Order.lock.find(id)\n  end\nend\n'],
    sql: (t) => `SELECT * FROM ${t} WHERE id = $1 FOR UPDATE`,
  },
  {
    name: 'TypeORM',
    model: ['src/order.entity.ts', (t) => `import { Entity } from 'typeorm';\n@Entity('${t}')\nexport class Order {}\n`],
    query: [
      'src/order.service.ts',
      "import { DataSource } from 'typeorm';\nimport { Order } from './order.entity';\nexport async function f(ds: DataSource) {\n  return ds.getRepository(Order).findOneBy({ id: 1 });\n}\n",
    ],
    sql: (t) => `SELECT * FROM ${t} WHERE id = $1`,
  },
  {
    name: 'Sequelize',
    model: [
      'src/models/order.ts',
      (t) => `import { Model } from 'sequelize';\nexport class Order extends Model {}\nOrder.init({}, { sequelize, tableName: '${t}' });\n`,
    ],
    query: [
      'src/services/pay.ts',
      "import { Order } from '../models/order';\nexport async function f(id: string, transaction) {\n  return Order.findByPk(id, { transaction, lock: transaction.LOCK.UPDATE });\n}\n",
    ],
    sql: (t) => `SELECT * FROM ${t} WHERE id = $1 FOR UPDATE`,
  },
  {
    name: 'GORM',
    model: [
      'models/order.go',
      (t) => `package models\n\ntype Order struct{ ID int }\n\nfunc (Order) TableName() string { return "${t}" }\n`,
    ],
    query: [
      'models/service.go',
      'package models\n\nimport "gorm.io/gorm"\n\nfunc Load(db *gorm.DB, id int) (Order, error) {\n\tvar order Order\n\terr := db.First(&order, id).Error\n\treturn order, err\n}\n',
    ],
    sql: (t) => `SELECT * FROM ${t} WHERE id = $1`,
  },
];

for (const c of TWO_APPS) {
  test(`cross-file models, ${c.name}: two apps of one tree declaring the same model name keep their own tables`, () => {
    const scans = scanFiles(
      ['billing', 'shop'].flatMap((app) => [
        { file: `${app}/${c.model[0]}`, text: c.model[1](`${app}_orders`) },
        { file: `${app}/${c.query[0]}`, text: c.query[1] },
      ]),
    );
    const sqlOf = (file: string): string[] =>
      (scans.find((scan) => scan.file === file)?.sites ?? []).map((s) => s.sql.replace(/ LIMIT 1\b/, ''));
    assert.deepEqual([sqlOf(`billing/${c.query[0]}`), sqlOf(`shop/${c.query[0]}`)], [[c.sql('billing_orders')], [c.sql('shop_orders')]]);
  });
}
