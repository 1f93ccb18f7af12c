/** Go extractor, table-driven: a snippet → the sites it must (and must not) produce. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { goExtractor } from '../../../src/core/scan/lang/go/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan, QuerySite } from '../../../src/core/scan/types.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const GORM = `package p
import (
  "gorm.io/gorm"
  "gorm.io/gorm/clause"
)
type Order struct { ID uint; Items []OrderItem }
type OrderItem struct { ID uint }
func (Order) TableName() string { return "legacy_orders" }
`;
const SQLX = `package p
import (
  "fmt"
  "github.com/jmoiron/sqlx"
)
`;
const SQL = `package p
import (
  "context"
  "database/sql"
  "fmt"
)
`;
const PGX = `package p
import (
  "context"
  "github.com/jackc/pgx/v5"
  "github.com/jackc/pgx/v5/pgxpool"
)
`;

interface Expect {
  sql?: string;
  sqlIncludes?: string;
  origin?: QuerySite['origin'];
  confidence?: QuerySite['confidence'];
  lock?: string;
  transaction?: string;
  nested?: boolean;
  loops?: number;
  labelIncludes?: string;
}

interface Case {
  name: string;
  code: string;
  sites: Expect[];
  subtransactions?: number;
  subLoops?: number;
  calls?: string[];
}

const CASES: Case[] = [
  {
    name: 'gorm First with TableName and id',
    code: `${GORM}func f(db *gorm.DB, id uint) { var o Order; db.First(&o, id) }`,
    sites: [{ sql: 'SELECT * FROM legacy_orders WHERE id = $1 LIMIT 1', origin: 'gorm', confidence: 'likely' }],
  },
  {
    name: 'gorm Find of a slice by convention',
    code: `${GORM}func f(db *gorm.DB) { var items []OrderItem; db.Where("order_id = ?", 1).Find(&items) }`,
    sites: [{ sql: 'SELECT * FROM order_items WHERE order_id = $1', confidence: 'guess' }],
  },
  {
    name: 'gorm Table()',
    code: `${GORM}func f(db *gorm.DB) { var rows []map[string]any; db.Table("audit_log").Find(&rows) }`,
    sites: [{ sql: 'SELECT * FROM audit_log', confidence: 'likely' }],
  },
  {
    name: 'gorm Clauses locking NOWAIT',
    code: `${GORM}func f(db *gorm.DB) { var o Order; db.Clauses(clause.Locking{Strength: "UPDATE", Options: "NOWAIT"}).First(&o) }`,
    sites: [{ lock: 'FOR UPDATE NOWAIT' }],
  },
  {
    name: 'gorm Clauses share skip locked',
    code: `${GORM}func f(db *gorm.DB) { o := Order{}; db.Clauses(clause.Locking{Strength: "SHARE", Options: "SKIP LOCKED"}).Find(&o) }`,
    sites: [{ lock: 'FOR SHARE SKIP LOCKED' }],
  },
  {
    name: 'gorm Joins association',
    code: `${GORM}func f(db *gorm.DB) { var o Order; db.Joins("Items").First(&o) }`,
    sites: [{ sqlIncludes: 'LEFT JOIN order_items' }],
  },
  {
    name: 'gorm Preload is noted, not joined',
    code: `${GORM}func f(db *gorm.DB) { var os []Order; db.Preload("Items").Find(&os) }`,
    sites: [{ sql: 'SELECT * FROM legacy_orders', labelIncludes: 'Preload' }],
  },
  {
    name: 'gorm Create / Save / Delete / Count',
    code: `${GORM}func f(db *gorm.DB, o *Order) { var n int64\n db.Create(o)\n db.Save(o)\n db.Delete(&Order{}, 3)\n db.Model(&Order{}).Count(&n) }`,
    sites: [
      { sql: 'INSERT INTO legacy_orders DEFAULT VALUES' },
      { sqlIncludes: 'UPDATE legacy_orders SET' },
      { sql: 'DELETE FROM legacy_orders WHERE id = $1' },
      { sql: 'SELECT count(*) FROM legacy_orders' },
    ],
  },
  {
    name: 'gorm Update column',
    code: `${GORM}func f(db *gorm.DB) { db.Model(&Order{}).Where("id = ?", 1).Update("status", "paid") }`,
    sites: [{ sql: 'UPDATE legacy_orders SET status = $1 WHERE id = $2' }],
  },
  {
    name: 'gorm builder stored and executed later',
    code: `${GORM}func f(db *gorm.DB) { q := db.Model(&Order{}).Where("status = ?", "x")\n var os []Order\n q.Find(&os) }`,
    sites: [{ sql: 'SELECT * FROM legacy_orders WHERE status = $1' }],
  },
  {
    name: 'gorm Raw with named args',
    code: `${GORM}func f(db *gorm.DB) { var os []Order; db.Raw("SELECT * FROM legacy_orders WHERE id = @id", 1).Scan(&os) }`,
    sites: [{ sql: 'SELECT * FROM legacy_orders WHERE id = $1', confidence: 'exact', origin: 'gorm' }],
  },
  {
    name: 'gorm Transaction scope and nested savepoint in loop',
    code: `${GORM}func f(db *gorm.DB, xs []int) error {\n return db.Transaction(func(tx *gorm.DB) error {\n  for range xs {\n   tx.Transaction(func(tx2 *gorm.DB) error { return tx2.Create(&Order{}).Error })\n  }\n  return nil\n })\n}`,
    sites: [{ transaction: 'tx.Transaction(func…)', nested: true, loops: 1 }],
    subtransactions: 1,
    subLoops: 1,
  },
  {
    name: 'gorm SavePoint',
    code: `${GORM}func f(db *gorm.DB) { db.Transaction(func(tx *gorm.DB) error { tx.SavePoint("sp"); return nil }) }`,
    sites: [{ sql: 'SAVEPOINT sp' }],
    subtransactions: 1,
  },
  {
    name: 'gorm Begin scope',
    code: `${GORM}func f(db *gorm.DB) { tx := db.Begin()\n tx.Delete(&Order{}, 1)\n tx.Commit() }`,
    sites: [{ transaction: 'db.Begin() … Commit()', nested: false }],
  },
  {
    name: 'gorm FindInBatches callback is a loop',
    code: `${GORM}func f(db *gorm.DB) { var os []Order; db.FindInBatches(&os, 100, func(tx *gorm.DB, b int) error { return tx.Model(&Order{}).Update("x", 1).Error }) }`,
    sites: [{ loops: 0 }, { loops: 1 }],
  },
  {
    name: 'sqlx Select/Get/NamedExec',
    code: `${SQLX}func f(db *sqlx.DB) { var xs []int\n db.Select(&xs, "SELECT id FROM t WHERE a = ?", 1)\n db.Get(&xs, "SELECT id FROM t WHERE b = $1", 1)\n db.NamedExec("UPDATE t SET a = :a WHERE id = :id", nil) }`,
    sites: [
      { sql: 'SELECT id FROM t WHERE a = $1', origin: 'sqlx', confidence: 'exact' },
      { sql: 'SELECT id FROM t WHERE b = $1' },
      { sql: 'UPDATE t SET a = $1 WHERE id = $2' },
    ],
  },
  {
    name: 'sqlx MustBegin scope, raw SAVEPOINT in loop',
    code: `${SQLX}func f(db *sqlx.DB, xs []int) { tx := db.MustBegin()\n for _, x := range xs {\n  tx.MustExec("SAVEPOINT s")\n  tx.MustExec("DELETE FROM t WHERE id = $1", x)\n }\n tx.Commit() }`,
    sites: [{ sql: 'SAVEPOINT s', transaction: 'db.MustBegin() … Commit()', loops: 1 }, { loops: 1 }],
    subtransactions: 1,
    subLoops: 1,
  },
  {
    name: 'sqlx.In and Rebind',
    code: `${SQLX}func f(db *sqlx.DB, ids []int) { q, args, _ := sqlx.In("SELECT * FROM t WHERE id IN (?)", ids)\n q = db.Rebind(q)\n var xs []int\n db.Select(&xs, q, args...) }`,
    sites: [{ sql: 'SELECT * FROM t WHERE id IN ($1)' }],
  },
  {
    name: 'sqlx package function',
    code: `${SQLX}func f(db *sqlx.DB) { var x int; sqlx.Get(db, &x, "SELECT 1 FROM t WHERE id = $1", 1) }`,
    sites: [{ origin: 'sqlx' }],
  },
  {
    name: 'database/sql const, concat, Sprintf',
    code: `${SQL}const base = "SELECT * FROM accounts"\nfunc f(ctx context.Context, db *sql.DB, table string) {\n db.QueryContext(ctx, base + " WHERE id = $1 FOR UPDATE", 1)\n db.Exec(fmt.Sprintf("DELETE FROM %s WHERE id = %d", "sessions", 3))\n db.QueryRow(fmt.Sprintf("SELECT * FROM %s", table)) }`,
    sites: [
      { sql: 'SELECT * FROM accounts WHERE id = $1 FOR UPDATE', origin: 'database-sql', lock: 'FOR UPDATE' },
      { sql: 'DELETE FROM sessions WHERE id = $1' },
      { sql: 'SELECT * FROM "table"' },
    ],
  },
  {
    name: 'database/sql local var, BeginTx scope, prepared stmt in loop',
    code: `${SQL}func f(ctx context.Context, db *sql.DB, ids []int) {\n tx, _ := db.BeginTx(ctx, nil)\n q := "DELETE FROM t WHERE id = $1"\n stmt, _ := tx.Prepare(q)\n for _, id := range ids { stmt.Exec(id) }\n tx.Commit() }`,
    sites: [
      { sql: 'DELETE FROM t WHERE id = $1', loops: 0, transaction: 'db.BeginTx(ctx, nil) … Commit()' },
      { loops: 1, transaction: 'db.BeginTx(ctx, nil) … Commit()' },
    ],
  },
  {
    name: 'pgx BeginFunc, nested Begin, batch',
    code: `${PGX}func f(ctx context.Context, pool *pgxpool.Pool) error {\n return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {\n  tx.Exec(ctx, "UPDATE a SET x = 1 WHERE id = $1", 1)\n  n, _ := tx.Begin(ctx)\n  n.Exec(ctx, "DELETE FROM b")\n  b := &pgx.Batch{}\n  b.Queue("INSERT INTO c DEFAULT VALUES")\n  return nil\n })\n}`,
    sites: [{ transaction: 'pgx.BeginFunc(func…)', origin: 'database-sql' }, { nested: true }, { sql: 'INSERT INTO c DEFAULT VALUES' }],
    subtransactions: 1,
  },
  {
    name: 'calls to local functions carry the Begin scope',
    code: `${SQL}func helper(tx *sql.Tx) { tx.Exec("UPDATE t SET a = 1") }\nfunc f(db *sql.DB) { tx, _ := db.Begin()\n helper(tx)\n tx.Commit() }`,
    sites: [{}],
    calls: ['helper'],
  },
  // Negatives.
  {
    name: 'non-DB receivers and non-SQL strings are not sites',
    code: `${GORM}import "strings"\ntype cache struct{}\nfunc (c *cache) Find(x string) {}\nfunc f(db *gorm.DB, m *cache, xs map[string]int) { m.Find("a"); strings.Replace("SELECT", "a", "b", 1); db.Where("a = ?", 1); db.Exec("not sql"); _ = xs }`,
    sites: [],
    calls: ['Find'],
  },
  {
    name: 'a file without a database library: db-named receivers are not trusted',
    code: `package p\nfunc f(db *store) { db.Find(1); db.Get("k") }`,
    sites: [],
  },
  { name: 'fmt.Printf with SQL-looking text is not a query', code: `${SQL}func f() { fmt.Printf("SELECT %d rows", 3) }`, sites: [] },
];

function scan(code: string): FileScan {
  const result = scanFile('/t/snippet.go', code, [goExtractor]);
  assert.ok(result !== undefined);
  return result;
}

for (const c of CASES) {
  test(`go: ${c.name}`, () => {
    const s = scan(c.code);
    assert.equal(s.sites.length, c.sites.length, `sites: ${s.sites.map((x) => x.sql).join(' | ')}`);
    c.sites.forEach((e, i) => {
      const site = s.sites[i];
      assert.ok(site !== undefined);
      if (e.sql !== undefined) assert.equal(site.sql, e.sql);
      if (e.sqlIncludes !== undefined) assert.ok(site.sql.includes(e.sqlIncludes), site.sql);
      if (e.lock !== undefined) assert.ok(site.sql.includes(e.lock), site.sql);
      if (e.origin !== undefined) assert.equal(site.origin, e.origin);
      if (e.confidence !== undefined) assert.equal(site.confidence, e.confidence);
      if (e.transaction !== undefined) assert.equal(site.transaction?.kind, e.transaction);
      if (e.nested !== undefined) assert.equal(site.transaction?.nested, e.nested);
      if (e.loops !== undefined) assert.equal(site.loops.length, e.loops);
      if (e.labelIncludes !== undefined) assert.ok(site.label.includes(e.labelIncludes), site.label);
    });
    if (c.subtransactions !== undefined) assert.equal(s.subtransactions.length, c.subtransactions);
    if (c.subLoops !== undefined) assert.equal(s.subtransactions[0]?.loops.length, c.subLoops);
    if (c.calls !== undefined)
      assert.deepEqual(
        s.calls.map((x) => x.callee),
        c.calls,
      );
  });
}

test('go: a call to a helper inside a Begin transaction is in that transaction', () => {
  const s = scan(
    `${SQL}func helper(tx *sql.Tx) { tx.Exec("UPDATE t SET a = 1") }\nfunc f(db *sql.DB) { tx, _ := db.Begin()\n helper(tx)\n tx.Commit() }`,
  );
  assert.equal(s.calls[0]?.enclosingFunction, 'f');
  assert.equal(s.calls[0]?.transaction?.kind, 'db.Begin() … Commit()');
  assert.equal(s.sites[0]?.enclosingFunction, 'helper');
});
