/**
 * SQLAlchemy models → the DDL `metadata.create_all()` emits on PostgreSQL: declarative classes (`__tablename__`,
 * `Column`/`mapped_column`, `Mapped[...]` annotations, mixins and abstract bases, single-table and joined inheritance)
 * and `Table(...)` objects; primary keys (integer ones as SERIAL), `ForeignKey` (ondelete/onupdate), `unique=True`,
 * `index=True` (`ix_<table>_<column>`), `server_default`, and `__table_args__`/Table `Index`, `UniqueConstraint`,
 * `CheckConstraint`, `ForeignKeyConstraint`, `{"schema": …}`. Foreign keys are a second source (tables first).
 */
import type { Node } from 'web-tree-sitter';
import { parseSource } from '../scan/grammars.js';
import { classAssignments, isTrue, pyValue, strOf, type PyValue } from './python-values.js';
import { annotationType, sqlalchemyType } from './sqlalchemy-types.js';
import {
  placeAtLines,
  quoteIdent,
  quoteLiteral,
  type PlacedStatement,
  type TranslatedSchema,
  type UntranslatedConstruct,
} from './types.js';

type Call = Extract<PyValue, { kind: 'call' }>;
const COLUMN_CALLS = new Set(['Column', 'mapped_column']);

interface TableDef {
  name: string;
  schema: string | undefined;
  file: string;
  line: number;
  columns: string[];
  pk: string[];
  constraints: string[];
  after: PlacedStatement[];
  fks: PlacedStatement[];
}

interface ClassInfo {
  name: string;
  bases: string[];
  file: string;
  node: Node;
  body: ReturnType<typeof classAssignments>;
}

const qualified = (t: { name: string; schema: string | undefined }): string =>
  t.schema === undefined ? quoteIdent(t.name) : `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`;
const lineOf = (node: Node): number => node.startPosition.row + 1;
const colList = (items: readonly PyValue[]): string[] =>
  items.flatMap((i) => (i.kind === 'string' ? [i.value] : i.kind === 'name' ? [i.value.slice(i.value.lastIndexOf('.') + 1)] : []));

/** A server_default: `text("now()")` or func.now() as SQL, a string as a literal. */
function serverDefault(value: PyValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.kind === 'string') return quoteLiteral(value.value);
  if (value.kind === 'call' && value.name === 'text') return strOf(value.args[0]);
  if (value.kind === 'call' && value.callee.startsWith('func.')) return `${value.name}()`;
  return undefined;
}

class SqlAlchemyTranslator {
  readonly tables: TableDef[] = [];
  readonly untranslated: UntranslatedConstruct[] = [];

  private note(file: string, node: Node, reason: string): void {
    this.untranslated.push({ file, line: lineOf(node), construct: node.text.split('\n')[0] ?? node.text, reason });
  }

  /** A class attribute's column (a bare `x: Mapped[T]` is `mapped_column()` with the annotation's type). */
  attributeColumn(table: TableDef, a: ClassInfo['body'][number]): void {
    const value = a.value === undefined ? undefined : pyValue(a.value);
    const call: Call =
      value?.kind === 'call'
        ? value
        : { kind: 'call', name: 'mapped_column', callee: 'mapped_column', args: [], kwargs: new Map(), node: a.node };
    this.column(table, call, a.name, a.annotation);
  }

