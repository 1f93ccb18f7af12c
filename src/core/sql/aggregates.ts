/** Whether a target list calls an aggregate or window function (which keeps a subquery from being flattened). */
import type { Node } from '@pgsql/types';
import { functionName, nodeAs, walkTree } from './ast.js';

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

/** A target list with an aggregate call (outside its sublinks) makes the level non-simple (it cannot be flattened). */
export function hasAggregate(targetList: readonly Node[] | undefined): boolean {
  let found = false;
  walkTree(targetList, (node) => {
    if (found || nodeAs(node, 'SubLink') !== undefined) return false;
    const call = nodeAs(node, 'FuncCall');
    if (call !== undefined && (call.agg_star === true || AGGREGATES.has(functionName(call.funcname)) || call.over !== undefined))
      found = true;
    return !found;
  });
  return found;
}
