/**
 * The SQL text an expression holds: string literals, `+` concatenations, same-file consts, local variables (with
 * `+=` building), `fmt.Sprintf`, `db.Rebind(q)` and `sqlx.In(q, …)`. Unknown pieces become `?` placeholders.
 */
import type { Node } from 'web-tree-sitter';
import { readsAsSql } from '../../../sql/reads-as-sql.js';
import { lookup, packageOf, type FileFacts } from './facts.js';
import { callArguments, named, stringValue } from './syntax.js';

/** Functions that return their (SQL) argument rewritten for the driver, not a different statement. */
const PASS_THROUGH_METHODS = new Set(['Rebind', 'TrimSpace', 'Trim', 'TrimSuffix', 'TrimPrefix']);

export function sqlText(facts: FileFacts, expr: Node | undefined, depth = 0): string | undefined {
  if (expr === undefined || depth > 12) return undefined;
  const literal = stringValue(expr);
  if (literal !== undefined) return literal;
  switch (expr.type) {
    case 'parenthesized_expression':
      return sqlText(facts, named(expr)[0], depth + 1);
    case 'binary_expression': {
      if (expr.childForFieldName('operator')?.text !== '+') return undefined;
      const left = sqlText(facts, expr.childForFieldName('left') ?? undefined, depth + 1);
      const right = sqlText(facts, expr.childForFieldName('right') ?? undefined, depth + 1);
      if (left === undefined && right === undefined) return undefined;
      return `${left ?? '?'}${right ?? '?'}`;
    }
    case 'identifier':
      return variableText(facts, expr, depth);
    case 'call_expression':
      return callText(facts, expr, 0, depth);
    default:
      return undefined;
  }
}

/** A variable's text at its use: its assignments before the use, in order (`q := "…"; q += " AND …"`). */
function variableText(facts: FileFacts, use: Node, depth: number): string | undefined {
  let text: string | undefined;
  for (const b of lookup(facts, use.text, use)) {
    if (b.op === 'param' || b.op === 'range') return undefined;
    if (b.value === undefined) continue; // `var q string`
    // `q = db.Rebind(q)`: the same statement for lock purposes.
    if (b.value.type === 'call_expression' && isPassThrough(facts, b.value) && callArguments(b.value).some((a) => a.text === use.text))
      continue;
    const value =
      b.value.type === 'call_expression'
        ? callText(facts, b.value, b.index, depth + 1)
        : b.index === 0
          ? sqlText(facts, b.value, depth + 1)
          : undefined;
    if (b.op === '+=') text = text === undefined || value === undefined ? text : text + value;
    else text = value;
  }
  return text;
}

function isPassThrough(facts: FileFacts, call: Node): boolean {
  const fn = call.childForFieldName('function');
  return (
    fn?.type === 'selector_expression' &&
    PASS_THROUGH_METHODS.has(fn.childForFieldName('field')?.text ?? '') &&
    packageOf(facts, fn.childForFieldName('operand') ?? fn) !== 'fmt'
  );
}

/** `fmt.Sprintf(…)`, `sqlx.In(q, …)` (result 0), `db.Rebind(q)`, `strings.TrimSpace(q)`. */
function callText(facts: FileFacts, call: Node, index: number, depth: number): string | undefined {
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'selector_expression' || index !== 0) return undefined;
  const name = fn.childForFieldName('field')?.text ?? '';
  const pkg = packageOf(facts, fn.childForFieldName('operand') ?? fn);
  const args = callArguments(call);
  if (pkg === 'fmt' && name === 'Sprintf') return sprintf(facts, args, depth);
  if (pkg === 'sqlx' && name === 'In') return sqlText(facts, args[0], depth + 1);
  if (pkg === 'sqlx' && name === 'Rebind') return sqlText(facts, args[1], depth + 1);
  if (PASS_THROUGH_METHODS.has(name)) return sqlText(facts, args[0], depth + 1);
  return undefined;
}

const TABLE_POSITION = /\b(?:FROM|JOIN|UPDATE|INTO|TABLE|ONLY)\s+$/i;

/** `%s`/`%v` with a known string argument splice it in (table names); other verbs and unknowns are placeholders. */
function sprintf(facts: FileFacts, args: Node[], depth: number): string | undefined {
  const format = sqlText(facts, args[0], depth + 1);
  if (format === undefined) return undefined;
  let next = 1;
  return format.replace(/%([-+# 0]*\d*(?:\.\d+)?)([a-zA-Z%])/g, (_m, _flags: string, verb: string, offset: number) => {
    if (verb === '%') return '%';
    const arg = args[next++];
    const value = arg === undefined || arg.type === 'variadic_argument' ? undefined : sqlText(facts, arg, depth + 1);
    // An unknown table name: a placeholder cannot stand there, a quoted identifier named after the argument can.
    if (value === undefined && TABLE_POSITION.test(format.slice(0, offset))) return `"${(arg?.text ?? 'table').replace(/\W+/g, '_')}"`;
    if (value === undefined) return '?';
    if (verb === 's' || verb === 'v') return value;
    if (verb === 'q') return `'${value.replace(/'/g, "''")}'`;
    return '?';
  });
}

/** GORM's `@name` named arguments → `:name`, which the placeholder normalizer numbers. */
export const gormNamedArgs = (sql: string): string => sql.replace(/(^|[^\w@:])@([A-Za-z_]\w*)/g, '$1:$2');

/** The first argument that holds SQL text (query APIs put it first, after a ctx, or after a destination). */
export function sqlArgument(facts: FileFacts, args: readonly Node[]): { node: Node; sql: string } | undefined {
  for (const node of args) {
    const sql = sqlText(facts, node);
    if (sql !== undefined && readsAsSql(sql)) return { node, sql };
  }
  return undefined;
}
