/** JS/TS shape: loop statements and iterator callbacks, function names, and transaction blocks of every ORM. */
import { jsClassName } from './class-members.js';
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { callAt, siteAt, subtransactionAt, type LanguageShape, type SiteFields } from '../../site-factory.js';
import { transactionAt, type ScopeMark } from '../../scopes.js';
import { rangeOf, parentOf } from '../../tree-helpers.js';
import type { CallSite, FileScan, LoopInfo, QuerySite, SubtransactionSite } from '../../types.js';
import { chainOf, compactChain, lastName, methodCall, named, objectProp, stringValue, unwrap } from './syntax.js';

const FUNCTION_TYPES = [
  'function_declaration',
  'generator_function_declaration',
  'method_definition',
  'arrow_function',
  'function_expression',
  'function',
];

/** Array/iterator methods whose callback runs once per element. */
export const ITERATOR_METHODS = new Set([
  'forEach',
  'map',
  'flatMap',
  'filter',
  'reduce',
  'reduceRight',
  'some',
  'every',
  'find',
  'findIndex',
  'each',
  'eachSeries',
  'mapSeries',
  'forEachSeries',
  'mapLimit',
  'eachLimit',
]);

const isFunction = (n: Node): boolean => FUNCTION_TYPES.includes(n.type);

/** The name a function node is known by; anonymous callbacks take the name of the function around them. */
export function functionName(node: Node): string | undefined {
  const own = node.childForFieldName('name');
  if (own !== null) return own.text;
  const parent = parentOf(node);
  if (parent?.type === 'variable_declarator') return parent.childForFieldName('name')?.text;
  if (parent?.type === 'public_field_definition' || parent?.type === 'field_definition')
    return (parent.childForFieldName('name') ?? parent.childForFieldName('property'))?.text;
  if (parent?.type === 'pair') return stringValue(parent.childForFieldName('key') ?? undefined) ?? parent.childForFieldName('key')?.text;
  if (parent?.type === 'assignment_expression') return lastName(parent.childForFieldName('left'));
  for (let a = parentOf(node); a !== null; a = parentOf(a)) if (isFunction(a)) return functionName(a);
  return undefined;
}

function loopKind(node: Node, child: Node): string | undefined {
  switch (node.type) {
    case 'for_statement':
      return node.childForFieldName('initializer')?.id === child.id ? undefined : 'for';
    case 'for_in_statement': {
      if (node.childForFieldName('body')?.id !== child.id) return undefined; // the iterable is evaluated once
      const tokens = node.children.filter((c) => c !== null && !c.isNamed).map((c) => c?.type);
      return tokens.includes('await') ? 'for await' : tokens.includes('in') ? 'for…in' : 'for…of';
    }
    case 'while_statement':
      return 'while';
    case 'do_statement':
      return 'do…while';
    default:
      return undefined;
  }
}

/** Loops around a node, outermost first: loop statements and callbacks of `.forEach(`, `.map(`… */
export function jsLoopsAround(node: Node): LoopInfo[] {
  const loops: LoopInfo[] = [];
  let child = node;
  for (let a = parentOf(node); a !== null; child = a, a = parentOf(a)) {
    const kind = loopKind(a, child);
    if (kind !== undefined) loops.unshift({ range: rangeOf(a), kind });
    if (isFunction(a) && parentOf(a)?.type === 'arguments') {
      const call = parentOf(parentOf(a));
      const m = call === null ? undefined : methodCall(call);
      if (m !== undefined && call !== null && ITERATOR_METHODS.has(m.method))
        loops.unshift({ range: rangeOf(call), kind: `.${m.method}() callback` });
    }
  }
  return loops;
}

/** Names the file binds to transaction objects (callback parameters of `.transaction(…)`, `const t = await x.transaction()`). */
export interface ScopeHints {
  transactionNames: ReadonlySet<string>;
}

const BEGIN_SQL = /^\s*(begin|start\s+transaction)\b/i;

