/**
 * WHERE conjuncts → restrictions on one partition key, as PostgreSQL's plan-time pruning reads them: constants (cast
 * or not) read as the key's type, `=`/`<`/`<=`/`>`/`>=`, IN and `= ANY (ARRAY[…])`, `<>`/NOT IN/`<> ALL`, BETWEEN,
 * IS [NOT] NULL, OR of such (each arm a union), and equalities implied through join equivalence (`a.k = b.k AND
 * b.k = 5`). Stable cross-type comparisons and non-constant expressions restrict nothing (no plan-time decision).
 */
import type { Node } from '@pgsql/types';
import type { CatalogEnumLabel } from '../catalog.js';
import { columnRefOf, constantOf, itemsOf, list, nodeAs, stringOf } from '../sql/ast.js';
import { isStableCrossType, typedValue, type KeyFamily } from './key-values.js';
import type { BoundValue, KeyRestriction } from './partition-bounds.js';

export interface KeyColumn {
  column: string;
  /** Names the relation is visible under at this query level (alias and table name). */
  names: Set<string>;
  family: KeyFamily;
  /** The key's enum labels in sort order (an enum key), so that enum values compare by order. */
  enumLabels?: readonly CatalogEnumLabel[] | null;
}

/** One conjunct's effect: plain restrictions (ANDed) or OR arms (each a list of ANDed restrictions). */
export type KeyCondition = { restrictions: KeyRestriction[] } | { arms: KeyRestriction[][] };

const MIRRORED: Record<string, '=' | '<' | '<=' | '>' | '>='> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function isKey(node: unknown, key: KeyColumn): boolean {
  if (nodeAs(node, 'TypeCast') !== undefined) return false; // k::text = … compares an expression, not the key
  const col = columnRefOf(node);
  return col !== undefined && col.column === key.column && (col.qualifier === undefined || key.names.has(col.qualifier));
}

/** A constant operand read as the key's type; undefined when PostgreSQL would not decide at plan time. */
function keyConstant(node: unknown, key: KeyColumn): BoundValue | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) {
    const names = list(cast.typeName?.names).map((n) => stringOf(n) ?? '');
    const target = names[names.length - 1] ?? '';
    if (isStableCrossType(key.family, target)) return undefined;
    return keyConstant(cast.arg, key);
  }
  // -30::bigint parses as -(30::bigint); the planner folds it to a constant before pruning.
  const negated = nodeAs(node, 'A_Expr');
  if (negated?.kind === 'AEXPR_OP' && negated.lexpr === undefined && stringOf(negated.name?.[0]) === '-') {
    const inner = keyConstant(negated.rexpr, key);
    if (inner?.kind !== 'number') return undefined;
    return { kind: 'number', value: typeof inner.value === 'bigint' ? -inner.value : -inner.value };
  }
  const constant = nodeAs(node, 'A_Const');
  if (constant?.boolval !== undefined)
    return typedValue({ kind: 'string', value: constant.boolval.boolval === true ? 'true' : 'false' }, key.family, key.enumLabels);
  const value = constantOf(node);
  return value === undefined ? undefined : typedValue(value, key.family, key.enumLabels);
}

function constants(nodes: readonly unknown[], key: KeyColumn): BoundValue[] | undefined {
  const values = nodes.map((n) => keyConstant(n, key));
  return values.every((v): v is BoundValue => v !== undefined) ? values : undefined;
}

/** Elements of ARRAY[…] (possibly cast as a whole), or undefined for anything else (a parameter, a column). */
function arrayItems(node: unknown): readonly unknown[] | undefined {
  const cast = nodeAs(node, 'TypeCast');
  if (cast !== undefined) return arrayItems(cast.arg);
  const array = nodeAs(node, 'A_ArrayExpr');
  return array === undefined ? undefined : list(array.elements);
}

/**
 * `k <> v`. On a boolean key the planner first simplifies `k <> true` to `NOT k` and `k <> false` to `k`
 * (simplify_boolean_equality), which partition pruning reads as `k = false` / `k = true`: an equality step, which
 * prunes hash partitions and NULL-accepting list partitions that `<>` keeps.
 */
function notEqual(value: BoundValue, key: KeyColumn): KeyRestriction[] {
  if (key.family === 'boolean' && value.kind === 'number')
    return [{ op: '=', value: { kind: 'number', value: value.value === 0n ? 1n : 0n } }];
  return [{ op: 'ne', values: [value] }];
}

