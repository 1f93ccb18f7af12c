/**
 * "Nothing vanishes silently" (#13): a call that looks like a query in each language but yields no site is listed
 * with its reason — unknown model, receiver Lockscope cannot type, SQL built at run time, a lock helper no file
 * defines, an ORM call on a known model it does not read — and one that is a site, a transaction statement, a
 * statement handed on to where it runs, or no query at all (Object.create, mutex.Lock) is not listed.
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { namesLockHelper, unresolvedCalls } from '../../../src/core/lint/unresolved.js';
import { scanFiles } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const DJANGO_MODELS = 'from django.db import models\n\nclass Order(models.Model):\n    class Meta:\n        db_table = "orders"\n';
const RAILS_MODELS = 'class Order < ApplicationRecord\nend\n';
const SEQUELIZE_MODELS =
  "import { Model } from 'sequelize';\nexport class Order extends Model {}\nOrder.init({}, { sequelize, tableName: 'orders' });\n";

interface Case {
  name: string;
  /** File name → text; the last file is the one whose calls are listed. */
  files: Record<string, string>;
  /** `reason call-prefix` per listed call, in order. */
  expected: string[];
}

const CASES: Case[] = [
  {
    name: 'Python: a Django manager on a model no file declares',
    files: { 'app/models.py': DJANGO_MODELS, 'app/views.py': 'def f(pk):\n    return Ghost.objects.select_for_update().get(pk=pk)\n' },
    expected: ['unknown-model Ghost.objects.select_for_update().get(pk=pk)'],
  },
  {
    name: 'Python: the same call on a declared model is a site',
    files: { 'app/models.py': DJANGO_MODELS, 'app/views.py': 'def f(pk):\n    return Order.objects.select_for_update().get(pk=pk)\n' },
    expected: [],
  },
  {
    name: 'Python: SQL from a function call is dynamic',
    files: { 'app/jobs.py': 'def f(cursor, t):\n    sql = build_sql(t)\n    cursor.execute(sql)\n' },
    expected: ['dynamic-sql cursor.execute(sql)'],
  },
  {
    name: 'Python: a helper running its parameter is judged at its callers',
    files: { 'app/db.py': 'def run(cursor, sql):\n    cursor.execute(sql)\n' },
    expected: [],
  },
  {
    name: 'Python: transaction control and non-database execute are not queries',
    files: { 'app/jobs.py': 'def f(cursor, executor, task):\n    cursor.execute("BEGIN")\n    executor.execute(task)\n' },
    expected: [],
  },
  {
    name: 'Python: a lock helper imported from a module not scanned',
    files: {
      'app/svc.py': 'from vendor.locks import get_for_update\n\ndef f(db, ids):\n    for i in ids:\n        get_for_update(db, i)\n',
    },
    expected: ['unknown-helper get_for_update()'],
  },
  {
    name: 'Python: a statement built here and run elsewhere is not listed where it is built',
    files: { 'app/q.py': 'def f(stmt):\n    stmt = stmt.with_for_update()\n    return stmt\n' },
    expected: [],
  },
  {
    name: 'Python: with_for_update run on a receiver of unknown type',
    files: { 'app/q.py': 'def f(repo):\n    repo.base().with_for_update()\n' },
    expected: ['unresolved-receiver repo.base().with_for_update()'],
  },
  {
    name: 'Ruby: a model no file declares is a site on the Rails naming convention, not unresolved',
    files: {
      'app/models/order.rb': RAILS_MODELS,
      'app/services/s.rb': 'class S\n  def call\n    Ghost.where(id: 1).lock.first\n  end\nend\n',
    },
    expected: [],
  },
  {
    name: 'Ruby: with_lock on a record of unknown type',
    files: {
      'app/models/order.rb': RAILS_MODELS,
      'app/services/s.rb': 'class S\n  def call(thing)\n    thing.with_lock do\n      thing.touch\n    end\n  end\nend\n',
    },
    expected: ['unresolved-receiver thing.with_lock'],
  },
  {
    name: 'Ruby: SQL built at run time',
    files: {
      'app/services/s.rb':
        'class S\n  def call(ids)\n    sql = build_sql(ids)\n    ActiveRecord::Base.connection.execute(sql)\n  end\nend\n',
    },
    expected: ['dynamic-sql ActiveRecord::Base.connection.execute(sql)'],
  },
  {
    name: 'Ruby: File and Time are not models',
    files: { 'app/services/s.rb': 'class S\n  def call\n    File.find(1)\n    Time.where(1)\n  end\nend\n' },
    expected: [],
  },
  {
    name: 'TypeScript: a Sequelize-style call on a model no file declares, in a project without Sequelize models',
    files: { 'src/s.ts': 'export async function f() {\n  return Ghost.findAll({ lock: true });\n}\n' },
    expected: ['unknown-model Ghost.findAll({ lock: true })'],
  },
  {
    name: 'TypeScript: the same call beside Sequelize models is a site on the naming convention',
    files: { 'src/models.ts': SEQUELIZE_MODELS, 'src/s.ts': 'export async function f() {\n  return Ghost.findAll({ lock: true });\n}\n' },
    expected: [],
  },
  {
    name: 'TypeScript: a driver query whose text is built at run time',
    files: {
      'src/s.ts':
        "import { Pool } from 'pg';\nexport async function f(pool: Pool, t: string) {\n  const text = build(t);\n  await pool.query(text);\n  await pool.query('SELECT 1');\n}\n",
    },
    expected: ['dynamic-sql pool.query(text)'],
  },
  {
    name: 'TypeScript: builtins and array methods are not queries',
    files: {
      'src/s.ts':
        'export function f(xs: number[]) {\n  const o = Object.create(null);\n  return xs.filter((x) => x > 1).find((x) => x > 2) ?? o;\n}\n',
    },
    expected: [],
  },
  {
    name: 'TypeScript: Prisma raw SQL from a variable',
    files: {
      'src/s.ts':
        'export async function f(prisma: PrismaClient, q: string) {\n  const sql = q + " FOR UPDATE";\n  await prisma.$queryRawUnsafe(sql);\n}\n',
    },
    expected: ['dynamic-sql prisma.$queryRawUnsafe(sql)'],
  },
  {
    name: 'Go: SQL built at run time, next to a literal that is a site',
    files: {
      'svc/s.go':
        'package svc\n\nimport "database/sql"\n\nfunc F(db *sql.DB, t string) {\n\tq := build(t)\n\tdb.Exec(q)\n\tdb.Exec("UPDATE orders SET a = 1")\n}\n',
    },
    expected: ['dynamic-sql db.Exec(q)'],
  },
  {
    name: 'Python: a statement of a model no file declares, run inline',
    files: { 'app/models.py': DJANGO_MODELS, 'app/q.py': 'def f(db):\n    db.execute(select(Ghost).where(Ghost.id == 1))\n' },
    expected: ['unknown-model db.execute(select(Ghost).where(Ghost.id == 1))'],
  },
  {
    name: 'Ruby: Tempfile.create is not a query',
    files: { 'app/services/s.rb': 'class S\n  def call\n    Tempfile.create(["x", ".csv"])\n  end\nend\n' },
    expected: [],
  },
  {
    name: 'TypeScript: factories on capitalised names are not models',
    files: {
      'src/s.ts':
        'export async function f(context: unknown) {\n  return NestFactory.create(AppModule) ?? GqlExecutionContext.create(context);\n}\n',
    },
    expected: [],
  },
  {
    name: 'Go: Conn.Raw with a callback runs no SQL',
    files: { 'svc/s.go': 'package svc\n\nfunc F(conn *sql.Conn) {\n\tconn.Raw(func(driverConn any) error { return nil })\n}\n' },
    expected: [],
  },
  {
    name: 'Go: a mutex is not a lock query',
    files: { 'svc/s.go': 'package svc\n\nimport "sync"\n\nfunc F(mu *sync.Mutex) {\n\tmu.Lock()\n\tdefer mu.Unlock()\n}\n' },
    expected: [],
  },
  {
    name: 'TypeScript: a lock helper of an injected service whose body is one raw statement is defined, not unknown',
    files: {
      'src/prisma.service.ts':
        'import { Prisma, PrismaClient } from \'@prisma/client\';\nexport class PrismaService extends PrismaClient {\n  async lockTeamRows(tx: Prisma.TransactionClient, teamId: string) {\n    return tx.$executeRaw(Prisma.sql`SELECT id FROM "Team" WHERE id = ${teamId} FOR UPDATE`);\n  }\n}\n',
      'src/team.service.ts':
        "import { PrismaService } from './prisma.service';\nexport class TeamService {\n  constructor(private readonly prisma: PrismaService) {}\n  async move(teamId: string) {\n    return this.prisma.$transaction(async (tx) => this.prisma.lockTeamRows(tx, teamId));\n  }\n}\n",
    },
    expected: [],
  },
];

