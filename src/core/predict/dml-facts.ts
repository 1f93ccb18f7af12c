/** Facts about a DML statement that only execution acts on: columns written, VALUES rows, nextval() calls. */
import { asNodes, constantOf, unwrap, type ConstValue } from './ast.js';

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

const SEQUENCE_FUNCTIONS = new Set(['nextval', 'currval', 'setval']);

function sequenceCalls(tree: unknown, out: string[] = []): string[] {
  if (Array.isArray(tree)) {
    for (const item of tree) sequenceCalls(item, out);
    return out;
  }
  if (typeof tree !== 'object' || tree === null) return out;
  const call = unwrap(tree, 'FuncCall');
  if (call !== undefined) {
    const names = asNodes(call['funcname']).map((n) => unwrap(n, 'String')?.['sval']);
    const last = names[names.length - 1];
    const first = constantOf(asNodes(call['args'])[0]);
    if (typeof last === 'string' && SEQUENCE_FUNCTIONS.has(last) && first?.kind === 'string') out.push(first.value);
  }
  for (const value of Object.values(tree as Record<string, unknown>)) sequenceCalls(value, out);
  return out;
}

export function dmlFacts(statement: unknown): DmlFacts {
  const explain = unwrap(statement, 'ExplainStmt');
  const stmt = explain !== undefined ? explain['query'] : statement;
  const facts: DmlFacts = {
    insertColumns: undefined,
    valuesWidth: undefined,
    firstRow: [],
    setColumns: [],
    sequenceCalls: sequenceCalls(stmt),
  };
  const insert = unwrap(stmt, 'InsertStmt');
  if (insert !== undefined) {
    const cols = asNodes(insert['cols']).map((c) => String(unwrap(c, 'ResTarget')?.['name'] ?? ''));
    facts.insertColumns = cols.length > 0 ? cols : undefined;
    const rows = asNodes(unwrap(insert['selectStmt'], 'SelectStmt')?.['valuesLists']);
    const first = asNodes(unwrap(rows[0], 'List')?.['items']);
    facts.valuesWidth = rows.length > 0 ? first.length : undefined;
    facts.firstRow = first.map(constantOf);
  }
  const update = unwrap(stmt, 'UpdateStmt');
  if (update !== undefined) {
    facts.setColumns = asNodes(update['targetList']).map((t) => String(unwrap(t, 'ResTarget')?.['name'] ?? ''));
  }
  return facts;
}