  /** One column: name, type, FK, keys, index; `fallbackName` is the attribute it is assigned to. */
  column(table: TableDef, call: Call, fallbackName: string | undefined, annotation: string | undefined): void {
    const name = strOf(call.args[0]) ?? strOf(call.kwargs.get('name')) ?? fallbackName;
    const annotated = annotation === undefined ? undefined : annotationType(annotation);
    let type: string | undefined;
    const fks: Call[] = [];
    for (const arg of call.args) {
      if (arg.kind === 'call' && arg.name === 'ForeignKey') fks.push(arg);
      else if (type === undefined && arg.kind !== 'string') type = sqlalchemyType(arg);
    }
    type ??= call.kwargs.get('type_') === undefined ? annotated?.type : sqlalchemyType(call.kwargs.get('type_') as PyValue);
    if (type === undefined && fks.length > 0) type = 'INTEGER'; // the referenced key's type; integer ids are the rule
    if (name === undefined || type === undefined) return this.note(table.file, call.node, 'column name or type not understood');
    const pk = isTrue(call.kwargs.get('primary_key'));
    const identity = call.args.some((a) => a.kind === 'call' && a.name === 'Identity');
    const autoincrement = call.kwargs.get('autoincrement');
    if (pk && !identity && !(autoincrement?.kind === 'boolean' && !autoincrement.value) && fks.length === 0) {
      if (type === 'INTEGER') type = 'SERIAL';
      if (type === 'BIGINT') type = 'BIGSERIAL';
      if (type === 'SMALLINT') type = 'SMALLSERIAL';
    }
    const nullableArg = call.kwargs.get('nullable');
    const nullable = nullableArg?.kind === 'boolean' ? nullableArg.value : pk ? false : annotated !== undefined ? annotated.optional : true;
    const dflt = serverDefault(call.kwargs.get('server_default'));
    table.columns.push(
      `${quoteIdent(name)} ${type}${identity ? ' GENERATED BY DEFAULT AS IDENTITY' : ''}${dflt === undefined ? '' : ` DEFAULT ${dflt}`}${nullable ? '' : ' NOT NULL'}${isTrue(call.kwargs.get('unique')) && !isTrue(call.kwargs.get('index')) ? ' UNIQUE' : ''}`,
    );
    if (pk) table.pk.push(name);
    if (isTrue(call.kwargs.get('index')))
      table.after.push({
        line: lineOf(call.node),
        sql: `CREATE ${isTrue(call.kwargs.get('unique')) ? 'UNIQUE ' : ''}INDEX ${quoteIdent(`ix_${table.name}_${name}`)} ON ${qualified(table)} (${quoteIdent(name)})`,
      });
    for (const fk of fks) this.foreignKey(table, fk.node, [name], [strOf(fk.args[0]) ?? ''], fk.kwargs);
  }

  private foreignKey(table: TableDef, node: Node, columns: string[], targets: string[], kwargs: Map<string, PyValue>): void {
    const parts = (targets[0] ?? '').split('.');
    if (parts.length < 2) return this.note(table.file, node, 'foreign key target is not "table.column"');
    const refTable = parts.slice(0, -1).join('.');
    const refCols = targets.map((t) => t.split('.').pop() ?? t);
    const ondelete = strOf(kwargs.get('ondelete'));
    const onupdate = strOf(kwargs.get('onupdate'));
    const name = strOf(kwargs.get('name'));
    table.fks.push({
      line: lineOf(node),
      sql: `ALTER TABLE ${qualified(table)} ADD ${name === undefined ? '' : `CONSTRAINT ${quoteIdent(name)} `}FOREIGN KEY (${columns.map(quoteIdent).join(', ')}) REFERENCES ${refTable.split('.').map(quoteIdent).join('.')} (${refCols.map(quoteIdent).join(', ')})${ondelete === undefined ? '' : ` ON DELETE ${ondelete}`}${onupdate === undefined ? '' : ` ON UPDATE ${onupdate}`}`,
    });
  }

