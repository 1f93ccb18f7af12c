/**
 * Resolved Django models → the DDL `manage.py migrate` runs on PostgreSQL (schema editor's create_model): the CREATE
 * TABLE with inline UNIQUE/CHECK and Meta.constraints, then the deferred statements — foreign keys DEFERRABLE INITIALLY
 * DEFERRED, db_index and `_like` indexes, unique_together, index_together, Meta.indexes, conditional unique constraints
 * — and auto-created many-to-many tables, all with Django's generated names.
 */
import type { Node } from 'web-tree-sitter';
import { fieldType, likeOpclass, RELATION_FIELDS, relationTarget } from './django-fields.js';
import { DjangoModels, type Call, type FieldDecl, type Model } from './django-models.js';
import { createIndexName, foreignKeyName, modelIndexName, truncateName } from './django-names.js';
import { qSql } from './django-q.js';
import { createImpliedExtensions } from './implied-extensions.js';
import { isTrue, pyValue, strOf, type PyValue } from './python-values.js';
import { quoteIdent, type PlacedStatement, type UntranslatedConstruct } from './types.js';

/** The statements of one file: tables (and their indexes) first, foreign keys in a second pass. */
export interface FileStatements {
  tables: PlacedStatement[];
  foreignKeys: PlacedStatement[];
}

const lineOf = (node: Node): number => node.startPosition.row + 1;
/** A statement stands on its construct's line, or on the model's when inherited from an abstract base elsewhere. */
function lineAt(model: Model, node: Node): number {
  const cls = model.cls.node;
  const inside = node.tree === cls.tree && node.startIndex >= cls.startIndex && node.endIndex <= cls.endIndex;
  return inside ? lineOf(node) : lineOf(cls);
}
const lineIn = (model: Model, field: FieldDecl): number => lineAt(model, field.node);
const cols = (names: readonly string[]): string => names.map(quoteIdent).join(', ');
/** Contrib apps' models keep AutoField keys: a reference to auth.User and the like is an integer. */
const CONTRIB_APPS = new Set(['auth', 'contenttypes', 'sites', 'admin', 'sessions', 'flatpages', 'redirects']);
const INDEX_METHODS: Readonly<Record<string, [string | undefined, string]>> = {
  Index: [undefined, 'idx'],
  BTreeIndex: ['btree', 'btree'],
  GinIndex: ['gin', 'gin'],
  GistIndex: ['gist', 'gist'],
  BrinIndex: ['brin', 'brin'],
  HashIndex: ['hash', 'hash'],
  SpGistIndex: ['spgist', 'spgist'],
  BloomIndex: ['bloom', 'bloom'],
};

export class DjangoDdl {
  readonly byFile = new Map<string, FileStatements>();
  readonly untranslated: UntranslatedConstruct[] = [];
  /** Contrib extensions created for operator classes so far. */
  private readonly extensions = new Set<string>();

  constructor(private readonly models: DjangoModels) {}

  private out(file: string): FileStatements {
    let statements = this.byFile.get(file);
    if (statements === undefined) this.byFile.set(file, (statements = { tables: [], foreignKeys: [] }));
    return statements;
  }

  note(file: string, node: Node, reason: string): void {
    this.untranslated.push({ file, line: lineOf(node), construct: node.text.split('\n')[0] ?? node.text, reason });
  }

  /** The field's column name by field name (or its column), for Meta options and Q conditions. */
  private column(model: Model, name: string): string | undefined {
    const field = model.fields.find((f) => f.name === name || DjangoModels.columnOf(f) === name);
    return field === undefined ? undefined : DjangoModels.columnOf(field);
  }

