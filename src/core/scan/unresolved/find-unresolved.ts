/**
 * "Nothing vanishes silently": the calls in one parsed file that look like queries (query-like.ts) but produced no
 * site, each with the reason — a model the project does not declare, a receiver Lockscope cannot type, SQL built at
 * run time, or an ORM call whose shape is not read. Helpers the call graph cannot find are added by the workspace
 * (src/core/lint/unresolved.ts), since only it sees every file.
 */
import type { Node } from 'web-tree-sitter';
import { readsAsSql } from '../../sql/reads-as-sql.js';
import type { ExtractContext } from '../extractor.js';
import { inOtherDialectBranch } from '../lang/python/dialect-branches.js';
import { compactLabel } from '../site-factory.js';
import { descendantsOfType } from '../descendants.js';
import { parentOf, rangeOf } from '../tree-helpers.js';
import type { FileScan, SourceRange, UnresolvedCall, UnresolvedReason } from '../types.js';
import {
  CALL_TYPES,
  callShape,
  handedOn,
  isEnclosingParameter,
  literalArgument,
  outermostCall,
  receiverName,
  type CallShape,
} from './call-shape.js';
import { queryLikeRules, type QueryLikeRules } from './query-like.js';

/** Capitalised names that are the language's own classes, never models (`Object.create`, `File.exists?`). */
const NOT_MODELS = new Set([
  'Object',
  'Array',
  'Promise',
  'Math',
  'JSON',
  'Date',
  'Reflect',
  'Number',
  'String',
  'Symbol',
  'Map',
  'Set',
  'Buffer',
  'Intl',
  'Error',
  'Proxy',
  'WeakMap',
  'URL',
  'File',
  'Dir',
  'Time',
  'Hash',
  'Struct',
  'ENV',
  'Rails',
  'Kernel',
  'Process',
  'IO',
  'Thread',
  'Mutex',
  'Regexp',
  'Integer',
  'Float',
  'Range',
  'Module',
  'Class',
  'ActiveRecord',
]);

/** Statements that open or end transactions are scopes, not sites: their strings are not unresolved queries. */
const TRANSACTION_CONTROL = /^\s*(BEGIN|START|COMMIT|ROLLBACK|RELEASE|END|SAVEPOINT)\b/i;

/** The model a call's receiver names (`Order.objects` in Django, `Order`, `Billing::Invoice`), when it names one. */
function modelName(shape: CallShape, language: ExtractContext['language']): string | undefined {
  const text = shape.receiver?.text ?? '';
  const name = language === 'python' ? /^([A-Z]\w*)\.objects$/.exec(text)?.[1] : /^(?:[A-Z]\w*::)*([A-Z]\w*)$/.exec(text)?.[1];
  return name === undefined || NOT_MODELS.has(name) ? undefined : name;
}

const CALLBACKS = new Set(['func_literal', 'arrow_function', 'function_expression', 'function', 'lambda', 'block', 'do_block']);

/** `execute(select(Ghost)…)`: a statement of a model no file declares is an unknown model, not dynamic SQL. */
function statementModel(arg: Node | undefined, context: ExtractContext): UnresolvedReason | undefined {
  if (arg?.type !== 'call' || context.language !== 'python') return undefined;
  const builder = /^(?:\w+\.)?(select|update|delete|insert)\(\s*([A-Z]\w*)\s*[,)]/.exec(arg.text.replace(/\s+/g, ' '));
  const model = builder?.[2];
  if (model === undefined) return undefined;
  return context.models?.lookup(context.language, model) === undefined ? 'unknown-model' : 'unrecognised-call';
}

