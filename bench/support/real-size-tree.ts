/**
 * A generated application tree of real size for bench/scan.bench.ts (#13): packages of Python (SQLAlchemy and
 * Django), Ruby (ActiveRecord), TypeScript (Prisma, Knex, node-postgres) and Go (database/sql, GORM) with models,
 * locking helpers, services that call helpers and services in other packages, and mostly non-query code, file sizes
 * drawn from a wide distribution (10 to 600 lines) as real projects have. Seeded: the same tree every run.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a small seeded generator, so two runs scan the same tree. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TABLES = ['orders', 'order_items', 'customers', 'products', 'payments'];
const MODELS = ['Order', 'OrderItem', 'Customer', 'Product', 'Payment'];

interface Writer {
  rand: () => number;
  pick<T>(items: readonly T[]): T;
  /** How many functions a file of this draw has: most small, a long tail of large ones. */
  functionCount(): number;
}

function writer(seed: number): Writer {
  const rand = seeded(seed);
  return {
    rand,
    pick: (items) => items[Math.floor(rand() * items.length)] as (typeof items)[number],
    functionCount: () => 1 + Math.floor(Math.pow(rand(), 3) * 24),
  };
}

/** Plain code between queries: validation, logging, building dicts — most of a real service file. */
function pythonFiller(w: Writer, indent: string): string[] {
  const n = 2 + Math.floor(w.rand() * 8);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      w.pick([
        `${indent}if not payload.get("field_${i}"):`,
        `${indent}logger.info("processing %s", payload.get("id"))`,
        `${indent}result["key_${i}"] = payload.get("key_${i}", ${i})`,
        `${indent}total += len(payload.get("items", [])) * ${i + 1}`,
      ]),
    );
    if (out[out.length - 1]?.endsWith(':')) out.push(`${indent}    raise ValueError("missing field_${i}")`);
  }
  return out;
}

function pythonService(w: Writer, pkg: number, file: number, packages: number): string {
  const other = Math.floor(w.rand() * packages);
  const lines = [
    'import logging',
    'from sqlalchemy import select, update',
    `from pkg${pkg}.models import ${MODELS.join(', ')}`,
    `from pkg${pkg}.locking import get_for_update`,
    `from pkg${other}.service_${Math.floor(w.rand() * 20)} import handle_0 as remote_handle`,
    '',
    'logger = logging.getLogger(__name__)',
    '',
  ];
  const functions = w.functionCount();
  for (let f = 0; f < functions; f++) {
    const model = w.pick(MODELS);
    lines.push(
      '',
      `def handle_${f}(session, payload, ids):`,
      `    """Handles step ${f} of the workflow in file ${file}."""`,
      '    result = {}',
      '    total = 0',
    );
    lines.push(...pythonFiller(w, '    '));
    switch (Math.floor(w.rand() * 6)) {
      case 0:
        lines.push(
          '    with session.begin():',
          `        for entity_id in ids:`,
          `            row = get_for_update(session, ${model}, entity_id)`,
          '            result[entity_id] = row',
        );
        break;
      case 1:
        lines.push(
          `    stmt = select(${model}).where(${model}.id == payload["id"])`,
          '    stmt = stmt.with_for_update(skip_locked=True)',
          '    result["row"] = session.execute(stmt).scalar_one()',
        );
        break;
      case 2:
        lines.push(`    session.execute(update(${model}).where(${model}.id.in_(ids)).values(status="done"))`);
        break;
      case 3:
        lines.push('    for entity_id in ids:', '        remote_handle(session, payload, [entity_id])');
        break;
      case 4:
        lines.push(`    rows = session.query(${model}).filter(${model}.id.in_(ids)).all()`, '    result["rows"] = rows');
        break;
      default:
        lines.push(...pythonFiller(w, '    '));
    }
    lines.push(...pythonFiller(w, '    '), '    return result, total');
  }
  return lines.join('\n') + '\n';
}

const pythonModels = (): string =>
  [
    'from sqlalchemy.orm import DeclarativeBase',
    '',
    'class Base(DeclarativeBase):',
    '    pass',
    ...MODELS.flatMap((m, i) => ['', `class ${m}(Base):`, `    __tablename__ = "${TABLES[i]}"`]),
  ].join('\n') + '\n';

const pythonLocking = (): string =>
  [
    'from sqlalchemy import select',
    '',
    'def get_for_update(db, model, entity_id, nowait=False):',
    '    stmt = select(model).where(model.id == entity_id)',
    '    stmt = stmt.with_for_update(nowait=nowait)',
    '    return db.execute(stmt).scalar_one()',
  ].join('\n') + '\n';

