/**
 * Rails migration DSL as DDL: `add_index` (incl. `algorithm: :concurrently`), `remove_index`, `add_column`,
 * `remove_column`, `change_column`, `change_column_null`, `change_column_default`, `rename_column`, `add_reference`,
 * `add_foreign_key` (incl. `validate: false`), `validate_foreign_key`, `remove_foreign_key`, `add_check_constraint`,
 * `create_table`, `drop_table`. Each call is written out as the statement Rails sends, so the predictor and the DDL
 * rules see it like hand-written SQL (a `create_table` above makes later DDL on that table a new table's).
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import type { FileScan } from '../../types.js';
import { emitSite } from './emit.js';
import { argumentsOf, keywordArgument, methodName, receiverOf, symbolOrStringValue } from './syntax.js';

/** A migration file: a class inheriting ActiveRecord::Migration (any version). */
export function isMigration(text: string): boolean {
  return /<\s*ActiveRecord::Migration\b/.test(text);
}

const quote = (name: string): string => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** Rails column types as PostgreSQL spells them (the lock does not depend on the type; the SQL must parse). */
const TYPES: Record<string, string> = {
  string: 'varchar',
  text: 'text',
  integer: 'integer',
  bigint: 'bigint',
  float: 'float8',
  decimal: 'numeric',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  timestamptz: 'timestamptz',
  time: 'time',
  json: 'json',
  jsonb: 'jsonb',
  uuid: 'uuid',
  binary: 'bytea',
  references: 'bigint',
};

function names(node: Node | undefined): string[] {
  if (node === undefined) return [];
  if (node.type === 'array') return node.namedChildren.flatMap((n) => (n === null ? [] : names(n)));
  const value = symbolOrStringValue(node);
  return value === undefined ? [] : [value];
}

function positional(args: readonly Node[]): Node[] {
  return args.filter((a) => a.type !== 'pair' && a.type !== 'hash' && a.type !== 'block_argument');
}

const flag = (args: readonly Node[], name: string): string | undefined => {
  const value = keywordArgument(args, name);
  return value === undefined ? undefined : (symbolOrStringValue(value) ?? value.text);
};

const singular = (table: string): string =>
  table
    .replace(/ies$/, 'y')
    .replace(/(ses|xes)$/, (m) => m.slice(0, -2))
    .replace(/s$/, '');

/** The statement a DSL call sends, or undefined when it is not one (or its table is not written literally). */
export function migrationSql(name: string, args: readonly Node[]): string | undefined {
  const [first, second, third] = positional(args);
  const table = names(first)[0];
  if (table === undefined) return undefined;
  const t = quote(table);
  const concurrently = flag(args, 'algorithm') === 'concurrently' ? ' CONCURRENTLY' : '';
  const column = names(second)[0];
  switch (name) {
    case 'create_table':
      return `CREATE TABLE ${t} (id bigserial PRIMARY KEY)`;
    case 'drop_table':
      return `DROP TABLE ${t}`;
    case 'add_index': {
      const columns = names(second);
      if (columns.length === 0) return undefined;
      const index = flag(args, 'name') ?? `index_${table}_on_${columns.join('_and_')}`;
      const unique = flag(args, 'unique') === 'true' ? 'UNIQUE ' : '';
      return `CREATE ${unique}INDEX${concurrently} ${quote(index)} ON ${t} (${columns.map(quote).join(', ')})`;
    }
    case 'remove_index': {
      const columns = names(second ?? keywordArgument(args, 'column'));
      const index = flag(args, 'name') ?? (columns.length > 0 ? `index_${table}_on_${columns.join('_and_')}` : undefined);
      return index === undefined ? undefined : `DROP INDEX${concurrently} ${quote(index)}`;
    }
    case 'add_column':
    case 'add_reference': {
      if (column === undefined) return undefined;
      const col = name === 'add_reference' ? `${column}_id` : column;
      const type = name === 'add_reference' ? 'bigint' : (TYPES[names(third)[0] ?? 'string'] ?? 'text');
      return `ALTER TABLE ${t} ADD COLUMN ${quote(col)} ${type}`;
    }
    case 'remove_column':
    case 'remove_reference':
      return column === undefined
        ? undefined
        : `ALTER TABLE ${t} DROP COLUMN ${quote(name === 'remove_reference' ? `${column}_id` : column)}`;
    case 'change_column':
      return column === undefined
        ? undefined
        : `ALTER TABLE ${t} ALTER COLUMN ${quote(column)} TYPE ${TYPES[names(third)[0] ?? ''] ?? 'text'}`;
    case 'change_column_null':
      return column === undefined
        ? undefined
        : `ALTER TABLE ${t} ALTER COLUMN ${quote(column)} ${third?.text === 'false' ? 'SET' : 'DROP'} NOT NULL`;
    case 'change_column_default':
      return column === undefined ? undefined : `ALTER TABLE ${t} ALTER COLUMN ${quote(column)} SET DEFAULT NULL`;
    case 'rename_column': {
      const to = names(third)[0];
      return column === undefined || to === undefined ? undefined : `ALTER TABLE ${t} RENAME COLUMN ${quote(column)} TO ${quote(to)}`;
    }
    case 'add_foreign_key': {
      if (column === undefined) return undefined;
      const fkColumn = flag(args, 'column') ?? `${singular(column)}_id`;
      const constraint = flag(args, 'name') ?? `fk_rails_${table}_${fkColumn}`;
      const notValid = flag(args, 'validate') === 'false' ? ' NOT VALID' : '';
      return `ALTER TABLE ${t} ADD CONSTRAINT ${quote(constraint)} FOREIGN KEY (${quote(fkColumn)}) REFERENCES ${quote(column)} (id)${notValid}`;
    }
    case 'validate_foreign_key':
    case 'remove_foreign_key': {
      const target = column ?? (flag(args, 'to_table') as string | undefined);
      const fkColumn = flag(args, 'column') ?? (target === undefined ? undefined : `${singular(target)}_id`);
      const constraint = flag(args, 'name') ?? (fkColumn === undefined ? undefined : `fk_rails_${table}_${fkColumn}`);
      if (constraint === undefined) return undefined;
      return `ALTER TABLE ${t} ${name === 'validate_foreign_key' ? 'VALIDATE' : 'DROP'} CONSTRAINT ${quote(constraint)}`;
    }
    case 'add_check_constraint': {
      const constraint = flag(args, 'name') ?? `chk_${table}`;
      const notValid = flag(args, 'validate') === 'false' ? ' NOT VALID' : '';
      return `ALTER TABLE ${t} ADD CONSTRAINT ${quote(constraint)} CHECK (true)${notValid}`;
    }
    default:
      return undefined;
  }
}

/** Handles a receiver-less DSL call in a migration; true when it was one. */
export function recognizeMigrationDsl(scan: FileScan, context: ExtractContext, call: Node): boolean {
  if (receiverOf(call) !== null) return false;
  const name = methodName(call) ?? '';
  const args = argumentsOf(call);
  const sql = migrationSql(name, args);
  if (sql === undefined) return false;
  emitSite(scan, context, call, { origin: 'activerecord', sql, synthesized: true, confidence: 'likely', label: `${name} — ${sql}` });
  return true;
}