  /** Index / UniqueConstraint / CheckConstraint / ForeignKeyConstraint / PrimaryKeyConstraint of a table. */
  tableItem(table: TableDef, item: PyValue, node: Node): void {
    if (item.kind !== 'call') return this.note(table.file, node, 'table argument not understood');
    const name = strOf(item.kwargs.get('name'));
    const named = name === undefined ? '' : `CONSTRAINT ${quoteIdent(name)} `;
    switch (item.name) {
      case 'Index': {
        const indexName = strOf(item.args[0]);
        const exprs = item.args
          .slice(1)
          .map((a) =>
            a.kind === 'string'
              ? quoteIdent(a.value)
              : a.kind === 'name'
                ? quoteIdent(a.value.slice(a.value.lastIndexOf('.') + 1))
                : a.kind === 'call' && a.name === 'text'
                  ? (strOf(a.args[0]) ?? '')
                  : a.kind === 'call' && a.name === 'desc'
                    ? `${quoteIdent(colList(a.node.childForFieldName('function')?.namedChildren[0] ? [pyValue(a.node.childForFieldName('function')?.namedChildren[0] as Node)] : [])[0] ?? '')} DESC`
                    : undefined,
          );
        if (indexName === undefined || exprs.some((e) => e === undefined || e === ''))
          return this.note(table.file, item.node, 'index columns not understood');
        const using = strOf(item.kwargs.get('postgresql_using'));
        const where = item.kwargs.get('postgresql_where');
        const whereSql = where?.kind === 'call' && where.name === 'text' ? strOf(where.args[0]) : undefined;
        return void table.after.push({
          line: lineOf(item.node),
          sql: `CREATE ${isTrue(item.kwargs.get('unique')) ? 'UNIQUE ' : ''}INDEX ${quoteIdent(indexName)} ON ${qualified(table)}${using === undefined ? '' : ` USING ${using}`} (${exprs.join(', ')})${whereSql === undefined ? '' : ` WHERE ${whereSql}`}`,
        });
      }
      case 'UniqueConstraint':
        return void table.constraints.push(`${named}UNIQUE (${colList(item.args).map(quoteIdent).join(', ')})`);
      case 'PrimaryKeyConstraint':
        return void table.pk.push(...colList(item.args));
      case 'CheckConstraint': {
        const expr = strOf(item.args[0]);
        return expr === undefined
          ? this.note(table.file, item.node, 'check expression is not a literal')
          : void table.constraints.push(`${named}CHECK (${expr})`);
      }
      case 'ForeignKeyConstraint': {
        const [cols, refs] = [item.args[0], item.args[1]];
        if (cols?.kind !== 'list' || refs?.kind !== 'list') return this.note(table.file, item.node, 'foreign key columns are not literals');
        return this.foreignKey(table, item.node, colList(cols.items), colList(refs.items), item.kwargs);
      }
      default:
        return this.note(table.file, item.node, `${item.name} in table arguments is not translated`);
    }
  }

  /** `Table("name", metadata, Column(...), Index(...), schema="x")`. */
  tableCall(file: string, call: Call): void {
    const name = strOf(call.args[0]);
    if (name === undefined) return this.note(file, call.node, 'table name is not a literal');
    const table = this.newTable(name, strOf(call.kwargs.get('schema')), file, call.node);
    for (const arg of call.args.slice(2)) {
      if (arg.kind === 'call' && COLUMN_CALLS.has(arg.name)) this.column(table, arg, undefined, undefined);
      else this.tableItem(table, arg, call.node);
    }
  }

  newTable(name: string, schema: string | undefined, file: string, node: Node): TableDef {
    const table: TableDef = { name, schema, file, line: lineOf(node), columns: [], pk: [], constraints: [], after: [], fks: [] };
    this.tables.push(table);
    return table;
  }

