/**
 * db/schema.rb (the ActiveRecord schema DSL) → DDL: create_table (id:/primary_key:/force:/options:), columns with
 * null:/default:/limit:/precision:/array:, t.references, t.index and add_index (unique:/where:/using:/order:/opclass:/
 * include:/expressions/name:), add_foreign_key, create_enum, create_schema, enable_extension, check constraints,
 * scenic's create_view (inline or db/views/<name>_v<NN>.sql), fx's create_function/create_trigger and execute.
 * The DSL has no partitioning: a partitioned table appears only as `options:` text when someone wrote it by hand.
 */
import { createHash } from 'node:crypto';
import type { Node } from 'web-tree-sitter';
import { parseSource } from '../scan/grammars.js';
import { pluralizeSnake } from '../scan/orm/naming.js';
import { Heredocs } from '../scan/lang/ruby/strings.js';
import { argumentsOf, blockOf, methodName, receiverOf } from '../scan/lang/ruby/syntax.js';
import { columnSqlType, defaultSql } from './rails-column-types.js';
import { callArguments, nameOf, namesOf, type RubyValue } from './ruby-values.js';
import {
  placeAtLines,
  quoteIdent,
  quoteLiteral,
  quoteQualified,
  type PlacedStatement,
  type ReadRepoFile,
  type TranslatedSchema,
  type UntranslatedConstruct,
} from './types.js';

type Options = ReadonlyMap<string, RubyValue>;

class SchemaRbTranslator {
  readonly statements: PlacedStatement[] = [];
  /** Foreign keys from t.references: added after every table exists. */
  readonly deferred: PlacedStatement[] = [];
  readonly untranslated: UntranslatedConstruct[] = [];
  private readonly heredocs: Heredocs;

  constructor(
    private readonly file: string,
    root: Node,
    private readonly read: ReadRepoFile,
  ) {
    this.heredocs = new Heredocs(root);
  }

  private line(node: Node): number {
    return node.startPosition.row + 1;
  }

  skip(node: Node, reason: string): void {
    this.untranslated.push({ file: this.file, line: this.line(node), construct: node.text.split('\n')[0] ?? node.text, reason });
  }

  private emit(node: Node, sql: string): void {
    this.statements.push({ line: this.line(node), sql });
  }

  /** One statement of the define block. */
  statement(node: Node): void {
    if (node.type === 'comment' || node.type === 'heredoc_body') return;
    if (node.type !== 'call' || receiverOf(node) !== null) return this.skip(node, 'not a schema DSL call');
    const method = methodName(node) ?? '';
    const { positional, options } = callArguments(argumentsOf(node), this.heredocs);
    const first = nameOf(positional[0]);
    switch (method) {
      case 'enable_extension':
        return first === undefined
          ? this.skip(node, 'extension name is not a literal')
          : this.emit(node, `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(first)}`);
      case 'create_schema':
        return first === undefined
          ? this.skip(node, 'schema name is not a literal')
          : this.emit(node, `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(first)}`);
      case 'create_enum': {
        const values = namesOf(positional[1]);
        if (first === undefined || values === undefined) return this.skip(node, 'enum name or values are not literals');
        return this.emit(node, `CREATE TYPE ${quoteQualified(first)} AS ENUM (${values.map(quoteLiteral).join(', ')})`);
      }
      case 'create_table':
        return first === undefined ? this.skip(node, 'table name is not a literal') : this.createTable(node, first, options);
      case 'add_index': {
        const columns = positional[1];
        if (first === undefined || columns === undefined) return this.skip(node, 'table or columns are not literals');
        return this.index(node, first, columns, options);
      }
      case 'add_foreign_key':
        return first === undefined || nameOf(positional[1]) === undefined
          ? this.skip(node, 'tables are not literals')
          : this.emit(node, foreignKeySql(first, nameOf(positional[1]) ?? '', options));
      case 'add_check_constraint': {
        const expr = nameOf(positional[1]);
        if (first === undefined || expr === undefined) return this.skip(node, 'table or expression is not a literal');
        return this.emit(node, `ALTER TABLE ${quoteQualified(first)} ADD ${checkSql(expr, options)}`);
      }
      case 'create_view':
        return this.view(node, first, options);
      case 'create_function':
      case 'create_trigger':
      case 'execute': {
        const sql = method === 'execute' ? first : nameOf(options.get('sql_definition'));
        return sql === undefined ? this.skip(node, `${method} without literal SQL`) : this.emit(node, sql);
      }
      default:
        return this.skip(node, `${method} is not part of the schema DSL Lockscope translates`);
    }
  }