/** Why a query-like call produced no site, or undefined when it does not look like a query after all. */
function reasonFor(shape: CallShape, rules: QueryLikeRules, context: ExtractContext): UnresolvedReason | undefined {
  const model = modelName(shape, context.language);
  if (model !== undefined && (rules.modelMethods.has(shape.method) || rules.ormMethods.has(shape.method))) {
    if (context.models?.lookup(context.language, model) === undefined) return 'unknown-model';
    return handedOn(shape.node, parentOf) ? undefined : 'unrecognised-call';
  }
  if (rules.ormMethods.has(shape.method)) {
    // GORM's Clauses only locks with clause.Locking; other clauses (OnConflict, Returning) are not what is missed.
    if (shape.method === 'Clauses' && !shape.args.some((a) => a.text.includes('Locking'))) return undefined;
    return handedOn(shape.node, parentOf) ? undefined : 'unresolved-receiver';
  }
  if (!rules.rawMethods.has(shape.method) || shape.args.length === 0) return undefined;
  const name = shape.receiver === undefined ? undefined : receiverName(shape.receiver);
  if (name === undefined || !rules.driverReceiver.test(name)) return undefined;
  // A callback (database/sql's Conn.Raw(func…), a transaction runner) is not SQL.
  if (shape.args.some((a) => CALLBACKS.has(a.type))) return undefined;
  const literal = literalArgument(shape.args);
  if (literal === undefined) {
    const built = statementModel(shape.args[0], context);
    if (built !== undefined) return built;
    // A helper that runs the statement its callers pass: each caller's statement is judged at its own call.
    const only = shape.args[0];
    if (only?.type === 'identifier' && isEnclosingParameter(shape.node, only.text, parentOf)) return undefined;
    return 'dynamic-sql';
  }
  if (!readsAsSql(literal) || TRANSACTION_CONTROL.test(literal)) return undefined;
  // Readable SQL on a database handle with no site: the scanner did not take the call for a query API.
  return 'unresolved-receiver';
}

const before = (a: { line: number; character: number }, b: { line: number; character: number }): boolean =>
  a.line < b.line || (a.line === b.line && a.character < b.character);
const overlaps = (a: SourceRange, b: SourceRange): boolean => !before(a.end, b.start) && !before(b.end, a.start);

/**
 * The query-like calls of a parsed file that `scan` has no site, subtransaction or followed call for; `root` narrows
 * the search to one top-level statement (the incremental scanner reads a file statement by statement).
 */
export function findUnresolvedCalls(
  context: ExtractContext,
  scan: Pick<FileScan, 'sites' | 'subtransactions' | 'calls'>,
  root: Node = context.tree.rootNode,
): UnresolvedCall[] {
  if (context.language === 'sql') return [];
  const rules = queryLikeRules(context.language);
  if (rules === undefined) return [];
  const covered: SourceRange[] = [...scan.sites.map((s) => s.range), ...scan.subtransactions.map((s) => s.range)];
  const followed = new Set(scan.calls.map((c) => `${c.range.start.line}:${c.range.start.character}`));
  const found = new Map<number, UnresolvedCall>();
  for (const node of descendantsOfType(root, CALL_TYPES[context.language])) {
    const shape = callShape(node, context.language);
    if (shape === undefined) continue;
    const reason = reasonFor(shape, rules, context);
    if (reason === undefined) continue;
    // One entry per chain, the whole chain: `Order.objects.filter(…).select_for_update().get()` is one call.
    const whole = outermostCall(node, context.language, parentOf) ?? shape;
    const range = { start: rangeOf(whole.node).start, end: { line: whole.headEnd.row, character: whole.headEnd.column } };
    if (followed.has(`${range.start.line}:${range.start.character}`) || covered.some((c) => overlaps(c, range))) continue;
    if (context.language === 'python' && inOtherDialectBranch(node)) continue;
    if (found.has(whole.node.id)) continue;
    const head = whole.node.text.slice(0, whole.headEndIndex - whole.node.startIndex);
    found.set(whole.node.id, { file: context.file, range, call: compactLabel(head.replace(/#[^\n]*/g, '')), reason });
  }
  return [...found.values()];
}
