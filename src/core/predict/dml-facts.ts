/** Facts about a DML statement that only execution acts on: columns written, VALUES rows, nextval() calls. */
import type { Node } from '@pgsql/types';
import { constantOf, list, nodeAs, type ConstValue } from '../sql/ast.js';
import { sequenceCalls } from '../sql/statement-facts.js';

export interface DmlFacts {
  /** INSERT column list; undefined when omitted (all columns, in order). */
  insertColumns: string[] | undefined;
  /** Number of values per VALUES row, when the column list is omitted. */
  valuesWidth: number | undefined;
  /** Constant values of the first VALUES row by position (undefined where not a constant). */
  firstRow: Array<ConstValue | undefined>;
  /** UPDATE SET columns. */
  setColumns: string[];
  /** Sequence names passed as literals to nextval/currval/setval anywhere in the statement. */
  sequenceCalls: string[];
}

const targetName = (node: Node): string => nodeAs(node, 'ResTarget')?.name ?? '';

/** The facts of a statement's tree (an EXPLAIN's are those of the statement it explains). */
export function dmlFacts(tree: Node): DmlFacts {
  const stmt = nodeAs(tree, 'ExplainStmt')?.query ?? tree;
  const facts: DmlFacts = {
    insertColumns: undefined,
    valuesWidth: undefined,
    firstRow: [],
    setColumns: [],
    sequenceCalls: sequenceCalls(stmt),
  };
  const insert = nodeAs(stmt, 'InsertStmt');
  if (insert !== undefined) {
    const cols = list(insert.cols).map(targetName);
    facts.insertColumns = cols.length > 0 ? cols : undefined;
    const rows = list(nodeAs(insert.selectStmt, 'SelectStmt')?.valuesLists);
    const first = list(nodeAs(rows[0], 'List')?.items);
    facts.valuesWidth = rows.length > 0 ? first.length : undefined;
    facts.firstRow = first.map(constantOf);
  }
  const update = nodeAs(stmt, 'UpdateStmt');
  if (update !== undefined) facts.setColumns = list(update.targetList).map(targetName);
  return facts;
}