function exprRestriction(conjunct: Node, key: KeyColumn): KeyRestriction[] | undefined {
  const expr = nodeAs(conjunct, 'A_Expr');
  if (expr === undefined) return undefined;
  const op = stringOf(expr.name?.[0]) ?? '';
  const flipped = !isKey(expr.lexpr, key);
  if (flipped && !isKey(expr.rexpr, key)) return undefined;
  const other = flipped ? expr.lexpr : expr.rexpr;
  if (expr.kind === 'AEXPR_IN' || expr.kind === 'AEXPR_OP_ANY' || expr.kind === 'AEXPR_OP_ALL') {
    if (flipped) return undefined;
    const items = expr.kind === 'AEXPR_IN' ? itemsOf(other) : arrayItems(other);
    const values = items === undefined ? undefined : constants(items, key);
    if (values === undefined) return undefined;
    const any = expr.kind === 'AEXPR_IN' ? op === '=' : expr.kind === 'AEXPR_OP_ANY';
    if (any && op === '=') return [{ op: 'in', values }];
    // A one-item NOT IN is parsed as a plain `<>` (transformAExprIn), which a boolean key turns into an equality.
    const [only] = values;
    if (!any && op === '<>' && expr.kind === 'AEXPR_IN' && values.length === 1 && only !== undefined) return notEqual(only, key);
    if (!any && op === '<>') return [{ op: 'ne', values }];
    return undefined;
  }
  if (expr.kind === 'AEXPR_BETWEEN' && !flipped) {
    const bounds = constants(itemsOf(other), key);
    const [lo, hi] = bounds ?? [];
    return lo !== undefined && hi !== undefined
      ? [
          { op: '>=', value: lo },
          { op: '<=', value: hi },
        ]
      : undefined;
  }
  if (expr.kind !== 'AEXPR_OP') return undefined;
  if (nodeAs(other, 'ParamRef') !== undefined) return op === '=' ? [{ op: 'param-eq' }] : undefined;
  const value = keyConstant(other, key);
  if (value === undefined) return undefined;
  if (op === '<>' || op === '!=') return notEqual(value, key);
  const mirrored = MIRRORED[op];
  if (mirrored === undefined) return undefined;
  return [{ op: flipped ? mirrored : (op as '=' | '<' | '<=' | '>' | '>='), value }];
}

/** The restrictions one conjunct puts on the key, or undefined when it says nothing about it. */
function conjunctRestrictions(conjunct: Node, key: KeyColumn): KeyCondition | undefined {
  const nullTest = nodeAs(conjunct, 'NullTest');
  if (nullTest !== undefined) {
    if (!isKey(nullTest.arg, key)) return undefined;
    return { restrictions: [{ op: nullTest.nulltesttype === 'IS_NULL' ? 'is-null' : 'is-not-null' }] };
  }
  const bool = nodeAs(conjunct, 'BoolExpr');
  if (bool?.boolop === 'AND_EXPR') {
    const parts = list(bool.args).map((a) => conjunctRestrictions(a, key));
    const plain = parts.flatMap((p) => (p !== undefined && 'restrictions' in p ? p.restrictions : []));
    return plain.length > 0 ? { restrictions: plain } : undefined;
  }
  if (bool?.boolop === 'OR_EXPR') {
    // Every arm must restrict the key, or the OR keeps everything.
    const arms: KeyRestriction[][] = [];
    for (const arg of list(bool.args)) {
      const arm = conjunctRestrictions(arg, key);
      if (arm === undefined) return undefined;
      if ('restrictions' in arm) arms.push(arm.restrictions);
      else arms.push(...arm.arms);
    }
    return { arms };
  }
  const restrictions = exprRestriction(conjunct, key);
  return restrictions === undefined ? undefined : { restrictions };
}

const refKey = (node: unknown): string | undefined => {
  if (nodeAs(node, 'TypeCast') !== undefined) return undefined;
  const col = columnRefOf(node);
  return col?.qualifier === undefined ? undefined : `${col.qualifier}.${col.column}`;
};

/**
 * Equalities with a constant implied for the key through `x.a = y.b` conjuncts (the planner's equivalence classes):
 * `a.k = b.k AND b.k = 5` restricts a.k to 5 as well.
 */
function impliedEqualities(quals: readonly Node[], key: KeyColumn): Node[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) as string;
    return root;
  };
  const equalities: Array<{ ref: string; other: Node }> = [];
  for (const q of quals) {
    const expr = nodeAs(q, 'A_Expr');
    if (expr?.kind !== 'AEXPR_OP' || stringOf(expr.name?.[0]) !== '=' || expr.lexpr === undefined || expr.rexpr === undefined) continue;
    const l = refKey(expr.lexpr);
    const r = refKey(expr.rexpr);
    if (l !== undefined && r !== undefined) parent.set(find(l), find(r));
    else if (l !== undefined) equalities.push({ ref: l, other: expr.rexpr });
    else if (r !== undefined) equalities.push({ ref: r, other: expr.lexpr });
  }
  const own = [...key.names].map((n) => find(`${n}.${key.column}`));
  const implied: Node[] = [];
  for (const e of equalities) {
    const [qualifier] = e.ref.split('.');
    if (qualifier !== undefined && key.names.has(qualifier)) continue; // already a direct restriction
    if (!own.includes(find(e.ref))) continue;
    implied.push({
      A_Expr: {
        kind: 'AEXPR_OP',
        name: [{ String: { sval: '=' } }],
        lexpr: { ColumnRef: { fields: [{ String: { sval: key.column } }] } },
        rexpr: e.other,
      },
    });
  }
  return implied;
}

/** Every condition the query level's conjuncts put on the key (direct and implied). */
export function keyConditions(quals: readonly Node[], key: KeyColumn): KeyCondition[] {
  // A boolean `k = true` is simplified to the clause `k` before equivalence classes form: nothing is implied.
  const implied = key.family === 'boolean' ? [] : impliedEqualities(quals, key);
  return [...quals, ...implied].flatMap((q) => {
    const c = conjunctRestrictions(q, key);
    return c === undefined ? [] : [c];
  });
}
