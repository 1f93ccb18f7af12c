/** SQLAlchemy column types (and `Mapped[...]` annotations) as the PostgreSQL types its dialect creates. */
import type { PyValue } from './python-values.js';

const SIMPLE: Record<string, string> = {
  Integer: 'INTEGER',
  INTEGER: 'INTEGER',
  BigInteger: 'BIGINT',
  BIGINT: 'BIGINT',
  SmallInteger: 'SMALLINT',
  SMALLINT: 'SMALLINT',
  Text: 'TEXT',
  TEXT: 'TEXT',
  UnicodeText: 'TEXT',
  Boolean: 'BOOLEAN',
  BOOLEAN: 'BOOLEAN',
  Date: 'DATE',
  DATE: 'DATE',
  Time: 'TIME WITHOUT TIME ZONE',
  Interval: 'INTERVAL',
  INTERVAL: 'INTERVAL',
  Float: 'FLOAT',
  FLOAT: 'FLOAT',
  Double: 'DOUBLE PRECISION',
  DOUBLE_PRECISION: 'DOUBLE PRECISION',
  REAL: 'REAL',
  JSON: 'JSON',
  JSONB: 'JSONB',
  UUID: 'UUID',
  Uuid: 'UUID',
  LargeBinary: 'BYTEA',
  BYTEA: 'BYTEA',
  INET: 'INET',
  CIDR: 'CIDR',
  MACADDR: 'MACADDR',
  TSVECTOR: 'TSVECTOR',
  HSTORE: 'HSTORE',
  CITEXT: 'CITEXT',
  MONEY: 'MONEY',
  // A native Enum becomes its own PostgreSQL type; the lock set is the same with text.
  Enum: 'TEXT',
  ENUM: 'TEXT',
};

const numberArgs = (value: Extract<PyValue, { kind: 'call' }>): string[] =>
  value.args.flatMap((a) => (a.kind === 'number' ? [a.text] : []));

/** The SQL type of a type expression (`String(20)`, `sa.DateTime(timezone=True)`, `ARRAY(Integer)`), or undefined. */
export function sqlalchemyType(value: PyValue): string | undefined {
  const name = value.kind === 'call' ? value.name : value.kind === 'name' ? value.value.slice(value.value.lastIndexOf('.') + 1) : undefined;
  if (name === undefined) return undefined;
  const call = value.kind === 'call' ? value : undefined;
  if (['String', 'VARCHAR', 'Unicode', 'CHAR'].includes(name)) {
    const length =
      call === undefined
        ? undefined
        : (numberArgs(call)[0] ??
          (call.kwargs.get('length')?.kind === 'number' ? (call.kwargs.get('length') as { text: string }).text : undefined));
    const base = name === 'CHAR' ? 'CHAR' : 'VARCHAR';
    return length === undefined ? base : `${base}(${length})`;
  }
  if (['Numeric', 'NUMERIC', 'DECIMAL'].includes(name)) {
    const args = call === undefined ? [] : numberArgs(call);
    return args.length === 0 ? 'NUMERIC' : `NUMERIC(${args.join(', ')})`;
  }
  if (['DateTime', 'TIMESTAMP', 'DATETIME'].includes(name)) {
    const tz = call?.kwargs.get('timezone');
    return tz?.kind === 'boolean' && tz.value ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP WITHOUT TIME ZONE';
  }
  if (name === 'ARRAY' && call !== undefined) {
    const inner = call.args[0] === undefined ? undefined : sqlalchemyType(call.args[0]);
    return inner === undefined ? undefined : `${inner}[]`;
  }
  return SIMPLE[name];
}

const ANNOTATIONS: Record<string, string> = {
  int: 'INTEGER',
  str: 'VARCHAR',
  bool: 'BOOLEAN',
  float: 'FLOAT',
  Decimal: 'NUMERIC',
  datetime: 'TIMESTAMP WITHOUT TIME ZONE',
  date: 'DATE',
  time: 'TIME WITHOUT TIME ZONE',
  timedelta: 'INTERVAL',
  UUID: 'UUID',
  bytes: 'BYTEA',
  dict: 'JSON',
  list: 'JSON',
};

/** `Mapped[Optional[int]]` → { type: INTEGER, optional: true }; undefined when it is not a Mapped column. */
export function annotationType(annotation: string): { type: string | undefined; optional: boolean } | undefined {
  const inner = /^Mapped\[(.*)\]$/s.exec(annotation.replace(/\s+/g, ''))?.[1];
  if (inner === undefined) return undefined;
  let core = inner;
  let optional = false;
  const opt = /^Optional\[(.*)\]$/.exec(core)?.[1];
  if (opt !== undefined) {
    core = opt;
    optional = true;
  }
  if (/\|None$|^None\|/.test(core)) {
    core = core.replace(/\|None$|^None\|/, '');
    optional = true;
  }
  core = core.replace(/^["']|["']$/g, '');
  const last = core.slice(core.lastIndexOf('.') + 1).replace(/\[.*$/, '');
  return { type: ANNOTATIONS[last], optional };
}
