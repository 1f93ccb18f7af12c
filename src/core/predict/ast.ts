/** Small, typed helpers over libpg-query's JSON AST: unwrap a node of a given type, find sublinks, read constants. */
import type { Node, RangeVar, SubLink } from '@pgsql/types';

/** `{ SelectStmt: {...} }` → the inner object when the node has that type. */
export function unwrap<K extends string>(node: unknown, type: K): Record<string, unknown> | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const inner = (node as Record<string, unknown>)[type];
  return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : undefined;
}

export function asNodes(value: unknown): Node[] {
  return Array.isArray(value) ? (value as Node[]) : [];
}

export function rangeVarOf(node: unknown): RangeVar | undefined {
  return unwrap(node, 'RangeVar') as RangeVar | undefined;
}

/**
 * Every SubLink inside an expression tree, outermost first, in source order. Does not descend into a SubLink's
 * own subselect (that is a new query level) — callers recurse through the model instead.
 */
export function findSubLinks(tree: unknown, out: SubLink[] = []): SubLink[] {
  if (Array.isArray(tree)) {
    for (const item of tree) findSubLinks(item, out);
    return out;
  }
  if (typeof tree !== 'object' || tree === null) return out;
  const record = tree as Record<string, unknown>;
  const sublink = unwrap(record, 'SubLink');
  if (sublink !== undefined) {
    out.push(sublink as SubLink);
    // The test expression (`x IN (…)`'s x) may hold sublinks of its own.
    findSubLinks((sublink as SubLink).testexpr, out);
    return out;
  }
  for (const [key, value] of Object.entries(record)) {
    // Nested query levels found through expressions are SubLinks; any other statement node is not an expression.
    if (key === 'SelectStmt' || key === 'RangeSubselect') continue;
    findSubLinks(value, out);
  }
  return out;
}

/** Top-level AND conjuncts of a qual. */
export function conjuncts(qual: unknown): unknown[] {
  if (qual === undefined || qual === null) return [];
  const bool = unwrap(qual, 'BoolExpr');
  if (bool !== undefined && bool['boolop'] === 'AND_EXPR') return asNodes(bool['args']).flatMap(conjuncts);
  return [qual];
}

export type ConstValue = { kind: 'number'; value: bigint | number } | { kind: 'string'; value: string } | { kind: 'null' };

/** A literal (possibly wrapped in a cast) as a comparable value; undefined for anything else (params, expressions). */
export function constantOf(node: unknown): ConstValue | undefined {
  const cast = unwrap(node, 'TypeCast');
  if (cast !== undefined) return constantOf(cast['arg']);
  const aConst = unwrap(node, 'A_Const');
  if (aConst === undefined) return undefined;
  if (aConst['isnull'] === true) return { kind: 'null' };
  const ival = aConst['ival'] as { ival?: number } | undefined;
  if (ival !== undefined) return { kind: 'number', value: ival.ival ?? 0 };
  const fval = aConst['fval'] as { fval?: string } | undefined;
  if (fval !== undefined) {
    const text = fval.fval ?? '0';
    return { kind: 'number', value: /^-?\d+$/.test(text) ? BigInt(text) : Number(text) };
  }
  const sval = aConst['sval'] as { sval?: string } | undefined;
  if (sval !== undefined) return { kind: 'string', value: sval.sval ?? '' };
  return undefined;
}

/** Column reference → its last name part and optional qualifier ("t.k" → {qualifier: 't', column: 'k'}). */
export function columnRefOf(node: unknown): { qualifier: string | undefined; column: string } | undefined {
  const cast = unwrap(node, 'TypeCast');
  if (cast !== undefined) return columnRefOf(cast['arg']);
  const ref = unwrap(node, 'ColumnRef');
  if (ref === undefined) return undefined;
  const names = asNodes(ref['fields']).map((f) => (unwrap(f, 'String')?.['sval'] as string | undefined) ?? '*');
  const column = names[names.length - 1];
  if (column === undefined || column === '*') return undefined;
  return { qualifier: names.length >= 2 ? names[names.length - 2] : undefined, column };
}