/** Statement opening a transaction that later statements of the block run in (BEGIN, startTransaction()…). */
function opensTransaction(statement: Node): string | undefined {
  let expr: Node | undefined;
  if (statement.type === 'expression_statement') expr = named(statement)[0];
  else if (statement.type === 'lexical_declaration' || statement.type === 'variable_declaration')
    expr = named(statement)[0]?.childForFieldName('value') ?? undefined;
  if (expr === undefined) return undefined;
  const m = methodCall(unwrap(expr));
  if (m === undefined) return undefined;
  const args = named(m.call.childForFieldName('arguments') ?? m.call);
  // Kysely controlled transaction: `await db.startTransaction().execute()`.
  if (m.method === 'execute' && chainOf(m.call).links.some((l) => l.name === 'startTransaction')) return 'startTransaction().execute()';
  if (m.method === 'query' || m.method === 'raw' || m.method === 'execute') {
    const first = args[0];
    const text = stringValue(first) ?? stringValue(objectProp(first, 'text'));
    return text !== undefined && BEGIN_SQL.test(text) ? 'BEGIN … COMMIT' : undefined;
  }
  if (m.method === 'startTransaction') return `${compactChain(m.receiver)}.startTransaction()`;
  if (m.method === 'transaction' && !args.some((a) => isFunction(unwrap(a)))) return `${compactChain(m.receiver)}.transaction()`;
  return undefined;
}

/** The scope detector: callbacks of transaction APIs, `$transaction([…])` arrays, and blocks that BEGIN. */
export function makeScopeDetector(hints: ScopeHints): (node: Node) => ScopeMark | undefined {
  const cache = new Map<number, ScopeMark | undefined>();
  return (node) => {
    if (cache.has(node.id)) return cache.get(node.id);
    const mark = detect(node, hints);
    cache.set(node.id, mark);
    return mark;
  };
}

function detect(node: Node, hints: ScopeHints): ScopeMark | undefined {
  if (node.type === 'statement_block') {
    for (const statement of named(node)) {
      const kind = opensTransaction(statement);
      if (kind !== undefined) return { kind, savepoint: false };
    }
    return undefined;
  }
  if (!(isFunction(node) || node.type === 'array') || node.parent?.type !== 'arguments') return undefined;
  const call = node.parent.parent;
  const m = call === null ? undefined : methodCall(call);
  if (m === undefined) return undefined;
  const receiver = lastName(m.receiver) ?? '';
  const onTransaction = hints.transactionNames.has(receiver);
  if (m.method === '$transaction')
    // Prisma has no nested transactions: `$transaction` always begins one of its own on the root client.
    return { kind: node.type === 'array' ? 'prisma.$transaction([…])' : 'prisma.$transaction', savepoint: false, independent: true };
  if (node.type === 'array') return undefined;
  if (m.method === 'transaction') {
    // Sequelize: `sequelize.transaction({ transaction: t }, cb)` opens a savepoint in t.
    const options = named(m.call.childForFieldName('arguments') ?? m.call)[0];
    const savepoint = onTransaction || objectProp(options, 'transaction') !== undefined;
    return { kind: `${compactChain(m.receiver)}.transaction`, savepoint };
  }
  if (m.method === 'savepoint') return { kind: `${receiver}.savepoint`, savepoint: true };
  if (m.method === 'execute' && chainOf(m.call).links.some((l) => l.name === 'transaction' && l.args !== undefined))
    return { kind: 'transaction().execute', savepoint: false };
  return undefined;
}

export function makeShape(hints: ScopeHints): LanguageShape {
  return { loopTypes: {}, functionTypes: FUNCTION_TYPES, detectScope: makeScopeDetector(hints), functionName, className: jsClassName };
}

/** The factory's builders, with loops that include iterator callbacks. */
export function jsSiteAt(context: ExtractContext, shape: LanguageShape, node: Node, fields: SiteFields): QuerySite {
  return { ...siteAt(context, shape, node, fields), loops: jsLoopsAround(node) };
}

export function jsSubtransactionAt(context: ExtractContext, shape: LanguageShape, node: Node, kind: string): SubtransactionSite {
  return { ...subtransactionAt(context, shape, node, kind), loops: jsLoopsAround(node) };
}

export function jsCallAt(context: ExtractContext, shape: LanguageShape, node: Node, callee: string, calleeClass?: string): CallSite {
  return { ...callAt(context, shape, node, callee), loops: jsLoopsAround(node), ...(calleeClass === undefined ? {} : { calleeClass }) };
}

/** Nested transaction blocks (and savepoint APIs) are subtransactions; like addNestedScopeSubtransactions, with callback loops. */
export function addNestedScopes(scan: FileScan, context: ExtractContext, shape: LanguageShape, root: Node): void {
  const visit = (node: Node): void => {
    if (shape.detectScope(node) !== undefined) {
      const scope = transactionAt(context.file, node, shape.detectScope, true);
      const at = node.type === 'statement_block' ? node : (parentOf(parentOf(node)) ?? node); // report at the call that opens it
      if (scope?.nested === true) scan.subtransactions.push(jsSubtransactionAt(context, shape, at, `${scope.kind} (a SAVEPOINT)`));
    }
    for (const child of named(node)) visit(child);
  };
  visit(root);
}
