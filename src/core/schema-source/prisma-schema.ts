/**
 * schema.prisma → the DDL Prisma Migrate generates for PostgreSQL: tables of models (`@@map`/`@map`, `@@schema`),
 * scalar types and `@db.*` native types, `@id`/`@@id` (`<table>_pkey`), `@default`, `@unique`/`@@unique`
 * (`<table>_<cols>_key`), `@@index` (`<table>_<cols>_idx`, `type:`), enums, relation foreign keys
 * (`<table>_<cols>_fkey`, Prisma's default referential actions) and implicit many-to-many tables `_AToB`.
 * Enums, tables and indexes, then foreign keys and join tables, are separate sources loaded in that order, so a
 * model may name an enum or model declared further down; every statement stands on its construct's line.
 */
import { createImpliedExtensions } from './implied-extensions.js';
import { listItems, parsePrismaSchema, unquote, type PrismaAttribute, type PrismaBlock, type PrismaField } from './prisma-parse.js';
import {
  placeAtLines,
  quoteIdent,
  quoteLiteral,
  type PlacedStatement,
  type TranslatedSchema,
  type UntranslatedConstruct,
} from './types.js';

const SCALARS: Record<string, string> = {
  String: 'TEXT',
  Int: 'INTEGER',
  BigInt: 'BIGINT',
  Float: 'DOUBLE PRECISION',
  Decimal: 'DECIMAL(65,30)',
  Boolean: 'BOOLEAN',
  DateTime: 'TIMESTAMP(3)',
  Json: 'JSONB',
  Bytes: 'BYTEA',
};
const NATIVE: Record<string, string> = { DoublePrecision: 'DOUBLE PRECISION', VarBit: 'VARBIT', ByteA: 'BYTEA', JsonB: 'JSONB' };
const ACTIONS: Record<string, string> = {
  Cascade: 'CASCADE',
  Restrict: 'RESTRICT',
  NoAction: 'NO ACTION',
  SetNull: 'SET NULL',
  SetDefault: 'SET DEFAULT',
};

interface Model {
  block: PrismaBlock;
  file: string;
  table: string;
  schema: string | undefined;
}

const attr = (field: PrismaField, name: string): PrismaAttribute | undefined => field.attributes.find((a) => a.name === name);
const columnOf = (field: PrismaField): string => unquote(attr(field, 'map')?.args[0] ?? field.name);
const qualified = (m: { table: string; schema: string | undefined }): string =>
  m.schema === undefined ? quoteIdent(m.table) : `${quoteIdent(m.schema)}.${quoteIdent(m.table)}`;

class PrismaTranslator {
  readonly models = new Map<string, Model>();
  readonly enums = new Map<string, { name: string; schema: string | undefined }>();
  /** Enums first: a model may use an enum declared further down. */
  readonly types = new Map<string, PlacedStatement[]>();
  readonly tables = new Map<string, PlacedStatement[]>();
  readonly relations = new Map<string, PlacedStatement[]>();
  readonly untranslated: UntranslatedConstruct[] = [];

  constructor(private readonly files: ReadonlyArray<{ file: string; blocks: PrismaBlock[]; text: string }>) {
    for (const { file, blocks } of files)
      for (const block of blocks) {
        const map = block.blockAttributes.find((a) => a.name === 'map')?.args[0];
        const schema = block.blockAttributes.find((a) => a.name === 'schema')?.args[0];
        const names = { table: map === undefined ? block.name : unquote(map), schema: schema === undefined ? undefined : unquote(schema) };
        if (block.kind === 'model') this.models.set(block.name, { block, file, ...names });
        if (block.kind === 'enum') this.enums.set(block.name, { name: names.table, schema: names.schema });
      }
  }

  sourceText(file: string): string {
    return this.files.find((f) => f.file === file)?.text ?? '';
  }

  /** Extensions created so far (declared in the datasource, or implied by an operator class). */
  private readonly extensions = new Set<string>();

  private emit(into: Map<string, PlacedStatement[]>, file: string, line: number, sql: string): void {
    const list = into.get(file) ?? [];
    list.push({ line, sql });
    into.set(file, list);
  }