  private createTable(node: Node, table: string, options: Options): void {
    const columns: string[] = [];
    const constraints: string[] = [];
    const after: Array<{ node: Node; sql: string }> = [];
    const id = options.get('id');
    const pk = namesOf(options.get('primary_key'));
    if (!(id?.kind === 'boolean' && !id.value)) {
      const pkNames = pk ?? ['id'];
      if (pkNames.length === 1 && pkNames[0] !== undefined) {
        const type = nameOf(id) ?? 'bigint';
        const serial =
          type === 'bigint'
            ? 'bigserial'
            : type === 'integer' || type === 'serial'
              ? 'serial'
              : type === 'bigserial'
                ? 'bigserial'
                : columnSqlType(type, new Map());
        const defaultValue = options.get('default');
        const dflt = defaultValue === undefined ? '' : ` DEFAULT ${defaultSql(defaultValue) ?? 'NULL'}`;
        columns.push(
          `${quoteIdent(pkNames[0])} ${defaultValue?.kind === 'nil' ? (type === 'bigint' ? 'bigint' : columnSqlType(type, new Map())) : serial}${defaultValue?.kind === 'nil' ? '' : dflt} NOT NULL`,
        );
      }
      constraints.push(`PRIMARY KEY (${pkNames.map(quoteIdent).join(', ')})`);
    }
    const block = blockOf(node);
    const body = block?.namedChildren.find((c) => c?.type === 'body_statement' || c?.type === 'block_body');
    for (const child of body?.namedChildren ?? []) {
      if (child === null || child.type === 'comment') continue;
      const method = child.type === 'call' ? methodName(child) : undefined;
      if (method === undefined || receiverOf(child) === null) {
        this.skip(child, 'not a column or index of the table');
        continue;
      }
      const { positional, options: opts } = callArguments(argumentsOf(child), this.heredocs);
      if (method === 'index') {
        const cols = positional[0];
        if (cols === undefined) this.skip(child, 'index columns are not literals');
        else after.push({ node: child, sql: indexSql(table, cols, opts) });
      } else if (method === 'timestamps') {
        for (const name of ['created_at', 'updated_at'])
          columns.push(columnSql(name, 'datetime', new Map([['null', { kind: 'boolean', value: false }], ...opts])));
      } else if (method === 'references' || method === 'belongs_to') {
        this.references(child, table, nameOf(positional[0]), opts, columns, after);
      } else if (method === 'check_constraint') {
        const expr = nameOf(positional[0]);
        if (expr === undefined) this.skip(child, 'check expression is not a literal');
        else constraints.push(checkSql(expr, opts));
      } else if (method === 'unique_constraint' || method === 'exclusion_constraint') {
        const cols = nameOf(positional[0]) ?? namesOf(positional[0])?.map(quoteIdent).join(', ');
        const name = nameOf(opts.get('name'));
        const using = nameOf(opts.get('using')) ?? 'gist';
        const prefix = name === undefined ? '' : `CONSTRAINT ${quoteIdent(name)} `;
        if (cols === undefined) this.skip(child, 'constraint columns are not literals');
        else constraints.push(method === 'unique_constraint' ? `${prefix}UNIQUE (${cols})` : `${prefix}EXCLUDE USING ${using} (${cols})`);
      } else {
        const type = method === 'column' ? nameOf(positional[1]) : method === 'virtual' ? nameOf(opts.get('type')) : method;
        const name = nameOf(positional[0]);
        if (type === undefined || name === undefined) this.skip(child, 'column name or type is not a literal');
        else columns.push(columnSql(name, type, opts));
      }
    }
    const partition = nameOf(options.get('options'));
    const suffix = partition !== undefined && /^\s*PARTITION\s+BY\b/i.test(partition) ? ` ${partition}` : '';
    if (partition !== undefined && suffix === '') this.skip(node, `table options "${partition}" are not applied`);
    this.emit(node, `CREATE TABLE ${quoteQualified(table)} (${[...columns, ...constraints].join(', ')})${suffix}`);
    for (const a of after) this.emit(a.node, a.sql);
  }