  /** A relation's column type and referenced table/column; undefined target: not in the repository. */
  private relation(model: Model, field: FieldDecl): { type: string; target?: { table: string; column: string } } {
    const to = relationTarget(field.call) ?? '';
    const found = this.models.target(model, to);
    if (found === undefined) {
      const app = to === 'AUTH_USER_MODEL' ? 'auth' : to.includes('.') ? to.slice(0, to.indexOf('.')) : '';
      this.note(
        field.file,
        field.node,
        `${field.call.name} target ${to} is not a model in the repository: column created without its foreign key`,
      );
      return { type: CONTRIB_APPS.has(app) ? 'integer' : this.autoType(model) };
    }
    const target = this.models.concrete(found);
    const toField = strOf(field.call.kwargs.get('to_field'));
    const referenced = toField === undefined ? this.models.primaryKey(target) : target.fields.find((f) => f.name === toField);
    if (referenced === undefined) return { type: 'integer', target: { table: target.table, column: toField ?? 'id' } };
    const type = RELATION_FIELDS.has(referenced.call.name)
      ? this.relation(target, referenced).type
      : (fieldType(referenced.call)?.relType ?? 'integer');
    return { type, target: { table: target.table, column: DjangoModels.columnOf(referenced) } };
  }

  /** The relation type of the model's app's default auto field (for keys of unknown targets and m2m ids). */
  private autoType(model: Model): string {
    const pk = this.models.primaryKey(model);
    return pk === undefined ? 'bigint' : (fieldType(pk.call)?.relType ?? 'bigint');
  }