  private columnType(field: PrismaField): string | undefined {
    const native = field.attributes.find((a) => a.name.startsWith('db.'));
    const enumType = this.enums.get(field.type);
    let type: string | undefined;
    if (native !== undefined) {
      const base = native.name.slice(3);
      type = (NATIVE[base] ?? base.toUpperCase()) + (native.args.length > 0 ? `(${native.args.join(',')})` : '');
    } else if (enumType !== undefined) type = qualified({ table: enumType.name, schema: enumType.schema });
    else if (field.type.startsWith('Unsupported(')) type = unquote(field.type.slice('Unsupported('.length, -1));
    else type = SCALARS[field.type];
    if (type === undefined) return undefined;
    const dflt = attr(field, 'default')?.args[0];
    if (dflt === 'autoincrement()') type = type === 'BIGINT' ? 'BIGSERIAL' : type === 'SMALLINT' ? 'SMALLSERIAL' : 'SERIAL';
    return field.list ? `${type}[]` : type;
  }

  private defaultSql(field: PrismaField): string | undefined {
    const value = attr(field, 'default')?.args[0];
    if (value === undefined || value === 'autoincrement()' || /^(uuid|cuid|nanoid|ulid)\(/.test(value)) return undefined;
    if (value === 'now()') return 'CURRENT_TIMESTAMP';
    const generated = /^dbgenerated\((.*)\)$/.exec(value)?.[1];
    if (generated !== undefined) return generated.trim() === '' ? undefined : unquote(generated);
    if (value.startsWith('"')) return quoteLiteral(unquote(value));
    if (value.startsWith('[')) return quoteLiteral(`{${listItems(value).map(unquote).join(',')}}`);
    if (this.enums.has(field.type)) return quoteLiteral(value);
    return value;
  }

  /** Columns of `fields: [...]` by field name → column name. */
  private columns(model: Model, names: readonly string[]): string[] {
    return names.map((n) => {
      const field = model.block.fields.find((f) => f.name === n.replace(/\(.*$/, '').trim());
      return field === undefined ? n : columnOf(field);
    });
  }

  private indexColumns(model: Model, items: readonly string[]): string {
    return items
      .map((item) => {
        const name = item.replace(/\(.*$/, '').trim();
        const desc = /sort:\s*Desc/.test(item) ? ' DESC' : '';
        // ops: JsonbPathOps (a Prisma name) or ops: raw("gin_trgm_ops") (the operator class itself).
        const raw = /ops:\s*raw\(\s*"([^"]+)"\s*\)/.exec(item)?.[1];
        const ops = raw ?? /ops:\s*(\w+)/.exec(item)?.[1];
        const opclass = ops === undefined ? '' : ` ${raw ?? ops.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase()}`;
        return `${quoteIdent(this.columns(model, [name])[0] ?? name)}${opclass}${desc}`;
      })
      .join(', ');
  }

  translate(): void {
    for (const { file, blocks } of this.files)
      for (const block of blocks) {
        if (block.kind === 'enum') {
          const e = this.enums.get(block.name);
          if (e !== undefined)
            this.emit(
              this.types,
              file,
              block.line,
              `CREATE TYPE ${qualified({ table: e.name, schema: e.schema })} AS ENUM (${block.values.map(quoteLiteral).join(', ')})`,
            );
        } else if (block.kind === 'model') {
          const model = this.models.get(block.name);
          if (model !== undefined) this.model(model);
        } else if (block.kind === 'datasource') {
          // previewFeatures = ["postgresqlExtensions"]: extensions = [pg_trgm, citext(schema: "x")]
          const list = /^\s*extensions\s*=\s*\[(.*)\]/m.exec(this.sourceText(file))?.[1] ?? '';
          for (const ext of listItems(`[${list}]`)) {
            const name = /^\w+/.exec(ext)?.[0];
            if (name === undefined || this.extensions.has(name)) continue;
            this.extensions.add(name);
            this.emit(this.types, file, block.line, `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(name)}`);
          }
        } else if (block.kind !== 'generator')
          this.untranslated.push({
            file,
            line: block.line,
            construct: `${block.kind} ${block.name}`,
            reason: `Prisma ${block.kind} blocks are not tables Prisma Migrate creates`,
          });
      }
    this.implicitManyToMany();
  }

  private model(model: Model): void {
    const { block, file, table } = model;
    const columns: string[] = [];
    const pk: string[] = [];
    for (const field of block.fields) {
      if (this.models.has(field.type)) {
        this.relation(model, field);
        continue;
      }
      const type = this.columnType(field);
      if (type === undefined) {
        this.untranslated.push({ file, line: field.line, construct: `${field.name} ${field.type}`, reason: 'unknown field type' });
        continue;
      }
      const dflt = this.defaultSql(field);
      columns.push(
        `${quoteIdent(columnOf(field))} ${type}${field.optional ? '' : ' NOT NULL'}${dflt === undefined ? '' : ` DEFAULT ${dflt}`}`,
      );
      if (attr(field, 'id') !== undefined) pk.push(columnOf(field));
      if (attr(field, 'unique') !== undefined) {
        const name = unquote(attr(field, 'unique')?.named.get('map') ?? `"${table}_${columnOf(field)}_key"`);
        this.emit(
          this.tables,
          file,
          field.line,
          `CREATE UNIQUE INDEX ${quoteIdent(name)} ON ${qualified(model)} (${quoteIdent(columnOf(field))})`,
        );
      }
    }
    for (const a of block.blockAttributes) {
      const fields = listItems(a.named.get('fields') ?? a.args[0]);
      const cols = this.columns(model, fields);
      if (a.name === 'id') pk.push(...cols);
      else if (a.name === 'unique' || a.name === 'index') {
        const suffix = a.name === 'unique' ? 'key' : 'idx';
        const name = unquote(a.named.get('map') ?? a.named.get('name') ?? `"${table}_${cols.join('_')}_${suffix}"`);
        const using = a.named.get('type');
        const keys = this.indexColumns(model, fields);
        // An operator class of a contrib extension the datasource does not declare (a migration would have created it).
        for (const sql of createImpliedExtensions(keys, this.extensions)) this.emit(this.types, file, a.line, sql);
        this.emit(
          this.tables,
          file,
          a.line,
          `CREATE ${a.name === 'unique' ? 'UNIQUE ' : ''}INDEX ${quoteIdent(name)} ON ${qualified(model)}${using === undefined ? '' : ` USING ${using.toUpperCase()}`} (${keys})`,
        );
      } else if (a.name !== 'map' && a.name !== 'schema' && a.name !== 'ignore')
        this.untranslated.push({ file, line: a.line, construct: `@@${a.name}`, reason: 'block attribute not translated' });
    }
    if (pk.length > 0) columns.push(`CONSTRAINT ${quoteIdent(`${table}_pkey`)} PRIMARY KEY (${pk.map(quoteIdent).join(', ')})`);
    const tables = this.tables.get(file) ?? [];
    // The table goes before the indexes written on its field lines.
    const firstIndex = tables.findIndex((s) => s.line > block.line);
    tables.splice(firstIndex < 0 ? tables.length : firstIndex, 0, {
      line: block.line,
      sql: `CREATE TABLE ${qualified(model)} (${columns.join(', ')})`,
    });
    this.tables.set(file, tables);
  }

  /** `author User @relation(fields: [authorId], references: [id], onDelete: Cascade)` → the foreign key. */
  private relation(model: Model, field: PrismaField): void {
    const relation = attr(field, 'relation');
    const fields = listItems(relation?.named.get('fields'));
    if (fields.length === 0) return; // the other side, or an implicit many-to-many list
    const target = this.models.get(field.type);
    if (target === undefined) return;
    const cols = this.columns(model, fields);
    const refs = this.columns(target, listItems(relation?.named.get('references')));
    const optional = fields.some((f) => model.block.fields.find((x) => x.name === f)?.optional === true);
    const onDelete = ACTIONS[relation?.named.get('onDelete') ?? ''] ?? (optional ? 'SET NULL' : 'RESTRICT');
    const onUpdate = ACTIONS[relation?.named.get('onUpdate') ?? ''] ?? 'CASCADE';
    const name = unquote(relation?.named.get('map') ?? `"${model.table}_${cols.join('_')}_fkey"`);
    this.emit(
      this.relations,
      model.file,
      field.line,
      `ALTER TABLE ${qualified(model)} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${cols.map(quoteIdent).join(', ')}) REFERENCES ${qualified(target)} (${refs.map(quoteIdent).join(', ')}) ON DELETE ${onDelete} ON UPDATE ${onUpdate}`,
    );
  }

  /** Both sides are lists with no `fields:`: Prisma's join table `_AToB` (or `_<relation name>`), A and B by model name. */
  private implicitManyToMany(): void {
    const done = new Set<string>();
    for (const model of this.models.values())
      for (const field of model.block.fields) {
        const other = this.models.get(field.type);
        if (!field.list || other === undefined) continue;
        const relationName = attr(field, 'relation')?.args[0] ?? attr(field, 'relation')?.named.get('name');
        const back = other.block.fields.find(
          (f) =>
            f.type === model.block.name &&
            f.list &&
            (f !== field || other === model) &&
            (attr(f, 'relation')?.args[0] ?? attr(f, 'relation')?.named.get('name')) === relationName,
        );
        if (back === undefined) continue;
        const [a, b] = [model, other].sort((x, y) => (x.block.name < y.block.name ? -1 : 1));
        if (a === undefined || b === undefined) continue;
        const table = relationName === undefined ? `_${a.block.name}To${b.block.name}` : `_${unquote(relationName)}`;
        if (done.has(table)) continue;
        done.add(table);
        const idType = (m: Model): string => {
          const id = m.block.fields.find((f) => attr(f, 'id') !== undefined);
          return (
            (id === undefined ? 'INTEGER' : this.columnType({ ...id, attributes: id.attributes.filter((x) => x.name !== 'default') })) ??
            'INTEGER'
          );
        };
        const idCol = (m: Model): string =>
          columnOf(
            m.block.fields.find((f) => attr(f, 'id') !== undefined) ?? {
              name: 'id',
              type: '',
              optional: false,
              list: false,
              attributes: [],
              line: 0,
            },
          );
        const q = quoteIdent(table);
        const stmts = [
          `CREATE TABLE ${q} ("A" ${idType(a)} NOT NULL, "B" ${idType(b)} NOT NULL, CONSTRAINT ${quoteIdent(`${table}_AB_pkey`)} PRIMARY KEY ("A", "B"))`,
          `CREATE INDEX ${quoteIdent(`${table}_B_index`)} ON ${q} ("B")`,
          `ALTER TABLE ${q} ADD CONSTRAINT ${quoteIdent(`${table}_A_fkey`)} FOREIGN KEY ("A") REFERENCES ${qualified(a)} (${quoteIdent(idCol(a))}) ON DELETE CASCADE ON UPDATE CASCADE`,
          `ALTER TABLE ${q} ADD CONSTRAINT ${quoteIdent(`${table}_B_fkey`)} FOREIGN KEY ("B") REFERENCES ${qualified(b)} (${quoteIdent(idCol(b))}) ON DELETE CASCADE ON UPDATE CASCADE`,
        ];
        for (const sql of stmts) this.emit(this.relations, model.file, field.line, sql);
      }
  }
}

/** Translates every .prisma file of a schema (one file, or a prismaSchemaFolder) in order. */
export function translatePrismaSchema(files: ReadonlyArray<{ file: string; text: string }>): TranslatedSchema {
  const translator = new PrismaTranslator(files.map(({ file, text }) => ({ file, text, blocks: parsePrismaSchema(text) })));
  translator.translate();
  const sources = [translator.types, translator.tables, translator.relations].flatMap((byFile) =>
    files.flatMap(({ file }) => {
      const statements = [...(byFile.get(file) ?? [])].sort((x, y) => x.line - y.line);
      return statements.length === 0 ? [] : [{ file, text: placeAtLines(statements) }];
    }),
  );
  return { sources, untranslated: translator.untranslated };
}
