/** db/schema.rb → DDL, construct by construct; what cannot be translated is listed with its line, never dropped. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { translateSchemaRb } from '../../../src/core/schema-source/rails-schema-rb.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(loadTestGrammars);

const define = (body: string): string => `ActiveRecord::Schema[7.1].define(version: 1) do\n${body}\nend\n`;
const views: Record<string, string> = { 'db/views/recent_v03.sql': 'SELECT 1 AS x;\n' };
const ddl = (body: string): string[] =>
  translateSchemaRb('db/schema.rb', define(body), (p) => views[p])
    .sources.flatMap((s) => s.text.split('\n'))
    .filter((l) => l !== '');

const rows: Array<{ name: string; rb: string; sql: string[] }> = [
  {
    name: 'default bigserial id, types, null/default/limit/precision/array',
    rb: `create_table "a", force: :cascade do |t|\n t.string "s", limit: 20, default: "x", null: false\n t.integer "big", limit: 8\n t.decimal "d", precision: 10, scale: 2\n t.text "tags", default: [], array: true\n t.datetime "at", precision: nil\n t.float "f"\nend`,
    sql: [
      `CREATE TABLE "a" ("id" bigserial NOT NULL, "s" character varying(20) DEFAULT 'x' NOT NULL, "big" bigint, "d" numeric(10, 2), "tags" text[] DEFAULT '{}', "at" timestamp, "f" double precision, PRIMARY KEY ("id"));`,
    ],
  },
  {
    name: 'uuid id with a lambda default; id: false with primary_key columns',
    rb: `create_table "u", id: :uuid, default: -> { "gen_random_uuid()" } do |t|\nend\ncreate_table "j", id: false, primary_key: ["a", "b"] do |t|\n t.bigint "a", null: false\n t.bigint "b", null: false\nend`,
    sql: [
      `CREATE TABLE "u" ("id" uuid DEFAULT gen_random_uuid() NOT NULL, PRIMARY KEY ("id"));`,
      `CREATE TABLE "j" ("a" bigint NOT NULL, "b" bigint NOT NULL);`,
    ],
  },
  {
    name: 't.index with where/using/unique/order/opclass/expression, and add_index',
    rb: `create_table "o" do |t|\n t.string "r"\n t.index ["r"], name: "i1", unique: true, where: "(r IS NOT NULL)"\n t.index ["r"], name: "i2", using: :gin, opclass: :gin_trgm_ops\n t.index "lower((r)::text)", name: "i3"\n t.index ["r", "id"], order: { id: :desc }\nend\nadd_index "o", ["r"], name: "i4", include: ["id"]`,
    sql: [
      `CREATE TABLE "o" ("id" bigserial NOT NULL, "r" character varying, PRIMARY KEY ("id"));`,
      `CREATE UNIQUE INDEX "i1" ON "o" ("r") WHERE (r IS NOT NULL);`,
      `CREATE INDEX "i2" ON "o" USING gin ("r" gin_trgm_ops);`,
      `CREATE INDEX "i3" ON "o" (lower((r)::text));`,
      `CREATE INDEX "index_o_on_r_and_id" ON "o" ("r", "id" DESC);`,
      `CREATE INDEX "i4" ON "o" ("r") INCLUDE ("id");`,
    ],
  },
  {
    name: 't.references: column, index, foreign key after every table; polymorphic',
    rb: `create_table "items" do |t|\n t.references "order", null: false, foreign_key: true\n t.references "owner", polymorphic: true\nend`,
    sql: [
      `CREATE TABLE "items" ("id" bigserial NOT NULL, "order_id" bigint NOT NULL, "owner_id" bigint, "owner_type" character varying, PRIMARY KEY ("id"));`,
      `CREATE INDEX "index_items_on_order_id" ON "items" ("order_id");`,
      `CREATE INDEX "index_items_on_owner_type_and_owner_id" ON "items" ("owner_type", "owner_id");`,
      `ALTER TABLE "items" ADD CONSTRAINT "fk_rails_53153f3b4b" FOREIGN KEY ("order_id") REFERENCES "orders" ("id");`,
    ],
  },
  {
    name: 'add_foreign_key with column/primary_key/on_delete; extension, enum, schema, check',
    rb: `enable_extension "citext"\ncreate_schema "billing"\ncreate_enum "mood", ["ok", "sad"]\nadd_foreign_key "orders", "people", column: "buyer_id", primary_key: "uid", on_delete: :nullify, validate: false\nadd_check_constraint "orders", "total >= 0", name: "total_positive"`,
    sql: [
      `CREATE EXTENSION IF NOT EXISTS "citext";`,
      `CREATE SCHEMA IF NOT EXISTS "billing";`,
      `CREATE TYPE "mood" AS ENUM ('ok', 'sad');`,
      `ALTER TABLE "orders" ADD CONSTRAINT "fk_rails_d3775977e3" FOREIGN KEY ("buyer_id") REFERENCES "people" ("uid") ON DELETE SET NULL NOT VALID;`,
      `ALTER TABLE "orders" ADD CONSTRAINT "total_positive" CHECK (total >= 0);`,
    ],
  },
  {
    name: 'scenic views: inline heredoc (materialized) and db/views/<name>_v<NN>.sql',
    rb: `create_view "recent", version: 3\ncreate_view "m", materialized: true, sql_definition: <<-SQL\n    SELECT 2 AS y;\n  SQL`,
    sql: [`CREATE VIEW "recent" AS SELECT 1 AS x;`, `CREATE MATERIALIZED VIEW "m" AS SELECT 2 AS y;`],
  },
];

for (const row of rows) {
  test(row.name, () => {
    assert.deepEqual(ddl(row.rb), row.sql);
  });
}

test('statements stand on the line of the construct they come from', () => {
  const text = define('\n\n  create_table "a" do |t|\n  end\n  add_index "a", ["id"]');
  const lines = translateSchemaRb('db/schema.rb', text, () => undefined).sources[0]?.text.split('\n') ?? [];
  const rbLines = text.split('\n');
  assert.match(rbLines[lines.findIndex((l) => l.startsWith('CREATE TABLE'))] ?? '', /create_table "a"/);
  assert.match(rbLines[lines.findIndex((l) => l.startsWith('CREATE INDEX'))] ?? '', /add_index "a"/);
});

test('what cannot be translated is listed with file and line', () => {
  const text = define(
    '  create_table "a" do |t|\n    t.string "x"\n    puts "hi"\n  end\n  some_gem_call "x"\n  create_view "v", version: 9',
  );
  const { untranslated } = translateSchemaRb('db/schema.rb', text, () => undefined);
  assert.deepEqual(
    untranslated.map((u) => `${u.line} ${u.construct}`),
    ['4 puts "hi"', '6 some_gem_call "x"', '7 create_view "v", version: 9'],
  );
  assert.match(untranslated[2]?.reason ?? '', /db\/views\/v_v09\.sql/);
});