  private references(
    node: Node,
    table: string,
    ref: string | undefined,
    opts: Options,
    columns: string[],
    after: Array<{ node: Node; sql: string }>,
  ): void {
    if (ref === undefined) return this.skip(node, 'reference name is not a literal');
    const polymorphic = opts.get('polymorphic')?.kind === 'boolean';
    const type = nameOf(opts.get('type')) ?? 'bigint';
    columns.push(columnSql(`${ref}_id`, type, opts));
    if (polymorphic) columns.push(columnSql(`${ref}_type`, 'string', opts));
    const index = opts.get('index');
    if (!(index?.kind === 'boolean' && !index.value)) {
      const cols: RubyValue = {
        kind: 'array',
        items: (polymorphic ? [`${ref}_type`, `${ref}_id`] : [`${ref}_id`]).map((value) => ({ kind: 'string', value })),
      };
      after.push({ node, sql: indexSql(table, cols, index?.kind === 'hash' ? index.entries : new Map()) });
    }
    const fk = opts.get('foreign_key');
    if (fk !== undefined && !(fk.kind === 'boolean' && !fk.value) && !polymorphic) {
      const fkOptions = fk.kind === 'hash' ? fk.entries : new Map<string, RubyValue>();
      const to = nameOf(fkOptions.get('to_table')) ?? pluralizeSnake(ref);
      this.deferred.push({
        line: this.line(node),
        sql: foreignKeySql(table, to, new Map([...fkOptions, ['column', { kind: 'string', value: `${ref}_id` }]])),
      });
    }
  }

  private index(node: Node, table: string, columns: RubyValue, options: Options): void {
    this.emit(node, indexSql(table, columns, options));
  }

  /** scenic: `create_view "name", sql_definition: <<-SQL`, or db/views/<name>_v<NN>.sql for `version: N`. */
  private view(node: Node, name: string | undefined, options: Options): void {
    if (name === undefined) return this.skip(node, 'view name is not a literal');
    const version = options.get('version');
    const file = version?.kind === 'number' ? `db/views/${name}_v${String(version.value).padStart(2, '0')}.sql` : undefined;
    const sql = nameOf(options.get('sql_definition')) ?? (file === undefined ? undefined : this.read(file));
    if (sql === undefined) return this.skip(node, `view definition not found${file === undefined ? '' : ` (${file})`}`);
    const materialized = options.get('materialized');
    const kind = materialized !== undefined && !(materialized.kind === 'boolean' && !materialized.value) ? 'MATERIALIZED VIEW' : 'VIEW';
    this.emit(node, `CREATE ${kind} ${quoteQualified(name)} AS ${sql.trim().replace(/;\s*$/, '')}`);
  }
}

function columnSql(name: string, type: string, opts: Options): string {
  let sql = `${quoteIdent(name)} ${columnSqlType(type, opts)}`;
  const collation = nameOf(opts.get('collation'));
  if (collation !== undefined) sql += ` COLLATE ${quoteIdent(collation)}`;
  const as = nameOf(opts.get('as'));
  if (as !== undefined) return `${sql} GENERATED ALWAYS AS (${as}) STORED`;
  const dflt = opts.get('default');
  const literal = dflt === undefined ? undefined : defaultSql(dflt);
  if (literal !== undefined) sql += ` DEFAULT ${literal}`;
  const nullable = opts.get('null');
  if (nullable?.kind === 'boolean' && !nullable.value) sql += ' NOT NULL';
  return sql;
}

function checkSql(expr: string, opts: Options): string {
  const name = nameOf(opts.get('name'));
  return `${name === undefined ? '' : `CONSTRAINT ${quoteIdent(name)} `}CHECK (${expr})`;
}

