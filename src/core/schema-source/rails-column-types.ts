/** ActiveRecord's PostgreSQL column types and literal defaults as SQL, the way its PostgreSQL adapter writes them. */
import type { RubyValue } from './ruby-values.js';
import { quoteLiteral, quoteQualified } from './types.js';

/** Types whose SQL name differs from the DSL's (the rest are the same word: text, jsonb, uuid, inet, citext…). */
const SQL_TYPES: Record<string, string> = {
  primary_key: 'bigserial PRIMARY KEY',
  string: 'character varying',
  float: 'double precision',
  binary: 'bytea',
  datetime: 'timestamp',
  timestamptz: 'timestamp with time zone',
  bit_varying: 'bit varying',
  decimal: 'numeric',
};

const num = (value: RubyValue | undefined): number | undefined => (value?.kind === 'number' ? value.value : undefined);

/** The SQL type of a column: `integer` with `limit: 8` is bigint, `string` with `limit: 20` is varchar(20)… */
export function columnSqlType(type: string, options: ReadonlyMap<string, RubyValue>): string {
  const limit = num(options.get('limit'));
  const precision = options.get('precision');
  const scale = num(options.get('scale'));
  let sql: string;
  if (type === 'integer') sql = limit === 8 ? 'bigint' : limit === 2 ? 'smallint' : 'integer';
  else if (type === 'enum') {
    const enumType = options.get('enum_type');
    sql = enumType?.kind === 'string' || enumType?.kind === 'symbol' ? quoteQualified(enumType.value) : 'text';
  } else {
    sql = SQL_TYPES[type] ?? type;
    if ((type === 'string' || type === 'bit' || type === 'bit_varying') && limit !== undefined) sql += `(${limit})`;
    if ((type === 'decimal' || type === 'numeric') && num(precision) !== undefined)
      sql += scale === undefined ? `(${num(precision)})` : `(${num(precision)}, ${scale})`;
    // Rails 7 writes datetime columns as timestamp(6); `precision: nil` means plain timestamp.
    if (['datetime', 'timestamp', 'timestamptz', 'time'].includes(type)) {
      const p = precision === undefined ? (type === 'time' ? undefined : 6) : num(precision);
      if (p !== undefined) sql = sql.replace(/^(timestamp|time)/, `$1(${p})`);
    }
  }
  const array = options.get('array');
  return array?.kind === 'boolean' && array.value ? `${sql}[]` : sql;
}

/** A Ruby default as a SQL literal (undefined when it is not one the dump writes). */
export function defaultSql(value: RubyValue): string | undefined {
  switch (value.kind) {
    case 'string':
    case 'symbol':
      return quoteLiteral(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'nil':
      return 'NULL';
    case 'sql':
      return value.value;
    case 'array': {
      const items = value.items.map((i) =>
        i.kind === 'string' || i.kind === 'symbol' ? `"${i.value.replace(/"/g, '\\"')}"` : defaultSql(i),
      );
      return items.every((i) => i !== undefined) ? quoteLiteral(`{${items.join(',')}}`) : undefined;
    }
    case 'hash':
      return value.entries.size === 0 ? quoteLiteral('{}') : undefined;
    default:
      return undefined;
  }
}
