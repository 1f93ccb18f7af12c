/**
 * Django `Q(...)` conditions (of partial indexes, conditional unique constraints and check constraints) → SQL, for the
 * lookups that have one plain SQL form: exact, comparisons, isnull, in, combined with `&`, `|` and `~`. Values may be
 * literals or `F("field")`. Anything else returns undefined, and the caller lists the construct as untranslated.
 */
import type { Node } from 'web-tree-sitter';
import { pyValue, type PyValue } from './python-values.js';
import { quoteIdent, quoteLiteral } from './types.js';

/** A field name (or `<fk>_id`) → its column; undefined for a name the model does not have. */
export type ColumnOf = (field: string) => string | undefined;

const COMPARISONS: Readonly<Record<string, string>> = { exact: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

/** A literal or F() as SQL. */
function valueSql(value: PyValue, columnOf: ColumnOf): string | undefined {
  switch (value.kind) {
    case 'string':
      return quoteLiteral(value.value);
    case 'number':
      return value.text;
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'call': {
      const field = value.name === 'F' && value.args[0]?.kind === 'string' ? columnOf(value.args[0].value) : undefined;
      return field === undefined ? undefined : quoteIdent(field);
    }
    default:
      return undefined;
  }
}

/** One `field__lookup=value` term. */
function lookupSql(key: string, value: PyValue, columnOf: ColumnOf): string | undefined {
  const parts = key.split('__');
  const lookup = parts.length > 1 ? parts.pop() : 'exact';
  if (parts.length !== 1 || lookup === undefined) return undefined;
  const column = columnOf(parts[0] ?? '');
  if (column === undefined) return undefined;
  const col = quoteIdent(column);
  if (lookup === 'isnull') return value.kind === 'boolean' ? `${col} IS ${value.value ? '' : 'NOT '}NULL` : undefined;
  if (lookup === 'in') {
    if (value.kind !== 'list') return undefined;
    const items = value.items.map((i) => valueSql(i, columnOf));
    return items.some((i) => i === undefined) ? undefined : `${col} IN (${items.join(', ')})`;
  }
  const operator = COMPARISONS[lookup];
  if (operator === undefined) return undefined;
  if (value.kind === 'none' && lookup === 'exact') return `${col} IS NULL`;
  const sql = valueSql(value, columnOf);
  return sql === undefined ? undefined : `${col} ${operator} ${sql}`;
}

/** A Q expression (a `Q(...)` call, `a & b`, `a | b`, `~a`, parentheses) as SQL, or undefined when not translatable. */
export function qSql(node: Node, columnOf: ColumnOf): string | undefined {
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c !== null && c.type !== 'comment');
      return inner === undefined || inner === null ? undefined : qSql(inner, columnOf);
    }
    case 'unary_operator': {
      const operand = node.childForFieldName('argument');
      const inner = operand === null || node.childForFieldName('operator')?.text !== '~' ? undefined : qSql(operand, columnOf);
      return inner === undefined ? undefined : `NOT (${inner})`;
    }
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.text;
      const [left, right] = [node.childForFieldName('left'), node.childForFieldName('right')];
      if ((operator !== '&' && operator !== '|') || left === null || right === null) return undefined;
      const [l, r] = [qSql(left, columnOf), qSql(right, columnOf)];
      return l === undefined || r === undefined ? undefined : `(${l} ${operator === '&' ? 'AND' : 'OR'} ${r})`;
    }
    case 'call': {
      const call = pyValue(node);
      if (call.kind !== 'call' || call.name !== 'Q') return undefined;
      const terms: Array<string | undefined> = [];
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
        if (arg === null || arg.type === 'comment' || arg.type === 'keyword_argument') continue;
        terms.push(qSql(arg, columnOf));
      }
      for (const [key, value] of call.kwargs) terms.push(lookupSql(key, value, columnOf));
      if (terms.length === 0 || terms.some((t) => t === undefined)) return undefined;
      return terms.length === 1 ? terms[0] : `(${terms.join(' AND ')})`;
    }
    default:
      return undefined;
  }
}
