/** schema.prisma → the DDL Prisma Migrate writes: names, types, defaults, keys, indexes, relations, join tables. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { translatePrismaSchema } from '../../../src/core/schema-source/prisma-schema.js';

const ddl = (text: string): string[] =>
  translatePrismaSchema([{ file: 'schema.prisma', text }])
    .sources.flatMap((s) => s.text.split('\n'))
    .filter((l) => l !== '');

const rows: Array<{ name: string; prisma: string; sql: string[] }> = [
  {
    name: 'scalar and native types, optional, defaults, @map/@@map, @unique',
    prisma: `model User {\n  id Int @id @default(autoincrement())\n  email String @unique @map("email_address")\n  bio String? @db.VarChar(200)\n  at DateTime @default(now())\n  ok Boolean @default(true)\n  n Decimal\n  raw Unsupported("tsvector")?\n  @@map("users")\n}`,
    sql: [
      `CREATE TABLE "users" ("id" SERIAL NOT NULL, "email_address" TEXT NOT NULL, "bio" VARCHAR(200), "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "ok" BOOLEAN NOT NULL DEFAULT true, "n" DECIMAL(65,30) NOT NULL, "raw" tsvector, CONSTRAINT "users_pkey" PRIMARY KEY ("id"));`,
      `CREATE UNIQUE INDEX "users_email_address_key" ON "users" ("email_address");`,
    ],
  },
  {
    name: 'enums (declared after use, @map values), @@id, @@index type and sort, @@schema',
    prisma: `model M {\n  a Int\n  b Int\n  s Mood @default(OK)\n  all Mood[] @default([OK, SAD])\n  @@id([a, b])\n  @@index([b(sort: Desc)], type: Brin)\n  @@schema("app")\n}\nenum Mood {\n  OK\n  SAD @map("sad")\n  @@schema("app")\n}`,
    sql: [
      `CREATE TYPE "app"."Mood" AS ENUM ('OK', 'sad');`,
      `CREATE TABLE "app"."M" ("a" INTEGER NOT NULL, "b" INTEGER NOT NULL, "s" "app"."Mood" NOT NULL DEFAULT 'OK', "all" "app"."Mood"[] NOT NULL DEFAULT '{OK,SAD}', CONSTRAINT "M_pkey" PRIMARY KEY ("a", "b"));`,
      `CREATE INDEX "M_b_idx" ON "app"."M" USING BRIN ("b" DESC);`,
    ],
  },
  {
    name: 'relations: required → RESTRICT, optional → SET NULL, explicit actions and map; implicit m2m _AToB',
    prisma: `model Post {\n  id Int @id\n  authorId Int\n  author User @relation(fields: [authorId], references: [id])\n  editorId Int?\n  editor User? @relation("edits", fields: [editorId], references: [id], onDelete: Cascade, map: "post_editor")\n  tags Tag[]\n}\nmodel User {\n  id Int @id\n  posts Post[]\n  edits Post[] @relation("edits")\n}\nmodel Tag {\n  id String @id @db.Uuid\n  posts Post[]\n}`,
    sql: [
      `CREATE TABLE "Post" ("id" INTEGER NOT NULL, "authorId" INTEGER NOT NULL, "editorId" INTEGER, CONSTRAINT "Post_pkey" PRIMARY KEY ("id"));`,
      `CREATE TABLE "User" ("id" INTEGER NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));`,
      `CREATE TABLE "Tag" ("id" UUID NOT NULL, CONSTRAINT "Tag_pkey" PRIMARY KEY ("id"));`,
      `ALTER TABLE "Post" ADD CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE;`,
      `ALTER TABLE "Post" ADD CONSTRAINT "post_editor" FOREIGN KEY ("editorId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE;`,
      `CREATE TABLE "_PostToTag" ("A" INTEGER NOT NULL, "B" UUID NOT NULL, CONSTRAINT "_PostToTag_AB_pkey" PRIMARY KEY ("A", "B"));`,
      `CREATE INDEX "_PostToTag_B_index" ON "_PostToTag" ("B");`,
      `ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_A_fkey" FOREIGN KEY ("A") REFERENCES "Post" ("id") ON DELETE CASCADE ON UPDATE CASCADE;`,
      `ALTER TABLE "_PostToTag" ADD CONSTRAINT "_PostToTag_B_fkey" FOREIGN KEY ("B") REFERENCES "Tag" ("id") ON DELETE CASCADE ON UPDATE CASCADE;`,
    ],
  },
  {
    name: 'datasource extensions and raw operator classes',
    prisma: `datasource db {\n  provider = "postgresql"\n  extensions = [pg_trgm, citext(schema: "public")]\n}\nmodel R {\n  id Int @id\n  email String\n  @@index([email(ops: raw("gin_trgm_ops"))], type: Gin)\n}`,
    sql: [
      `CREATE EXTENSION IF NOT EXISTS "pg_trgm";`,
      `CREATE EXTENSION IF NOT EXISTS "citext";`,
      `CREATE TABLE "R" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "R_pkey" PRIMARY KEY ("id"));`,
      `CREATE INDEX "R_email_idx" ON "R" USING GIN ("email" gin_trgm_ops);`,
    ],
  },
  {
    name: 'an operator class of an undeclared contrib extension creates it (documenso: gin_trgm_ops, no extensions = [...])',
    prisma: `datasource db {
  provider = "postgresql"
}
model R {
  id Int @id
  email String
  tags Int[]
  @@index([email(ops: raw("gin_trgm_ops"))], type: Gin)
  @@index([email(ops: raw("gist_trgm_ops"))], type: Gist, map: "r_email_gist")
  @@index([tags(ops: raw("gin__int_ops"))], type: Gin)
}`,
    sql: [
      `CREATE EXTENSION IF NOT EXISTS "pg_trgm";`,
      `CREATE EXTENSION IF NOT EXISTS "intarray";`,
      `CREATE TABLE "R" ("id" INTEGER NOT NULL, "email" TEXT NOT NULL, "tags" INTEGER[] NOT NULL, CONSTRAINT "R_pkey" PRIMARY KEY ("id"));`,
      `CREATE INDEX "R_email_idx" ON "R" USING GIN ("email" gin_trgm_ops);`,
      `CREATE INDEX "r_email_gist" ON "R" USING GIST ("email" gist_trgm_ops);`,
      `CREATE INDEX "R_tags_idx" ON "R" USING GIN ("tags" gin__int_ops);`,
    ],
  },
];

for (const row of rows) {
  test(row.name, () => {
    assert.deepEqual(ddl(row.prisma), row.sql);
  });
}

test('views and unknown types are listed with their line, not dropped', () => {
  const { untranslated } = translatePrismaSchema([
    { file: 'schema.prisma', text: `model A {\n  id Int @id\n  x Money\n}\nview V {\n  id Int\n}` },
  ]);
  assert.deepEqual(
    untranslated.map((u) => `${u.line} ${u.construct}`),
    ['3 x Money', '5 view V'],
  );
});