  /** One concrete model: CREATE TABLE and its deferred statements. */
  model(model: Model): void {
    if (model.abstract || model.proxy) return;
    if (!model.managed)
      return this.note(model.cls.file, model.cls.node, `${model.cls.name}: managed = False, Django creates no table for it`);
    const out = this.out(model.cls.file);
    const table = quoteIdent(model.table);
    const definitions: string[] = [];
    const after: PlacedStatement[] = [];
    for (const field of model.fields) {
      if (field.call.name === 'ManyToManyField') {
        this.manyToMany(model, field);
        continue;
      }
      const column = DjangoModels.columnOf(field);
      const kw = field.call.kwargs;
      const primary = isTrue(kw.get('primary_key'));
      const isRelation = RELATION_FIELDS.has(field.call.name);
      const unique = primary || isTrue(kw.get('unique')) || field.call.name === 'OneToOneField';
      let type: string;
      let auto = false;
      let check: string | undefined;
      let dbIndexDefault = isRelation;
      if (isRelation) {
        const relation = this.relation(model, field);
        type = relation.type;
        if (relation.target !== undefined && !(kw.get('db_constraint')?.kind === 'boolean' && !isTrue(kw.get('db_constraint'))))
          out.foreignKeys.push({
            line: lineIn(model, field),
            sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(foreignKeyName(model.table, column, relation.target.table, relation.target.column))} FOREIGN KEY (${quoteIdent(column)}) REFERENCES ${quoteIdent(relation.target.table)} (${quoteIdent(relation.target.column)}) DEFERRABLE INITIALLY DEFERRED`,
          });
      } else {
        const known = fieldType(field.call);
        if (known === undefined) {
          this.note(field.file, field.node, `${field.call.name} is not a field class this translation knows: column not created`);
          continue;
        }
        ({ type, auto, check, dbIndexDefault } = known);
      }
      const nullable = !primary && isTrue(kw.get('null'));
      const constraint = primary ? ' PRIMARY KEY' : unique ? ' UNIQUE' : '';
      definitions.push(
        `${quoteIdent(column)} ${type} ${nullable ? 'NULL' : 'NOT NULL'}${constraint}${auto ? ' GENERATED BY DEFAULT AS IDENTITY' : ''}${check === undefined ? '' : ` CHECK (${quoteIdent(column)} ${check})`}`,
      );
      const dbIndexArg = kw.get('db_index');
      const dbIndex = dbIndexArg?.kind === 'boolean' ? dbIndexArg.value : dbIndexDefault;
      const line = lineIn(model, field);
      if (dbIndex && !unique)
        after.push({ line, sql: `CREATE INDEX ${quoteIdent(createIndexName(model.table, [column]))} ON ${table} (${quoteIdent(column)})` });
      const opclass = dbIndex || unique ? likeOpclass(type) : undefined;
      if (opclass !== undefined)
        after.push({
          line,
          sql: `CREATE INDEX ${quoteIdent(createIndexName(model.table, [column], '_like'))} ON ${table} (${quoteIdent(column)} ${opclass})`,
        });
    }
    this.metaOptions(model, definitions, after);
    out.tables.push({ line: lineOf(model.cls.node), sql: `CREATE TABLE ${table} (${definitions.join(', ')})` }, ...after);
  }

  /** Column names of a list of field names (undefined when one is unknown). */
  private columnsOf(model: Model, names: readonly PyValue[]): string[] | undefined {
    const columns = names.map((n) => (n.kind === 'string' ? this.column(model, n.value) : undefined));
    return columns.some((c) => c === undefined) ? undefined : (columns as string[]);
  }

  /** unique_together, index_together, Meta.indexes and Meta.constraints. */
  private metaOptions(model: Model, definitions: string[], after: PlacedStatement[]): void {
    const table = quoteIdent(model.table);
    for (const option of ['unique_together', 'index_together'] as const) {
      const node = model.meta.get(option);
      if (node === undefined) continue;
      const value = pyValue(node);
      const groups = value.kind !== 'list' ? [] : value.items.every((i) => i.kind === 'string') ? [value] : value.items;
      for (const group of groups) {
        const columns = group.kind === 'list' ? this.columnsOf(model, group.items) : undefined;
        if (columns === undefined) {
          this.note(model.cls.file, node, `${option} names a field this translation does not know`);
          continue;
        }
        after.push(
          option === 'unique_together'
            ? {
                line: lineAt(model, node),
                sql: `ALTER TABLE ${table} ADD CONSTRAINT ${quoteIdent(createIndexName(model.table, columns, '_uniq'))} UNIQUE (${cols(columns)})`,
              }
            : {
                line: lineAt(model, node),
                sql: `CREATE INDEX ${quoteIdent(createIndexName(model.table, columns, '_idx'))} ON ${table} (${cols(columns)})`,
              },
        );
      }
    }
    for (const node of listItems(model.meta.get('indexes'))) this.index(model, node, after);
    for (const node of listItems(model.meta.get('constraints'))) this.constraint(model, node, definitions, after);
  }

  /** `%(app_label)s` and `%(class)s` in the names of an abstract base's indexes and constraints. */
  private interpolate(model: Model, name: string): string {
    return name.replace(/%\(app_label\)s/g, model.app).replace(/%\(class\)s/g, model.cls.name.toLowerCase());
  }

  /** A condition keyword (`condition=Q(...)`) as SQL; a note and undefined when present but not translatable. */
  private condition(model: Model, call: Call, keyword: string): { sql?: string; ok: boolean } {
    const node = call.node
      .childForFieldName('arguments')
      ?.namedChildren.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === keyword);
    const value = node?.childForFieldName('value');
    if (value === null || value === undefined) return { ok: true };
    const sql = qSql(value, (f) => this.column(model, f));
    return sql === undefined ? { ok: false } : { sql, ok: true };
  }

  /** An index or unique key's column list: fields (`-x` descending, opclasses) or expressions (Lower/Upper/F). */
  private keyParts(model: Model, call: Call): Array<{ column: string; descending: boolean; sql: string }> | undefined {
    const fields = call.kwargs.get('fields');
    const opclasses = call.kwargs.get('opclasses');
    const classes = opclasses?.kind === 'list' ? opclasses.items.map((o) => strOf(o) ?? '') : [];
    if (fields?.kind === 'list' && fields.items.length > 0) {
      const parts = fields.items.map((item, i) => {
        const name = strOf(item) ?? '';
        const descending = name.startsWith('-');
        const column = this.column(model, name.replace(/^-/, ''));
        if (column === undefined) return undefined;
        return { column, descending, sql: `${quoteIdent(column)}${classes[i] ? ` ${classes[i]}` : ''}${descending ? ' DESC' : ''}` };
      });
      return parts.some((p) => p === undefined) ? undefined : (parts as Array<{ column: string; descending: boolean; sql: string }>);
    }
    const expressions = call.args.map((arg) => expressionSql(arg, (f) => this.column(model, f)));
    return expressions.length === 0 || expressions.some((e) => e === undefined)
      ? undefined
      : expressions.map((sql) => ({ column: '', descending: false, sql: `(${sql ?? ''})` }));
  }

  private index(model: Model, node: Node, after: PlacedStatement[]): void {
    const call = pyValue(node);
    const method = call.kind === 'call' ? INDEX_METHODS[call.name] : undefined;
    if (call.kind !== 'call' || method === undefined)
      return this.note(model.cls.file, node, 'Meta.indexes entry is not an index class this translation knows');
    const parts = this.keyParts(model, call);
    const where = this.condition(model, call, 'condition');
    if (parts === undefined || !where.ok) return this.note(model.cls.file, node, 'index fields, expressions or condition not translated');
    const named = strOf(call.kwargs.get('name'));
    const name = named === undefined ? modelIndexName(model.table, parts, method[1]) : this.interpolate(model, named);
    const include = this.columnsOf(model, listValues(call.kwargs.get('include')));
    // opclasses=["gin_trgm_ops"] needs pg_trgm, which a TrigramExtension migration would have created.
    for (const sql of createImpliedExtensions(parts.map((p) => p.sql).join(' '), this.extensions))
      after.push({ line: lineAt(model, node), sql });
    this.pushIndex(after, lineAt(model, node), {
      unique: false,
      name,
      table: model.table,
      using: method[0],
      parts: parts.map((p) => p.sql),
      include,
      where: where.sql,
    });
  }

  private pushIndex(
    after: PlacedStatement[],
    line: number,
    i: {
      unique: boolean;
      name: string;
      table: string;
      using: string | undefined;
      parts: string[];
      include: string[] | undefined;
      where: string | undefined;
    },
  ): void {
    after.push({
      line,
      sql: `CREATE ${i.unique ? 'UNIQUE ' : ''}INDEX ${quoteIdent(i.name)} ON ${quoteIdent(i.table)}${i.using === undefined ? '' : ` USING ${i.using}`} (${i.parts.join(', ')})${i.include === undefined || i.include.length === 0 ? '' : ` INCLUDE (${cols(i.include)})`}${i.where === undefined ? '' : ` WHERE ${i.where}`}`,
    });
  }

  private constraint(model: Model, node: Node, definitions: string[], after: PlacedStatement[]): void {
    const call = pyValue(node);
    const name = call.kind === 'call' ? strOf(call.kwargs.get('name')) : undefined;
    if (call.kind !== 'call' || name === undefined) return this.note(model.cls.file, node, 'Meta.constraints entry not translated');
    const constraintName = this.interpolate(model, name);
    if (call.name === 'CheckConstraint') {
      const check = this.condition(model, call, call.kwargs.has('condition') ? 'condition' : 'check');
      if (check.sql === undefined)
        return this.note(model.cls.file, node, 'check condition not translated (a CHECK takes no lock of its own)');
      return void definitions.push(`CONSTRAINT ${quoteIdent(constraintName)} CHECK (${check.sql})`);
    }
    if (call.name !== 'UniqueConstraint') return this.note(model.cls.file, node, `${call.name} is not translated`);
    const parts = this.keyParts(model, call);
    const where = this.condition(model, call, 'condition');
    const include = this.columnsOf(model, listValues(call.kwargs.get('include')));
    if (parts === undefined || !where.ok)
      return this.note(model.cls.file, node, 'unique constraint fields, expressions or condition not translated');
    const plain =
      where.sql === undefined && (include === undefined || include.length === 0) && !call.kwargs.has('opclasses') && call.args.length === 0;
    if (plain) return void definitions.push(`CONSTRAINT ${quoteIdent(constraintName)} UNIQUE (${parts.map((p) => p.sql).join(', ')})`);
    this.pushIndex(after, lineAt(model, node), {
      unique: true,
      name: constraintName,
      table: model.table,
      using: undefined,
      parts: parts.map((p) => p.sql),
      include,
      where: where.sql,
    });
  }

  /** The auto-created through table of a ManyToManyField without `through=`. */
  private manyToMany(model: Model, field: FieldDecl): void {
    if (field.call.kwargs.has('through')) return;
    const to = relationTarget(field.call) ?? '';
    const target = this.models.target(model, to);
    if (target === undefined)
      return this.note(field.file, field.node, `ManyToManyField target ${to} is not a model in the repository: no through table`);
    const table = strOf(field.call.kwargs.get('db_table')) ?? truncateName(`${model.table}_${field.name}`);
    const self = target === model;
    const from = `${self ? 'from_' : ''}${model.cls.name.toLowerCase()}_id`;
    const toColumn = `${self ? 'to_' : ''}${target.cls.name.toLowerCase()}_id`;
    const sides = [
      { column: from, model },
      { column: toColumn, model: this.models.concrete(target) },
    ].map((side) => {
      const pk = this.models.primaryKey(side.model);
      const type =
        pk === undefined
          ? 'bigint'
          : RELATION_FIELDS.has(pk.call.name)
            ? this.relation(side.model, pk).type
            : (fieldType(pk.call)?.relType ?? 'bigint');
      return { ...side, type, pkColumn: pk === undefined ? 'id' : DjangoModels.columnOf(pk) };
    });
    const idType = fieldType({ ...field.call, name: this.models.autoField(model), args: [], kwargs: new Map() })?.type ?? 'bigint';
    const out = this.out(model.cls.file);
    const line = lineIn(model, field);
    const q = quoteIdent(table);
    out.tables.push({
      line,
      sql: `CREATE TABLE ${q} ("id" ${idType} NOT NULL PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, ${sides.map((s) => `${quoteIdent(s.column)} ${s.type} NOT NULL`).join(', ')})`,
    });
    out.tables.push({
      line,
      sql: `ALTER TABLE ${q} ADD CONSTRAINT ${quoteIdent(createIndexName(table, [from, toColumn], '_uniq'))} UNIQUE (${cols([from, toColumn])})`,
    });
    for (const side of sides) {
      out.tables.push({
        line,
        sql: `CREATE INDEX ${quoteIdent(createIndexName(table, [side.column]))} ON ${q} (${quoteIdent(side.column)})`,
      });
      out.foreignKeys.push({
        line,
        sql: `ALTER TABLE ${q} ADD CONSTRAINT ${quoteIdent(foreignKeyName(table, side.column, side.model.table, side.pkColumn))} FOREIGN KEY (${quoteIdent(side.column)}) REFERENCES ${quoteIdent(side.model.table)} (${quoteIdent(side.pkColumn)}) DEFERRABLE INITIALLY DEFERRED`,
      });
    }
  }
}

/** The items of a list/tuple literal as nodes. */
function listItems(node: Node | undefined): Node[] {
  if (node === undefined || !['list', 'tuple'].includes(node.type)) return [];
  return node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
}

const listValues = (value: PyValue | undefined): PyValue[] => (value?.kind === 'list' ? value.items : []);

/** An index expression: F("x"), Lower/Upper(F or "x"), as SQL. */
function expressionSql(value: PyValue, columnOf: (field: string) => string | undefined): string | undefined {
  if (value.kind === 'string') return undefined;
  if (value.kind !== 'call') return undefined;
  const inner = value.args[0];
  const column = inner?.kind === 'string' ? columnOf(inner.value) : undefined;
  if (value.name === 'F') return column === undefined ? undefined : quoteIdent(column);
  if ((value.name === 'Lower' || value.name === 'Upper') && inner !== undefined) {
    const arg = inner.kind === 'string' ? (column === undefined ? undefined : quoteIdent(column)) : expressionSql(inner, columnOf);
    return arg === undefined ? undefined : `${value.name.toUpperCase()}(${arg})`;
  }
  return undefined;
}