for (const c of CASES) {
  test(c.name, () => {
    const files = Object.entries(c.files).map(([file, text]) => ({ file, text }));
    const last = files[files.length - 1]?.file;
    const report = unresolvedCalls(scanFiles(files));
    const listed = report.calls.filter((u) => u.file === last).map((u) => `${u.reason} ${u.call}`);
    assert.deepEqual(listed, c.expected);
    const total = Object.values(report.counts).reduce((a, b) => a + b, 0);
    assert.equal(total, report.calls.length, 'counts add up to the list');
  });
}

const HELPER_NAMES: Array<[name: string, language: 'python' | 'go' | 'typescript', helper: boolean]> = [
  ['get_for_update', 'python', true],
  ['lock_row', 'python', true],
  ['with_advisory_lock', 'python', true],
  ['lockRow', 'typescript', true],
  ['LockAccount', 'go', true],
  ['FileLock', 'python', false],
  ['RLock', 'go', false],
  ['Unlock', 'go', false],
  ['sequenced_lock_key', 'python', false],
  ['get_token_blocklist_service', 'python', false],
  ['newCodeBlock', 'go', false],
  ['blocked_by_pending_taxes', 'python', false],
  ['storeLocked', 'go', false],
  ['lock_key_for', 'python', false],
  ['lockTimeout', 'typescript', false],
  ['lock_rows_for_team', 'python', true],
];

for (const [name, language, helper] of HELPER_NAMES) {
  test(`${name} (${language}) ${helper ? 'names' : 'does not name'} a lock helper`, () =>
    assert.equal(namesLockHelper(name, language), helper));
}