function rubyService(w: Writer, file: number): string {
  const lines = [`class Service${file}`, '  def initialize(account)', '    @account = account', '  end'];
  const functions = w.functionCount();
  for (let f = 0; f < functions; f++) {
    const model = w.pick(MODELS);
    lines.push('', `  def step_${f}(ids, params)`, '    totals = {}');
    for (let i = 0; i < 3 + Math.floor(w.rand() * 10); i++) lines.push(`    totals[:k${i}] = params.fetch(:k${i}, ${i}) * ids.size`);
    switch (Math.floor(w.rand() * 4)) {
      case 0:
        lines.push(`    ${model}.transaction do`, `      ids.each { |id| ${model}.lock.find(id).touch }`, '    end');
        break;
      case 1:
        lines.push(`    ${model}.where(id: ids).update_all(status: "done")`);
        break;
      case 2:
        lines.push(`    record = ${model}.find_by(id: ids.first)`, '    record.with_lock { record.touch }');
        break;
      default:
        lines.push('    Rails.logger.info("nothing to lock")');
    }
    lines.push('    totals', '  end');
  }
  lines.push('end');
  return lines.join('\n') + '\n';
}

const rubyModel = (i: number): string => `class ${MODELS[i]} < ApplicationRecord\n  self.table_name = "${TABLES[i]}"\nend\n`;

function typescriptService(w: Writer, file: number): string {
  const lines = ["import { Pool } from 'pg';", "import { lockOrder } from './locking';", '', 'const pool = new Pool();'];
  const functions = w.functionCount();
  for (let f = 0; f < functions; f++) {
    lines.push(
      '',
      `export async function step${file}_${f}(ids: number[], input: Record<string, number>): Promise<number> {`,
      '  let total = 0;',
    );
    for (let i = 0; i < 3 + Math.floor(w.rand() * 10); i++) lines.push(`  total += (input['k${i}'] ?? ${i}) * ids.length;`);
    switch (Math.floor(w.rand() * 4)) {
      case 0:
        lines.push(
          '  for (const id of ids) {',
          "    await pool.query('UPDATE orders SET status = $1 WHERE id = $2', ['done', id]);",
          '  }',
        );
        break;
      case 1:
        lines.push('  for (const id of ids) await lockOrder(pool, id);');
        break;
      case 2:
        lines.push("  await pool.query('SELECT * FROM payments WHERE order_id = ANY($1) FOR UPDATE', [ids]);");
        break;
      default:
        lines.push('  total = Math.max(total, 0);');
    }
    lines.push('  return total;', '}');
  }
  return lines.join('\n') + '\n';
}

const typescriptLocking = (): string =>
  "import type { Pool } from 'pg';\n\nexport async function lockOrder(pool: Pool, id: number): Promise<void> {\n  await pool.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [id]);\n}\n";

function goService(w: Writer, file: number): string {
  const lines = ['package handlers', '', 'import "database/sql"'];
  const functions = w.functionCount();
  for (let f = 0; f < functions; f++) {
    lines.push('', `func Step${file}x${f}(db *sql.DB, ids []int) (int, error) {`, '\ttotal := 0');
    for (let i = 0; i < 3 + Math.floor(w.rand() * 10); i++) lines.push(`\ttotal += len(ids) * ${i + 1}`);
    if (w.rand() < 0.5)
      lines.push(
        '\ttx, err := db.Begin()',
        '\tif err != nil {',
        '\t\treturn 0, err',
        '\t}',
        '\tfor _, id := range ids {',
        '\t\tif _, err := tx.Exec("SELECT * FROM orders WHERE id = $1 FOR UPDATE", id); err != nil {',
        '\t\t\treturn 0, err',
        '\t\t}',
        '\t}',
        '\tif err := tx.Commit(); err != nil {',
        '\t\treturn 0, err',
        '\t}',
      );
    lines.push('\treturn total, nil', '}');
  }
  return lines.join('\n') + '\n';
}

/** Writes the tree under `root`: `files` files in packages of 40; returns the file and line counts. */
export function generateRealSizeTree(root: string, files: number, seed = 13): { files: number; lines: number } {
  const w = writer(seed);
  const packages = Math.ceil(files / 40);
  let written = 0;
  let lines = 0;
  const write = (path: string, text: string): void => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    written++;
    lines += text.split('\n').length - 1;
  };
  for (let p = 0; p < packages && written < files; p++) {
    const language = p % 4;
    const dir = join(root, `pkg${p}`);
    if (language === 0) {
      write(join(dir, '__init__.py'), '');
      write(join(dir, 'models.py'), pythonModels());
      write(join(dir, 'locking.py'), pythonLocking());
      for (let f = 0; f < 37 && written < files; f++) write(join(dir, `service_${f}.py`), pythonService(w, p, f, packages));
    } else if (language === 1) {
      MODELS.forEach((m, i) => write(join(dir, 'app', 'models', `${m.toLowerCase()}.rb`), rubyModel(i)));
      for (let f = 0; f < 35 && written < files; f++)
        write(join(dir, 'app', 'services', `service_${p}_${f}.rb`), rubyService(w, p * 100 + f));
    } else if (language === 2) {
      write(join(dir, 'locking.ts'), typescriptLocking());
      for (let f = 0; f < 39 && written < files; f++) write(join(dir, `service${f}.ts`), typescriptService(w, p * 100 + f));
    } else {
      for (let f = 0; f < 40 && written < files; f++) write(join(dir, `handler${f}.go`), goService(w, p * 100 + f));
    }
  }
  return { files: written, lines };
}
