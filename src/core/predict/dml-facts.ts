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

/**
 * The statements of the data-modifying CTEs of a statement's top-level WITH, by CTE name: PostgreSQL runs each to
 * completion (ExecPostprocessPlan), so their rows are written, checked and routed like the main statement's.
 * Only the top level may hold them (parse analysis rejects them in sub-queries).
 */
export function modifyingCtes(tree: Node): Map<string, Node> {
  const stmt = nodeAs(tree, 'ExplainStmt')?.query ?? tree;
  const out = new Map<string, Node>();
  const withClause =
    nodeAs(stmt, 'SelectStmt')?.withClause ??
    nodeAs(stmt, 'InsertStmt')?.withClause ??
    nodeAs(stmt, 'UpdateStmt')?.withClause ??
    nodeAs(stmt, 'DeleteStmt')?.withClause ??
    nodeAs(stmt, 'MergeStmt')?.withClause;
  for (const item of list(withClause?.ctes)) {
    const cte = nodeAs(item, 'CommonTableExpr');
    const body = cte?.ctequery;
    if (cte?.ctename === undefined || body === undefined || nodeAs(body, 'SelectStmt') !== undefined) continue;
    out.set(cte.ctename, body);
  }
  return out;
}

const targetName = (node: Node): string => nodeAs(node, 'ResTarget')?.name ?? '';

/**
 * The facts of a statement's tree (an EXPLAIN's are those of the statement it explains). `withSequences` false leaves
 * nextval() calls out (a data-modifying CTE's facts: the whole statement's calls are counted once).
 */
export function dmlFacts(tree: Node, withSequences = true): DmlFacts {
  const stmt = nodeAs(tree, 'ExplainStmt')?.query ?? tree;
  const facts: DmlFacts = {
    insertColumns: undefined,
    valuesWidth: undefined,
    firstRow: [],
    setColumns: [],
    sequenceCalls: withSequences ? sequenceCalls(stmt) : [],
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
