/** The one walk of a query model in the order PostgreSQL's parse analysis opens its relations. */
import type { FromItem, QueryLevel, RelOccurrence } from './query-level.js';

/**
 * Every relation occurrence in the order parse analysis opens it (analyze.c, parse_clause.c, parse_cte.c): WITH
 * first (WITH RECURSIVE in dependency order), the DML target before the rest ("must get write lock on INSERT target
 * table before scanning SELECT"), FROM items left to right with their subqueries and JOIN … ON sublinks after both
 * sides, then the sublinks of the target list, WHERE, HAVING, ORDER BY, GROUP BY, DISTINCT, OFFSET, LIMIT and
 * WINDOW in transform order, and set-operation arms followed by the set operation's own ORDER BY / LIMIT sublinks.
 * `enterLevel` sees each query level as parse analysis enters it (after its WITH clause).
 */
export function walkParseOrder(
  level: QueryLevel,
  visit: (occurrence: RelOccurrence) => void,
  enterLevel?: (level: QueryLevel) => void,
): void {
  for (const cte of level.cteParseOrder) walkParseOrder(cte.query, visit, enterLevel);
  enterLevel?.(level);
  if (level.target !== undefined) visit(level.target);
  if (level.insertSource !== undefined) walkParseOrder(level.insertSource, visit, enterLevel);
  const from = (item: FromItem): void => {
    if (item.kind === 'rel') visit(item.rel);
    else if (item.kind === 'join') {
      from(item.left);
      from(item.right);
      for (const link of item.onSublinks) walkParseOrder(link.query, visit, enterLevel);
    } else if (item.kind === 'subquery') walkParseOrder(item.query, visit, enterLevel);
    else if (item.kind === 'other') for (const link of item.sublinks) walkParseOrder(link.query, visit, enterLevel);
  };
  level.from.forEach(from);
  for (const link of level.parseSublinks) walkParseOrder(link.query, visit, enterLevel);
  for (const arm of level.setArms) walkParseOrder(arm, visit, enterLevel);
  for (const link of level.setOpSublinks) walkParseOrder(link.query, visit, enterLevel);
}

/** The relation occurrences of a model in parse order, as a list. */
export function occurrencesOf(level: QueryLevel): RelOccurrence[] {
  const out: RelOccurrence[] = [];
  walkParseOrder(level, (occurrence) => out.push(occurrence));
  return out;
}
