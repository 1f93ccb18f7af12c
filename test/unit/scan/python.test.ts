/** The Python extractor, table-driven: each snippet (with the models declared above it) → the sites it must yield. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { pythonExtractor } from '../../../src/core/scan/lang/python/index.js';
import { scanFile } from '../../../src/core/scan/registry.js';
import type { FileScan } from '../../../src/core/scan/types.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

const SQLALCHEMY_MODELS = `
class Order(Base):
    __tablename__ = "orders"
    items = relationship("Item")
    customer = relationship("Customer")
class Item(Base):
    __tablename__ = "items"
class Customer(Base):
    __tablename__ = "customers"
`;

const DJANGO_MODELS = `
class Account(models.Model):
    name = models.CharField(max_length=10)
class Invoice(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE)
    class Meta:
        db_table = "invoices"
`;

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

function scan(body: string, models = SQLALCHEMY_MODELS, file = 'app/billing/models.py'): FileScan {
  const result = scanFile(file, `${models}\n${body}\n`, [pythonExtractor]);
  assert.ok(result !== undefined);
  return result;
}

interface Case {
  name: string;
  code: string;
  models?: string;
  sql: string[];
  origin?: string;
  transaction?: string;
  loops?: number;
}

const CASES: Case[] = [
  // SQLAlchemy legacy Query
  {
    name: 'query().filter_by().one()',
    code: 'session.query(Order).filter_by(id=1).one()',
    sql: ['SELECT * FROM orders WHERE id = $1'],
    origin: 'sqlalchemy',
  },
  {
    name: 'with_for_update(nowait=True)',
    code: 'session.query(Order).filter(Order.id == 1).with_for_update(nowait=True).one()',
    sql: ['SELECT * FROM orders WHERE id = $1 FOR UPDATE NOWAIT'],
  },
  {
    name: 'with_for_update(skip_locked=True)',
    code: 'db.query(Order).with_for_update(skip_locked=True).first()',
    sql: ['SELECT * FROM orders FOR UPDATE SKIP LOCKED'],
  },
  {
    name: 'with_for_update(read=True) → FOR SHARE',
    code: 'session.query(Order).with_for_update(read=True).all()',
    sql: ['SELECT * FROM orders FOR SHARE'],
  },
  {
    name: 'with_for_update(key_share=True) → FOR NO KEY UPDATE',
    code: 'session.query(Order).with_for_update(key_share=True).all()',
    sql: ['SELECT * FROM orders FOR NO KEY UPDATE'],
  },
  {
    name: 'joinedload joins, selectinload does not',
    code: 'session.query(Order).options(joinedload(Order.customer), selectinload(Order.items)).all()',
    sql: ['SELECT * FROM orders LEFT JOIN customers ON true'],
  },
  {
    name: 'query.update({...})',
    code: 'session.query(Item).filter(Item.order_id == 3).update({"status": "x"})',
    sql: ['UPDATE items SET status = $1 WHERE order_id = $2'],
  },
  {
    name: 'query continued through a variable',
    code: 'q = session.query(Order)\nq = q.filter_by(status="new")\nq.count()',
    sql: ['SELECT count(*) FROM orders WHERE status = $1'],
  },
  { name: 'Flask-SQLAlchemy Model.query', code: 'Order.query.filter_by(id=1).first_or_404()', sql: ['SELECT * FROM orders WHERE id = $1'] },
  // SQLAlchemy 2.0
  {
    name: 'session.execute(select().with_for_update())',
    code: 'session.execute(select(Order).where(Order.id == 1).with_for_update(of=Order))',
    sql: ['SELECT * FROM orders WHERE id = $1 FOR UPDATE'],
  },
  {
    name: 'statement in a variable',
    code: 'stmt = select(Order).join(Order.items)\nsession.scalars(stmt).all()',
    sql: ['SELECT * FROM orders LEFT JOIN items ON true'],
  },
  {
    name: 'update().values()',
    code: 'session.execute(update(Item).where(Item.order_id == 1).values(status="x"))',
    sql: ['UPDATE items SET status = $1 WHERE order_id = $2'],
  },
  { name: 'delete()', code: 'await session.execute(delete(Item).where(Item.id == 1))', sql: ['DELETE FROM items WHERE id = $1'] },
  {
    name: 'session.get(with_for_update={nowait})',
    code: 'session.get(Order, 1, with_for_update={"nowait": True})',
    sql: ['SELECT * FROM orders WHERE id = $1 FOR UPDATE NOWAIT'],
  },
  { name: 'session.add(Model(...))', code: 'session.add(Item(order_id=1))', sql: ['INSERT INTO items DEFAULT VALUES'] },
  // Django
  {
    name: 'select_for_update().get()',
    models: DJANGO_MODELS,
    code: 'Account.objects.select_for_update().get(pk=1)',
    sql: ['SELECT * FROM billing_account WHERE id = $1 FOR UPDATE'],
    origin: 'django',
  },
  {
    name: 'select_for_update(skip_locked, no_key)',
    models: DJANGO_MODELS,
    code: 'Invoice.objects.select_for_update(skip_locked=True, no_key=True).filter(status="x").first()',
    sql: ['SELECT * FROM invoices WHERE status = $1 FOR NO KEY UPDATE SKIP LOCKED'],
  },
  {
    name: 'select_related joins, prefetch_related does not',
    models: DJANGO_MODELS,
    code: 'list(Invoice.objects.select_related("account").prefetch_related("lines"))',
    sql: ['SELECT * FROM invoices LEFT JOIN billing_account ON true'],
  },
  {
    name: 'filter by relation → its id column',
    models: DJANGO_MODELS,
    code: 'Invoice.objects.filter(account=a).update(status="paid")',
    sql: ['UPDATE invoices SET status = $1 WHERE account_id = $2'],
  },
  {
    name: 'create, delete, instance save',
    models: DJANGO_MODELS,
    code: 'inv = Invoice.objects.create(account=a)\ninv.save(update_fields=["status"])\nInvoice.objects.filter(pk=1).delete()',
    sql: ['INSERT INTO invoices DEFAULT VALUES', 'UPDATE invoices SET status = $1 WHERE id = $2', 'DELETE FROM invoices WHERE id = $1'],
  },
  {
    name: 'a queryset iterated in a for loop runs once',
    models: DJANGO_MODELS,
    code: 'for inv in Invoice.objects.filter(status="open"):\n    print(inv)',
    sql: ['SELECT * FROM invoices WHERE status = $1'],
    loops: 0,
  },
  // raw SQL
  {
    name: 'cursor.execute with %s',
    code: 'cursor.execute("SELECT * FROM orders WHERE id = %s", (1,))',
    sql: ['SELECT * FROM orders WHERE id = $1'],
    origin: 'sql-string',
  },
  {
    name: 'f-string interpolation → placeholder',
    code: 'conn.execute(f"UPDATE orders SET status = {s} WHERE id = {i}")',
    sql: ['UPDATE orders SET status = $1 WHERE id = $2'],
  },
  {
    name: 'implicit and + concatenation',
    code: 'cur.execute("SELECT * FROM orders " "WHERE id = %(id)s" + " FOR UPDATE", {"id": 1})',
    sql: ['SELECT * FROM orders WHERE id = $1 FOR UPDATE'],
  },
  {
    name: 'text() with :name',
    code: 'session.execute(text("DELETE FROM items WHERE id = :id"), {"id": 1})',
    sql: ['DELETE FROM items WHERE id = $1'],
    origin: 'sqlalchemy',
  },
  { name: 'module constant', code: 'Q = "SELECT 1 FROM orders"\ndef f(c):\n    c.execute(Q)', sql: ['SELECT 1 FROM orders'] },
  {
    name: 'asyncpg fetchrow with $1',
    code: 'await conn.fetchrow("SELECT * FROM orders WHERE id = $1", 5)',
    sql: ['SELECT * FROM orders WHERE id = $1'],
  },
  // not queries
  {
    name: 'dict.get, list filter, regex, requests',
    code: 'd.get("x")\nfilter(None, xs)\nre.compile("SELECT")\nrequests.get("https://x")\nlogger.execute("not sql")',
    sql: [],
  },
  { name: 'query on an unknown class is not guessed', code: 'session.query(Unknown).all()', sql: [] },
];

for (const c of CASES) {
  test(`python: ${c.name}`, () => {
    const result = scan(c.code, c.models);
    assert.deepEqual(
      result.sites.map((s) => s.sql),
      c.sql,
    );
    if (c.origin !== undefined) assert.equal(result.sites[0]?.origin, c.origin);
    if (c.loops !== undefined) assert.equal(result.sites[0]?.loops.length, c.loops);
  });
}

interface ScopeCase {
  name: string;
  code: string;
  models?: string;
  transactions: Array<string | undefined>;
  nested?: boolean[];
  subtransactions: number;
  loops?: number[];
}

const SCOPES: ScopeCase[] = [
  {
    name: 'with session.begin()',
    code: 'with session.begin():\n    session.query(Order).all()',
    transactions: ['with session.begin()'],
    subtransactions: 0,
  },
  {
    name: 'begin_nested inside begin → savepoint',
    code: 'with session.begin():\n    with session.begin_nested():\n        session.query(Order).all()',
    transactions: ['with session.begin_nested()'],
    nested: [true],
    subtransactions: 1,
  },
  {
    name: '@transaction.atomic',
    models: DJANGO_MODELS,
    code: '@transaction.atomic\ndef f():\n    Account.objects.get(pk=1)',
    transactions: ['@transaction.atomic'],
    subtransactions: 0,
  },
  {
    name: 'nested atomic → savepoint; atomic(savepoint=False) → none',
    models: DJANGO_MODELS,
    code: 'with transaction.atomic():\n    with transaction.atomic():\n        Account.objects.get(pk=1)\n    with transaction.atomic(savepoint=False):\n        Account.objects.get(pk=2)',
    transactions: ['transaction.atomic', 'transaction.atomic'],
    nested: [true, false],
    subtransactions: 1,
  },
  {
    name: 'psycopg conn.transaction() in a loop',
    code: 'for x in xs:\n    with conn.transaction():\n        conn.execute("SELECT 1")',
    transactions: ['with conn.transaction()'],
    subtransactions: 0,
    loops: [1],
  },
  { name: 'SAVEPOINT string → subtransaction, not a site', code: 'cur.execute("SAVEPOINT sp1")', transactions: [], subtransactions: 1 },
  {
    name: 'comprehension body repeats, its iterable does not',
    code: '[session.get(Item, i.id) for i in session.query(Item).all()]',
    transactions: [undefined, undefined],
    subtransactions: 0,
    loops: [1, 0],
  },
];

for (const c of SCOPES) {
  test(`python scopes: ${c.name}`, () => {
    const result = scan(c.code, c.models);
    assert.deepEqual(
      result.sites.map((s) => s.transaction?.kind),
      c.transactions,
    );
    if (c.nested !== undefined)
      assert.deepEqual(
        result.sites.map((s) => s.transaction?.nested),
        c.nested,
      );
    assert.equal(result.subtransactions.length, c.subtransactions);
    if (c.loops !== undefined)
      assert.deepEqual(
        result.sites.map((s) => s.loops.length),
        c.loops,
      );
  });
}

test('python: calls to the file’s own functions are recorded with their loops', () => {
  const result = scan(
    'def lock(s, i):\n    return s.get(Item, i, with_for_update=True)\n\ndef run(s, ids):\n    for i in ids:\n        lock(s, i)',
  );
  assert.deepEqual(
    result.calls.map((c) => [c.callee, c.enclosingFunction, c.loops.length]),
    [['lock', 'run', 1]],
  );
  assert.equal(result.sites[0]?.enclosingFunction, 'lock');
});

test('python: models declared in another file are found through the model index', async () => {
  const { scanFiles } = await import('../../../src/core/scan/registry.js');
  const scans = scanFiles(
    [
      { file: 'shop/models.py', text: SQLALCHEMY_MODELS },
      { file: 'shop/services.py', text: 'def f(session):\n    return session.query(Order).with_for_update().one()\n' },
    ],
    [pythonExtractor],
  );
  assert.deepEqual(
    scans[1]?.sites.map((s) => [s.sql, s.confidence]),
    [['SELECT * FROM orders FOR UPDATE', 'likely']],
  );
});

test('python: with ATOMIC_REQUESTS in the Django settings, every view is one transaction; without it none is', async () => {
  const { scanFiles } = await import('../../../src/core/scan/registry.js');
  const views = [
    'from .models import Account',
    '',
    'def pay(request, pk):',
    '    account = Account.objects.select_for_update().get(pk=pk)',
    '    Account.objects.filter(pk=pk).update(balance_cents=0)',
    '',
    'class AccountView(View):',
    '    def post(self, request, pk):',
    '        return Account.objects.get(pk=pk)',
    '',
    'def _helper(pk):',
    '    return Account.objects.get(pk=pk)',
    '',
  ].join('\n');
  const settings =
    "DATABASES = {\n    'default': {'ENGINE': 'django.db.backends.postgresql', 'NAME': 'shop', 'ATOMIC_REQUESTS': True},\n}\n";
  const withSetting = scanFiles(
    [
      { file: 'proj/settings.py', text: settings },
      { file: 'billing/models.py', text: DJANGO_MODELS },
      { file: 'billing/views.py', text: views },
    ],
    [pythonExtractor],
  );
  const viewScan = withSetting.find((s) => s.file === 'billing/views.py');
  assert.deepEqual(
    viewScan?.sites.map((s) => [s.range.start.line, s.transaction?.kind]),
    [
      [3, 'ATOMIC_REQUESTS view'],
      [4, 'ATOMIC_REQUESTS view'],
      [8, 'ATOMIC_REQUESTS view'],
      [11, undefined],
    ],
  );
  assert.equal(viewScan?.sites[0]?.transaction?.id, viewScan?.sites[1]?.transaction?.id, 'one transaction per request');
  const without = scanFiles(
    [
      { file: 'billing/models.py', text: DJANGO_MODELS },
      { file: 'billing/views.py', text: views },
    ],
    [pythonExtractor],
  );
  assert.deepEqual(
    without.find((s) => s.file === 'billing/views.py')?.sites.map((s) => s.transaction?.kind),
    [undefined, undefined, undefined, undefined],
  );
});
