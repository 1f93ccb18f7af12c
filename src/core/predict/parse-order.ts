/** The order in which PostgreSQL's parse analysis opens the relations of a query model. */
import type { FromItem, QueryLevel, RelOccurrence } from './query-model.js';

/**
 * Every relation occurrence in the order parse analysis opens it: WITH first, the DML target before the rest
 * ("must get write lock on INSERT target table before scanning SELECT"), FROM items left to right with their
 * subqueries and JOIN … ON sublinks, then sublinks of the target list, WHERE, HAVING… in transform order, and
 * set-operation arms followed by the set operation's own ORDER BY / LIMIT / OFFSET sublinks.
 * `visit` sees each occurrence; `enterLevel` lets callers track nesting (row-lock push-down).
 */
export function walkParseOrder(level: QueryLevel, visit: (occurrence: RelOccurrence) => void): void {
  for (const cte of level.ctes) walkParseOrder(cte.query, visit);
  if (level.target !== undefined) visit(level.target);
  if (level.insertSource !== undefined) walkParseOrder(level.insertSource, visit);
  const from = (item: FromItem): void => {
    if (item.kind === 'rel') visit(item.rel);
    else if (item.kind === 'join') {
      from(item.left);
      from(item.right);
      for (const link of item.onSublinks) walkParseOrder(link.query, visit);
    } else if (item.kind === 'subquery') walkParseOrder(item.query, visit);
    else if (item.kind === 'other') for (const link of item.sublinks) walkParseOrder(link.query, visit);
  };
  level.from.forEach(from);
  for (const link of level.parseSublinks) walkParseOrder(link.query, visit);
  for (const arm of level.setArms) walkParseOrder(arm, visit);
  for (const link of level.setOpSublinks) walkParseOrder(link.query, visit);
}