/** ActiveRecord's index: default name index_<table>_on_<a>_and_<b>; a string with more than a name is an expression. */
export function indexSql(table: string, columns: RubyValue, opts: Options): string {
  const bare = table.slice(table.lastIndexOf('.') + 1);
  const names = namesOf(columns) ?? [];
  const expression = columns.kind === 'string' && !/^\w+$/.test(columns.value) ? columns.value : undefined;
  const name = nameOf(opts.get('name')) ?? `index_${bare}_on_${names.join('_and_')}`;
  const order = opts.get('order');
  const opclass = opts.get('opclass');
  const per = (value: RubyValue | undefined, column: string): string | undefined =>
    value?.kind === 'hash' ? nameOf(value.entries.get(column)) : nameOf(value);
  const list =
    expression ??
    names.map((c) => [quoteIdent(c), per(opclass, c), per(order, c)?.toUpperCase()].filter((p) => p !== undefined).join(' ')).join(', ');
  const unique = opts.get('unique')?.kind === 'boolean' && (opts.get('unique') as { value: boolean }).value ? 'UNIQUE ' : '';
  const using = nameOf(opts.get('using'));
  const include = namesOf(opts.get('include'));
  const where = nameOf(opts.get('where'));
  const nnd = opts.get('nulls_not_distinct')?.kind === 'boolean' ? ' NULLS NOT DISTINCT' : '';
  return `CREATE ${unique}INDEX ${quoteIdent(name)} ON ${quoteQualified(table)}${using === undefined ? '' : ` USING ${using}`} (${list})${include === undefined ? '' : ` INCLUDE (${include.map(quoteIdent).join(', ')})`}${nnd}${where === undefined ? '' : ` WHERE ${where}`}`;
}

const ACTIONS: Record<string, string> = { cascade: 'CASCADE', nullify: 'SET NULL', restrict: 'RESTRICT', no_action: 'NO ACTION' };

/** add_foreign_key: column defaults to <singular to_table>_id, the name to fk_rails_<10 hex of SHA-256>. */
export function foreignKeySql(from: string, to: string, opts: Options): string {
  const toBare = to.slice(to.lastIndexOf('.') + 1);
  const singular = toBare
    .replace(/ies$/, 'y')
    .replace(/(ss|x|ch|sh)es$/, '$1')
    .replace(/s$/, '');
  const columns = namesOf(opts.get('column')) ?? [`${singular}_id`];
  const primary = namesOf(opts.get('primary_key')) ?? ['id'];
  const name =
    nameOf(opts.get('name')) ??
    `fk_rails_${createHash('sha256')
      .update(`${from}_${columns.join('_')}_fk`)
      .digest('hex')
      .slice(0, 10)}`;
  const onDelete = ACTIONS[nameOf(opts.get('on_delete')) ?? ''];
  const onUpdate = ACTIONS[nameOf(opts.get('on_update')) ?? ''];
  const validate = opts.get('validate');
  return `ALTER TABLE ${quoteQualified(from)} ADD CONSTRAINT ${quoteIdent(name)} FOREIGN KEY (${columns.map(quoteIdent).join(', ')}) REFERENCES ${quoteQualified(to)} (${primary.map(quoteIdent).join(', ')})${onDelete === undefined ? '' : ` ON DELETE ${onDelete}`}${onUpdate === undefined ? '' : ` ON UPDATE ${onUpdate}`}${validate?.kind === 'boolean' && !validate.value ? ' NOT VALID' : ''}`;
}

/** The `ActiveRecord::Schema.define` block of the file (or the file itself when there is none). */
function defineBody(root: Node): Node[] {
  const define = root.descendantsOfType('call').find((c) => c !== null && methodName(c) === 'define' && blockOf(c) !== null);
  const block = define === undefined || define === null ? null : blockOf(define);
  const body = block?.namedChildren.find((c) => c?.type === 'body_statement' || c?.type === 'block_body');
  return (body ?? root).namedChildren.filter((n): n is Node => n !== null);
}

/** Translates db/schema.rb; tree-sitter grammars must be loaded. */
export function translateSchemaRb(file: string, text: string, read: ReadRepoFile): TranslatedSchema {
  const tree = parseSource('ruby', text);
  try {
    const translator = new SchemaRbTranslator(file, tree.rootNode, read);
    for (const node of defineBody(tree.rootNode)) translator.statement(node);
    // t.references' foreign keys are a second source, loaded after every table exists (lines kept).
    const sources = [translator.statements, translator.deferred].filter((s) => s.length > 0).map((s) => ({ file, text: placeAtLines(s) }));
    return { sources, untranslated: translator.untranslated };
  } finally {
    tree.delete();
  }
}