  /** Declarative classes: mapped ones get tables; unmapped bases (mixins, abstract) lend their columns. */
  classes(classes: readonly ClassInfo[]): void {
    const byName = new Map(classes.map((c) => [c.name, c]));
    const tableOf = new Map<string, TableDef>();
    const tablename = (c: ClassInfo): string | undefined =>
      strOf(
        c.body.find((a) => a.name === '__tablename__')?.value
          ? pyValue(c.body.find((a) => a.name === '__tablename__')?.value as Node)
          : undefined,
      );
    const isAbstract = (c: ClassInfo): boolean => c.body.some((a) => a.name === '__abstract__' && a.value?.type === 'true');
    /** Column attributes: `x = Column(…)`, `x: Mapped[T] = mapped_column(…)`, and a bare `x: Mapped[T]`. */
    const columnsOf = (c: ClassInfo): ClassInfo['body'] =>
      c.body.filter((a) => {
        if (a.value === undefined) return a.annotation !== undefined && annotationType(a.annotation)?.type !== undefined;
        const value = pyValue(a.value);
        return value.kind === 'call' && COLUMN_CALLS.has(value.name);
      });
    /** Columns a class inherits from unmapped bases (mixins, abstract classes), nearest last. */
    const inherited = (c: ClassInfo, seen = new Set<string>()): ClassInfo['body'] =>
      c.bases.flatMap((b) => {
        const base = byName.get(b);
        if (base === undefined || seen.has(b) || (tablename(base) !== undefined && !isAbstract(base))) return [];
        seen.add(b);
        return [...inherited(base, seen), ...columnsOf(base)];
      });
    const ordered = [...classes];
    for (const c of ordered) {
      const name = tablename(c);
      const mappedParent = c.bases.map((b) => tableOf.get(b)).find((t) => t !== undefined);
      if (isAbstract(c)) continue;
      let table: TableDef | undefined;
      if (name !== undefined) {
        const args = c.body.find((a) => a.name === '__table_args__')?.value;
        const argsValue = args === undefined ? undefined : pyValue(args);
        const dict =
          argsValue?.kind === 'dict' ? argsValue : argsValue?.kind === 'list' ? argsValue.items.find((i) => i.kind === 'dict') : undefined;
        table = this.newTable(name, dict?.kind === 'dict' ? strOf(dict.entries.get('schema')) : undefined, c.file, c.node);
        for (const a of [...(mappedParent === undefined ? inherited(c) : []), ...columnsOf(c)]) this.attributeColumn(table, a);
        if (argsValue?.kind === 'list' && args !== undefined)
          for (const item of argsValue.items) if (item.kind !== 'dict') this.tableItem(table, item, args);
      } else if (mappedParent !== undefined) {
        // Single-table inheritance: the subclass's columns live in the parent's table (nullable there).
        table = mappedParent;
        for (const a of columnsOf(c)) this.attributeColumn(table, { ...a, annotation: undefined });
      } else if (c.body.some((a) => a.name === '__tablename__')) this.note(c.file, c.node, '__tablename__ is not a literal');
      if (table !== undefined) tableOf.set(c.name, table);
    }
  }
}

/** Translates the model files (tree-sitter grammars must be loaded). */
export function translateSqlAlchemyModels(files: ReadonlyArray<{ file: string; text: string }>): TranslatedSchema {
  const translator = new SqlAlchemyTranslator();
  const classes: ClassInfo[] = [];
  const trees = files.map(({ file, text }) => ({ file, tree: parseSource('python', text) }));
  try {
    for (const { file, tree } of trees) {
      for (const node of tree.rootNode.descendantsOfType('class_definition')) {
        if (node === null) continue;
        const body = node.childForFieldName('body');
        const bases = (node.childForFieldName('superclasses')?.namedChildren ?? []).flatMap((b) =>
          b === null || b.type === 'keyword_argument' ? [] : [b.text.slice(b.text.lastIndexOf('.') + 1)],
        );
        if (body !== null)
          classes.push({ name: node.childForFieldName('name')?.text ?? '', bases, file, node, body: classAssignments(body) });
      }
      for (const node of tree.rootNode.descendantsOfType('call')) {
        const value = node === null ? undefined : pyValue(node);
        if (value?.kind === 'call' && value.name === 'Table' && strOf(value.args[0]) !== undefined) translator.tableCall(file, value);
      }
    }
    translator.classes(classes);
  } finally {
    for (const { tree } of trees) tree.delete();
  }
  const byFile = (pick: (t: TableDef) => PlacedStatement[]): Array<{ file: string; text: string }> =>
    files.flatMap(({ file }) => {
      const statements = translator.tables
        .filter((t) => t.file === file)
        .flatMap(pick)
        .sort((a, b) => a.line - b.line);
      return statements.length === 0 ? [] : [{ file, text: placeAtLines(statements) }];
    });
  const tableSql = (t: TableDef): PlacedStatement[] => [
    {
      line: t.line,
      sql: `CREATE TABLE ${qualified(t)} (${[...t.columns, ...(t.pk.length > 0 ? [`PRIMARY KEY (${t.pk.map(quoteIdent).join(', ')})`] : []), ...t.constraints].join(', ')})`,
    },
    ...t.after,
  ];
  return { sources: [...byFile(tableSql), ...byFile((t) => t.fks)], untranslated: translator.untranslated };
}
