/** Whether a target list calls an aggregate or window function (which keeps a subquery from being flattened). */
import { asNodes, unwrap } from './ast.js';

const AGGREGATES = new Set([
  'count',
  'sum',
  'avg',
  'min',
  'max',
  'array_agg',
  'string_agg',
  'bool_and',
  'bool_or',
  'every',
  'json_agg',
  'jsonb_agg',
  'json_object_agg',
  'jsonb_object_agg',
  'stddev',
  'variance',
]);

/** A target list with an aggregate call makes the level non-simple (it cannot be flattened). */
export function hasAggregate(targetList: unknown): boolean {
  let found = false;
  const visit = (tree: unknown): void => {
    if (found || typeof tree !== 'object' || tree === null) return;
    if (Array.isArray(tree)) return tree.forEach(visit);
    const call = unwrap(tree, 'FuncCall');
    if (call !== undefined) {
      const names = asNodes(call['funcname']).map((n) => unwrap(n, 'String')?.['sval']);
      const last = names[names.length - 1];
      if (call['agg_star'] === true || (typeof last === 'string' && AGGREGATES.has(last)) || call['over'] !== undefined) found = true;
    }
    for (const [key, value] of Object.entries(tree)) if (key !== 'SubLink') visit(value);
  };
  visit(targetList);
  return found;
}
