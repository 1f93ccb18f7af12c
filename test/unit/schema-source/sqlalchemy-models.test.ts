/** SQLAlchemy models → the DDL metadata.create_all() emits: columns, keys, indexes, table args, inheritance. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { translateSqlAlchemyModels } from '../../../src/core/schema-source/sqlalchemy-models.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(loadTestGrammars);

const ddl = (text: string): string[] =>
  translateSqlAlchemyModels([{ file: 'models.py', text }])
    .sources.flatMap((s) => s.text.split('\n'))
    .filter((l) => l !== '');

const rows: Array<{ name: string; py: string; sql: string[] }> = [
  {
    name: 'Column and Mapped columns: integer primary key as SERIAL, nullability, unique, index=True, server_default',
    py: `class A(Base):\n    __tablename__ = "a"\n    id = Column(Integer, primary_key=True)\n    name: Mapped[str] = mapped_column(String(20), unique=True)\n    note: Mapped[Optional[str]]\n    at = Column(DateTime(timezone=True), server_default=func.now(), index=True)`,
    sql: [
      `CREATE TABLE "a" ("id" SERIAL NOT NULL, "name" VARCHAR(20) NOT NULL UNIQUE, "note" VARCHAR, "at" TIMESTAMP WITH TIME ZONE DEFAULT now(), PRIMARY KEY ("id"));`,
      `CREATE INDEX "ix_a_at" ON "a" ("at");`,
    ],
  },
  {
    name: '__table_args__: Index with postgresql_using/where, UniqueConstraint, CheckConstraint, schema',
    py: `class B(Base):\n    __tablename__ = "b"\n    __table_args__ = (\n        Index("ix_b_x", "x", postgresql_using="gin"),\n        UniqueConstraint("x", "y", name="uq_b"),\n        CheckConstraint("y > 0", name="ck_y"),\n        {"schema": "app"},\n    )\n    id = Column(BigInteger, primary_key=True)\n    x = Column(JSONB)\n    y = Column(Integer)`,
    sql: [
      `CREATE TABLE "app"."b" ("id" BIGSERIAL NOT NULL, "x" JSONB, "y" INTEGER, PRIMARY KEY ("id"), CONSTRAINT "uq_b" UNIQUE ("x", "y"), CONSTRAINT "ck_y" CHECK (y > 0));`,
      `CREATE INDEX "ix_b_x" ON "app"."b" USING gin ("x");`,
    ],
  },
  {
    name: 'Table(), ForeignKey with ondelete, mixins lend columns, joined and single-table inheritance',
    py: `class Stamp:\n    created = Column(DateTime)\nt = Table("t", metadata, Column("p_id", ForeignKey("p.id", ondelete="CASCADE"), primary_key=True))\nclass P(Stamp, Base):\n    __tablename__ = "p"\n    id = Column(Integer, primary_key=True)\nclass Q(P):\n    __tablename__ = "q"\n    id = Column(Integer, ForeignKey("p.id"), primary_key=True)\nclass R(P):\n    extra = Column(Text)`,
    sql: [
      `CREATE TABLE "t" ("p_id" INTEGER NOT NULL, PRIMARY KEY ("p_id"));`,
      `CREATE TABLE "p" ("created" TIMESTAMP WITHOUT TIME ZONE, "id" SERIAL NOT NULL, "extra" TEXT, PRIMARY KEY ("id"));`,
      `CREATE TABLE "q" ("id" INTEGER NOT NULL, PRIMARY KEY ("id"));`,
      `ALTER TABLE "t" ADD FOREIGN KEY ("p_id") REFERENCES "p" ("id") ON DELETE CASCADE;`,
      `ALTER TABLE "q" ADD FOREIGN KEY ("id") REFERENCES "p" ("id");`,
    ],
  },
];

for (const row of rows) {
  test(row.name, () => {
    assert.deepEqual(ddl(row.py), row.sql);
  });
}

test('what is not understood is listed with its line', () => {
  const { untranslated } = translateSqlAlchemyModels([
    {
      file: 'models.py',
      text: `class A(Base):\n    __tablename__ = "a"\n    __table_args__ = (Whatever("x"),)\n    id = Column(MyType, primary_key=True)`,
    },
  ]);
  assert.deepEqual(
    untranslated.map((u) => `${u.line} ${u.reason}`),
    ['4 column name or type not understood', '3 Whatever in table arguments is not translated'],
  );
});
