/**
 * 5,000-line source files for the incremental-scan bench: the editor bench's Python file (556 nine-line SQLAlchemy
 * handlers on an Order model declared in another file) and files of the same shape in TypeScript, Ruby and Go.
 */
export interface LargeSource {
  language: string;
  file: string;
  text: () => string;
  /** A second file declaring the model the big file queries (found across files, as in the editor bench). */
  modelFile: string;
  modelText: string;
}

const repeat = (count: number, block: (i: number) => string[]): string[] => Array.from({ length: count }, (_, i) => block(i)).flat();

export const BENCH_SOURCES: Record<string, LargeSource> = {
  python: {
    language: 'python',
    file: 'app/big_service.py',
    modelFile: 'app/models.py',
    modelText: [
      'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
      '',
      'class Base(DeclarativeBase):',
      '    pass',
      '',
      'class Order(Base):',
      '    __tablename__ = "orders"',
      '    id: Mapped[int] = mapped_column(primary_key=True)',
      '    total: Mapped[float]',
      '',
    ].join('\n'),
    text: () =>
      [
        'from .models import Order',
        '',
        ...repeat(556, (i) => [
          `def handler_${i}(session, order_id, totals):`,
          '    with session.begin():',
          '        order = session.query(Order).filter_by(id=order_id).with_for_update().one()',
          '        for total in totals:',
          '            session.execute(text("UPDATE orders SET total = :t WHERE id = :id"), {"t": total, "id": order.id})',
          '        return order',
          '',
          '',
          '',
        ]),
      ].join('\n'),
  },
  typescript: {
    language: 'typescript',
    file: 'src/big-service.ts',
    modelFile: 'src/pool.ts',
    modelText: "import { Pool } from 'pg';\nexport const pool = new Pool();\n",
    text: () =>
      [
        "import { pool } from './pool';",
        '',
        ...repeat(500, (i) => [
          `export async function handler${i}(orderId: number, totals: number[]) {`,
          '  const client = await pool.connect();',
          "  await client.query('BEGIN');",
          "  await client.query('SELECT * FROM orders WHERE id = $1 FOR UPDATE', [orderId]);",
          '  for (const total of totals) {',
          "    await client.query('UPDATE orders SET total = $1 WHERE id = $2', [total, orderId]);",
          '  }',
          "  await client.query('COMMIT');",
          '}',
          '',
        ]),
      ].join('\n'),
  },
  ruby: {
    language: 'ruby',
    file: 'app/services/big_service.rb',
    modelFile: 'app/models/order.rb',
    modelText: 'class Order < ApplicationRecord\nend\n',
    text: () =>
      [
        'class BigService',
        ...repeat(555, (i) => [
          `  def handler_${i}(order_id, totals)`,
          '    Order.transaction do',
          '      order = Order.lock.find(order_id)',
          '      totals.each do |total|',
          '        Order.where(id: order.id).update_all(total: total)',
          '      end',
          '    end',
          '  end',
          '',
        ]),
        'end',
      ].join('\n'),
  },
  go: {
    language: 'go',
    file: 'service/big.go',
    modelFile: 'service/models.go',
    modelText: 'package service\n\ntype Order struct {\n\tID    int64\n\tTotal float64\n}\n',
    text: () =>
      [
        'package service',
        '',
        'import "database/sql"',
        '',
        ...repeat(500, (i) => [
          `func Handler${i}(db *sql.DB, orderID int64, totals []float64) error {`,
          '\ttx, _ := db.Begin()',
          '\ttx.Exec("SELECT * FROM orders WHERE id = $1 FOR UPDATE", orderID)',
          '\tfor _, total := range totals {',
          '\t\ttx.Exec("UPDATE orders SET total = $1 WHERE id = $2", total, orderID)',
          '\t}',
          '\treturn tx.Commit()',
          '}',
          '',
          '',
        ]),
      ].join('\n'),
  },
};
