/** Ruby extractor, table-driven: snippet → sites (SQL, origin, confidence, transaction, loops), subtransactions, calls. */
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { rubyExtractor } from '../../../src/core/scan/lang/ruby/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan, QuerySite } from '../../../src/core/scan/types.js';
import { loadSqlParser, parseSql } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

interface ExpectedSite {
  sql: string | RegExp;
  origin?: QuerySite['origin'];
  confidence?: QuerySite['confidence'];
  /** Transaction kind (regex on kind) and nesting; null = no transaction. */
  txn?: { kind: RegExp; nested: boolean } | null;
  loops?: number;
  fn?: string;
  line?: number;
}

interface Case {
  name: string;
  code: string;
  sites: ExpectedSite[];
  subtransactions?: Array<{ kind: RegExp; loops: number }>;
  calls?: string[];
}

const ORDER = 'class Order < ApplicationRecord\n  has_many :line_items\n  belongs_to :customer\nend\n';

const CASES: Case[] = [
  // Model → table
  {
    name: 'find by id, convention table',
    code: 'Order.find(params[:id])',
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1', origin: 'activerecord', confidence: 'guess', txn: null, loops: 0 }],
  },
  {
    name: 'CamelCase and irregular plurals',
    code: 'OrderItem.find_by(sku: s)\nPerson.find_by!(email: e)',
    sites: [{ sql: 'SELECT * FROM order_items WHERE sku = $1 LIMIT 1' }, { sql: 'SELECT * FROM people WHERE email = $1 LIMIT 1' }],
  },
  {
    name: 'self.table_name overrides, confidence likely',
    code: 'class Order < ActiveRecord::Base\n  self.table_name = "legacy_orders"\nend\nOrder.where(status: "x", placed_at: t).to_a',
    sites: [{ sql: 'SELECT * FROM legacy_orders WHERE status = $1 AND placed_at = $2', confidence: 'likely' }],
  },
  {
    name: 'namespaced model',
    code: 'module Billing\n  class Invoice < ApplicationRecord\n  end\nend\nBilling::Invoice.where(paid: false).count',
    sites: [{ sql: 'SELECT count(*) FROM invoices WHERE paid = $1' }],
  },
  {
    name: 'STI subclass uses the parent table',
    code: 'class Vehicle < ApplicationRecord\n  self.table_name = "fleet"\nend\nclass Truck < Vehicle\nend\nTruck.first',
    sites: [{ sql: 'SELECT * FROM fleet LIMIT 1', confidence: 'likely' }],
  },
  // Reads
  {
    name: 'where chain ending in pluck / exists? / sum / take',
    code: 'Order.where(status: "x").pluck(:id)\nOrder.exists?(42)\nOrder.where(paid: true).sum(:total)\nOrder.where(a: 1).take',
    sites: [
      { sql: 'SELECT * FROM orders WHERE status = $1' },
      { sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1' },
      { sql: 'SELECT * FROM orders WHERE paid = $1' },
      { sql: 'SELECT * FROM orders WHERE a = $1 LIMIT 1' },
    ],
  },
  {
    name: 'Order.all.each is a loop over one query',
    code: 'Order.all.each do |o|\n  puts o.id\nend',
    sites: [{ sql: 'SELECT * FROM orders', loops: 0, line: 0 }],
  },
  {
    name: 'string where condition → unknown filter',
    code: 'Order.where("total > ?", 10).first',
    sites: [{ sql: 'SELECT * FROM orders WHERE $1::boolean LIMIT 1' }],
  },
  {
    name: 'custom scope then executing call',
    code: 'Order.pending.find_each { |o| o }',
    sites: [{ sql: 'SELECT * FROM orders WHERE $1::boolean' }],
  },
  {
    name: 'relation in a variable: one site where it runs',
    code: 'def run\n  scope = Order.where(status: "new")\n  scope.each { |o| o }\nend',
    sites: [{ sql: 'SELECT * FROM orders WHERE status = $1', line: 2, fn: 'run' }],
  },
  {
    name: 'relation returned from a method: site at the terminal call',
    code: 'def recent\n  Order.where(customer_id: 1).order(:id)\nend',
    sites: [{ sql: 'SELECT * FROM orders WHERE customer_id = $1', fn: 'recent' }],
  },
  { name: 'dynamic finder', code: 'Customer.find_by_email(e)', sites: [{ sql: 'SELECT * FROM customers WHERE email = $1 LIMIT 1' }] },
  // Eager loading
  {
    name: 'eager_load joins',
    code: `${ORDER}Order.eager_load(:line_items).where(id: 1).to_a`,
    sites: [{ sql: /^SELECT \* FROM orders LEFT JOIN line_items ON true WHERE (orders\.)?id = \$1$/ }],
  },
  {
    name: 'includes + references joins',
    code: `${ORDER}Order.includes(:line_items).references(:line_items).to_a`,
    sites: [{ sql: 'SELECT * FROM orders LEFT JOIN line_items ON true' }],
  },
  {
    name: 'joins with a belongs_to association',
    code: `${ORDER}Order.joins(:customer).where(id: 1).first`,
    sites: [{ sql: /^SELECT \* FROM orders LEFT JOIN customers ON true WHERE (orders\.)?id = \$1 LIMIT 1$/ }],
  },
  {
    name: 'includes without references: base query, preload in label',
    code: `${ORDER}Order.includes(:line_items).where(id: 1).to_a`,
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1' }],
  },
  // Writes
  {
    name: 'create / create! / insert_all / upsert_all',
    code: 'Order.create(a: 1)\nOrder.create!(a: 1)\nOrder.insert_all(rows)\nOrder.upsert_all(rows)',
    sites: [
      { sql: 'INSERT INTO orders DEFAULT VALUES' },
      { sql: 'INSERT INTO orders DEFAULT VALUES' },
      { sql: 'INSERT INTO orders DEFAULT VALUES' },
      { sql: 'INSERT INTO orders DEFAULT VALUES' },
    ],
  },
  {
    name: 'update_all on a relation',
    code: 'Order.where(status: "old").update_all(status: "archived")',
    sites: [{ sql: 'UPDATE orders SET status = $1 WHERE status = $2' }],
  },
  {
    name: 'instance update! follows the local assignment',
    code: 'def ship(id)\n  order = Order.find(id)\n  order.update!(status: "shipped")\nend',
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1' }, { sql: 'UPDATE orders SET status = $1 WHERE id = $2', line: 2 }],
  },
  {
    name: 'save on new record inserts, on loaded record updates',
    code: 'o = Order.new(a: 1)\no.save!\np = Order.find(1)\np.save',
    sites: [
      { sql: 'INSERT INTO orders DEFAULT VALUES', line: 1 },
      { sql: /^SELECT/, line: 2 },
      { sql: 'UPDATE orders SET updated_at = $1 WHERE id = $2', line: 3 },
    ],
  },
  {
    name: 'update_columns / increment! / touch',
    code: 'o = Order.find(1)\no.update_columns(a: 1, b: 2)\no.increment!(:views)\no.touch',
    sites: [
      { sql: /^SELECT/ },
      { sql: 'UPDATE orders SET a = $1, b = $2 WHERE id = $3' },
      { sql: 'UPDATE orders SET views = $1 WHERE id = $2' },
      { sql: 'UPDATE orders SET updated_at = $1 WHERE id = $2' },
    ],
  },
  {
    name: 'destroy / delete_all / destroy_all',
    code: 'o = Order.find(1)\no.destroy\nOrder.where(a: 1).delete_all\nOrder.destroy_all',
    sites: [
      { sql: /^SELECT/ },
      { sql: 'DELETE FROM orders WHERE id = $1' },
      { sql: 'DELETE FROM orders WHERE a = $1' },
      { sql: 'DELETE FROM orders' },
    ],
  },
  {
    name: 'find(...).update! in one chain: two statements, one site',
    code: 'Order.find(1).update!(a: 2)',
    sites: [{ sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1; UPDATE orders SET a = $1 WHERE id = $2' }],
  },
  { name: 'unknown receiver instance call is skipped', code: 'def go(thing)\n  thing.update!(a: 1)\nend', sites: [] },
  // Row locks
  { name: '.lock → FOR UPDATE', code: 'Order.lock.find(1)', sites: [{ sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1 FOR UPDATE' }] },
  {
    name: 'lock strings → strength and wait policy',
    code: 'Order.where(a: 1).lock("FOR UPDATE NOWAIT").first\nOrder.where(a: 1).lock("FOR SHARE SKIP LOCKED").to_a\nOrder.lock("FOR NO KEY UPDATE").find(1)',
    sites: [
      { sql: 'SELECT * FROM orders WHERE a = $1 LIMIT 1 FOR UPDATE NOWAIT' },
      { sql: 'SELECT * FROM orders WHERE a = $1 FOR SHARE SKIP LOCKED' },
      { sql: 'SELECT * FROM orders WHERE id = $1 LIMIT 1 FOR NO KEY UPDATE' },
    ],
  },
  {
    name: 'record.lock!',
    code: 'o = Order.find(1)\no.lock!',
    sites: [{ sql: /^SELECT/ }, { sql: 'SELECT * FROM orders WHERE id = $1 FOR UPDATE' }],
  },
  {
    name: 'with_lock: transaction scope + FOR UPDATE by id',
    code: 'o = Order.find(1)\no.with_lock do\n  o.update!(a: 1)\nend',
    sites: [
      { sql: /^SELECT/, txn: null },
      { sql: 'SELECT * FROM orders WHERE id = $1 FOR UPDATE', txn: { kind: /with_lock/, nested: false } },
      { sql: /^UPDATE/, txn: { kind: /with_lock/, nested: false } },
    ],
  },
  // Transactions
  {
    name: 'ActiveRecord::Base.transaction scope',
    code: 'ActiveRecord::Base.transaction do\n  Order.create!(a: 1)\nend',
    sites: [{ sql: /^INSERT/, txn: { kind: /ActiveRecord::Base\.transaction/, nested: false } }],
  },
  {
    name: 'nested plain transaction joins the outer one (no savepoint)',
    code: 'Order.transaction do\n  Order.transaction do\n    Order.create!(a: 1)\n  end\nend',
    sites: [{ sql: /^INSERT/, txn: { kind: /^Order\.transaction$/, nested: false } }],
    subtransactions: [],
  },
  {
    name: 'requires_new: true is a savepoint',
    code: 'Order.transaction do\n  Order.transaction(requires_new: true) do\n    Order.create!(a: 1)\n  end\nend',
    sites: [{ sql: /^INSERT/, txn: { kind: /requires_new/, nested: true } }],
    subtransactions: [{ kind: /requires_new: true/, loops: 0 }],
  },
  {
    name: 'joinable: false outer makes the inner block a savepoint',
    code: 'Order.transaction(joinable: false) do\n  Order.transaction do\n    Order.create!(a: 1)\n  end\nend',
    sites: [{ sql: /^INSERT/, txn: { kind: /joinable/, nested: true } }],
    subtransactions: [{ kind: /joinable: false/, loops: 0 }],
  },
  {
    name: 'requires_new in a loop',
    code: 'items.each do |i|\n  ApplicationRecord.transaction(requires_new: true) do\n    Order.where(id: i).update_all(a: 1)\n  end\nend',
    sites: [{ sql: /^UPDATE/, loops: 1 }],
    subtransactions: [{ kind: /requires_new/, loops: 1 }],
  },
  {
    name: 'record.transaction scope',
    code: 'o = Order.find(1)\no.transaction do\n  o.destroy!\nend',
    sites: [{ sql: /^SELECT/ }, { sql: /^DELETE/, txn: { kind: /o\.transaction/, nested: false } }],
  },
  // Raw SQL
  {
    name: 'connection.execute with interpolation',
    code: 'ActiveRecord::Base.connection.execute("UPDATE orders SET a = 1 WHERE id = #{id}")',
    sites: [{ sql: 'UPDATE orders SET a = 1 WHERE id = $1', origin: 'sql-string', confidence: 'exact' }],
  },
  {
    name: 'heredoc through a variable to select_all',
    code: 'sql = <<~SQL\n  SELECT * FROM orders\n  WHERE id = #{id} FOR UPDATE\nSQL\nActiveRecord::Base.connection.select_all(sql)',
    sites: [{ sql: /^SELECT \* FROM orders\s+WHERE id = \$1 FOR UPDATE$/, line: 4 }],
  },
  {
    name: 'find_by_sql sanitize array ? placeholders',
    code: 'Order.find_by_sql(["SELECT * FROM orders WHERE a = ? AND b = ?", 1, 2])',
    sites: [{ sql: 'SELECT * FROM orders WHERE a = $1 AND b = $2', origin: 'sql-string' }],
  },
  {
    name: 'pg gem exec_params and select_value',
    code: 'conn = PG.connect(dbname: "x")\nconn.exec_params("DELETE FROM t WHERE id = $1", [1])\nconnection.select_value("SELECT count(*) FROM t")',
    sites: [{ sql: 'DELETE FROM t WHERE id = $1' }, { sql: 'SELECT count(*) FROM t' }],
  },
  {
    name: 'string concatenation',
    code: 'connection.exec_query("SELECT * FROM t " + "WHERE a = " + a.to_s)',
    sites: [{ sql: 'SELECT * FROM t WHERE a = $1' }],
  },
  {
    name: 'interpolated table name stays a name',
    code: 'connection.execute("DELETE FROM #{table} WHERE id = #{id}")',
    sites: [{ sql: 'DELETE FROM "table" WHERE id = $1' }],
  },
  {
    name: 'raw SAVEPOINT is a subtransaction',
    code: 'ActiveRecord::Base.connection.execute("SAVEPOINT before_import")',
    sites: [{ sql: 'SAVEPOINT before_import' }],
    subtransactions: [{ kind: /SAVEPOINT/, loops: 0 }],
  },
  {
    name: 'bare execute in a migration',
    code: 'class AddIndex < ActiveRecord::Migration[7.1]\n  def up\n    execute "CREATE INDEX CONCURRENTLY i ON orders (a)"\n  end\nend',
    sites: [{ sql: 'CREATE INDEX CONCURRENTLY i ON orders (a)', fn: 'up' }],
  },
  // Loops
  {
    name: 'loop kinds: each_with_index, times, for, while, until, loop do, find_in_batches',
    code: 'def f\n  list.each_with_index { |x, i| Order.find(x) }\n  3.times { Order.first }\n  for x in list do Order.find(x) end\n  while more? do Order.last end\n  until done? do Order.take end\n  loop do\n    Order.first!\n  end\n  Order.find_in_batches do |batch|\n    batch.each { |o| o.touch }\n  end\nend',
    sites: [
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 1 },
      { sql: /^SELECT/, loops: 0 },
      { sql: /^UPDATE orders/, loops: 2 },
    ],
  },
  {
    name: 'block parameter typed by the iterated relation: per-row lock',
    code: `${ORDER}def lock_all(order)\n  o = Order.find(order)\n  o.line_items.each do |item|\n    item.lock!\n  end\nend`,
    sites: [
      { sql: /^SELECT \* FROM orders/ },
      { sql: 'SELECT * FROM line_items WHERE order_id = $1', loops: 0 },
      { sql: 'SELECT * FROM line_items WHERE id = $1 FOR UPDATE', loops: 1 },
    ],
  },
  // Model methods with implicit self
  {
    name: 'instance method: implicit self lock!, association, update!',
    code: `${ORDER.replace('end\n', '')}  def cancel!\n    lock!\n    line_items.each { |i| i.destroy }\n    update!(status: "c")\n  end\nend`,
    sites: [
      { sql: 'SELECT * FROM orders WHERE id = $1 FOR UPDATE', fn: 'cancel!' },
      { sql: 'SELECT * FROM line_items WHERE order_id = $1' },
      { sql: 'DELETE FROM line_items WHERE id = $1', loops: 1 },
      { sql: 'UPDATE orders SET status = $1 WHERE id = $2' },
    ],
  },
  {
    name: 'class method: implicit self where; scope lambdas are not sites',
    code: 'class Order < ApplicationRecord\n  scope :paid, -> { where(paid: true) }\n  def self.purge\n    where(a: 1).delete_all\n  end\nend',
    sites: [{ sql: 'DELETE FROM orders WHERE a = $1', fn: 'purge' }],
  },
  // Calls
  {
    name: 'calls to same-file methods become CallSites',
    code: 'class S\n  def run\n    items.each { |i| helper(i) }\n    finish\n  end\n  def helper(i)\n    Order.lock.find(i)\n  end\n  def finish; end\nend',
    sites: [{ sql: /FOR UPDATE/, fn: 'helper' }],
    calls: ['helper', 'finish'],
  },
  // Negatives
  {
    name: 'lookalikes are not sites',
    code: 'def f(items, params)\n  items.select { |i| i.ok? }\n  items.find { |i| i }\n  params.fetch(:id)\n  {a: 1}.delete(:a)\n  File.delete("x")\n  Rails.cache.fetch("k") { 1 }\n  JSON.parse(s)\n  Tempfile.create("x")\n  OrderService.new.call\n  OrderMailer.with(order: 1).deliver_later\n  [1, 2].count\n  Hash.new.update(a: 1)\n  Order.new(a: 1)\n  Order.table_name\n  service.execute("not sql")\n  runner.execute("SELECT 1")\n  Order\nend',
    sites: [],
  },
  {
    name: 'a non-model class of the file is not a model',
    code: 'class Report\n  def self.find(x); end\nend\nReport.find(1)\nReport.where(a: 1).to_a',
    sites: [],
  },
  {
    name: 'attribute reads on a record are not association queries',
    code: `${ORDER}o = Order.find(1)\no.status.upcase\no.total_cents.round`,
    sites: [{ sql: /^SELECT/ }],
  },
];

function scan(code: string): FileScan {
  const result = scanFile('snippet.rb', code, [rubyExtractor]);
  assert.ok(result !== undefined);
  return result;
}

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

describe('ruby extractor', () => {
  for (const c of CASES) {
    test(c.name, () => {
      const result = scan(c.code);
      assert.deepEqual(result.problems, []);
      const summary = result.sites.map((s) => `${s.range.start.line + 1}: ${s.sql}`).join('\n');
      assert.equal(result.sites.length, c.sites.length, `sites:\n${summary}`);
      c.sites.forEach((expected, i) => {
        const site = result.sites[i];
        assert.ok(site !== undefined);
        if (typeof expected.sql === 'string') assert.equal(site.sql, expected.sql);
        else assert.match(site.sql, expected.sql);
        assert.ok(parseSql(site.sql).ok, `SQL parses: ${site.sql}`);
        assert.equal(site.origin, expected.origin ?? (site.synthesized ? 'activerecord' : 'sql-string'));
        if (expected.confidence !== undefined) assert.equal(site.confidence, expected.confidence);
        if (expected.txn === null) assert.equal(site.transaction, undefined);
        else if (expected.txn !== undefined) {
          assert.ok(site.transaction !== undefined, `site ${i} has a transaction`);
          assert.match(site.transaction.kind, expected.txn.kind);
          assert.equal(site.transaction.nested, expected.txn.nested);
        }
        if (expected.loops !== undefined) assert.equal(site.loops.length, expected.loops, `loops of site ${i}: ${site.sql}`);
        if (expected.fn !== undefined) assert.equal(site.enclosingFunction, expected.fn);
        if (expected.line !== undefined) assert.equal(site.range.start.line, expected.line);
      });
      if (c.subtransactions !== undefined) {
        assert.equal(result.subtransactions.length, c.subtransactions.length, result.subtransactions.map((s) => s.kind).join(', '));
        c.subtransactions.forEach((expected, i) => {
          assert.match(result.subtransactions[i]?.kind ?? '', expected.kind);
          assert.equal(result.subtransactions[i]?.loops.length, expected.loops);
        });
      }
      if (c.calls !== undefined)
        assert.deepEqual(
          result.calls.map((call) => call.callee),
          c.calls,
        );
    });
  }

  test('labels: compact chain text, preloads mentioned, block left out', () => {
    const result = scan(`${ORDER}Order.includes(:line_items).where(id: 1).each do |o|\n  o.id\nend`);
    assert.equal(result.sites[0]?.label, 'Order.includes(:line_items).where(id: 1).each (+ preload line_items)');
    assert.equal(result.sites[0]?.range.end.line, result.sites[0]?.range.start.line);
  });
});
