/**
 * Builds QuerySites, SubtransactionSites and CallSites from tree nodes the same way for every language: range, loops,
 * enclosing function and transaction scope come from the language's shape, the SQL and label from the extractor.
 */
import type { Node } from 'web-tree-sitter';
import { normalizePlaceholders } from '../sql/index.js';
import type { ExtractContext } from './extractor.js';
import { transactionAt, type ScopeDetector } from './scopes.js';
import { enclosingFunctionName, rangeOf, parentOf } from './tree-helpers.js';
import type { CallSite, FileScan, LoopInfo, QuerySite, SiteOrigin, SubtransactionSite } from './types.js';
import { descendantsOfType } from './descendants.js';

/** What an extractor tells the factory about its language's syntax. */
export interface LanguageShape {
  /** Loop node types and what to call them ("for", "each block"). */
  loopTypes: Record<string, string>;
  /** Function-like node types whose `name` field names the enclosing function. */
  functionTypes: readonly string[];
  /** Nodes that open a transaction block. */
  detectScope: ScopeDetector;
  /** Optional: every node type detectScope marks (nested scopes are then looked for among these only). */
  scopeTypes?: readonly string[];
  /** Optional: names a function node that has no `name` field (Go methods, JS arrow functions bound to a const). */
  functionName?: (node: Node) => string | undefined;
  /**
   * Optional: whether `child` (the loop's child on the way to the site) runs once per iteration. The iterable of
   * `for x in session.query(…)` runs once; without this every part of a loop node counts as its body.
   */
  repeats?: (loop: Node, child: Node) => boolean;
  /** Optional: the class a function node is a method of (its summaries are keyed `Class.method`). */
  className?: (fn: Node) => string | undefined;
}

/** Loops around a node, outermost first, counting only the parts of a loop that run per iteration. */
export function loopsOf(shape: LanguageShape, node: Node): LoopInfo[] {
  const loops: LoopInfo[] = [];
  let child = node;
  for (let a = parentOf(node); a !== null; child = a, a = parentOf(a)) {
    const kind = shape.loopTypes[a.type];
    if (kind === undefined) continue;
    if (shape.repeats !== undefined && !shape.repeats(a, child)) continue;
    loops.unshift({ range: rangeOf(a), kind });
  }
  return loops;
}

function enclosingFunction(shape: LanguageShape, node: Node): string | undefined {
  if (shape.functionName === undefined) return enclosingFunctionName(node, shape.functionTypes);
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (shape.functionTypes.includes(a.type)) return shape.functionName(a) ?? a.childForFieldName('name')?.text;
  }
  return undefined;
}

/** `{ enclosingClass }` when the innermost function around the node is a method the shape can name the class of. */
function enclosingClass(shape: LanguageShape, node: Node): { enclosingClass?: string } {
  if (shape.className === undefined) return {};
  for (let a = parentOf(node); a !== null; a = parentOf(a)) {
    if (!shape.functionTypes.includes(a.type)) continue;
    const name = shape.className(a);
    return name === undefined ? {} : { enclosingClass: name };
  }
  return {};
}

export interface SiteFields {
  origin: SiteOrigin;
  sql: string;
  synthesized: boolean;
  confidence: QuerySite['confidence'];
  label: string;
}

export function siteAt(context: ExtractContext, shape: LanguageShape, node: Node, fields: SiteFields): QuerySite {
  return {
    file: context.file,
    language: context.language,
    range: rangeOf(node),
    ...fields,
    transaction: transactionAt(context.file, node, shape.detectScope),
    loops: loopsOf(shape, node),
    enclosingFunction: enclosingFunction(shape, node),
    ...enclosingClass(shape, node),
  };
}

/**
 * A raw SQL string passed to a query API: driver placeholders become $n. Returns false (and records a problem) when
 * the text is not SQL Lockscope can read, so the caller can skip it.
 */
export function addRawSqlSite(
  scan: FileScan,
  context: ExtractContext,
  shape: LanguageShape,
  node: Node,
  sql: string,
  origin: SiteOrigin,
  label?: string,
): boolean {
  const trimmed = sql.trim();
  if (trimmed === '') return false;
  let text = trimmed;
  try {
    text = normalizePlaceholders(trimmed).text;
  } catch {
    // The SQL scanner rejects it (an unterminated quote…): keep the text, the analysis reports the parse error.
  }
  scan.sites.push(
    siteAt(context, shape, node, { origin, sql: text, synthesized: false, confidence: 'exact', label: label ?? compactLabel(trimmed) }),
  );
  return true;
}

export function compactLabel(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export function subtransactionAt(context: ExtractContext, shape: LanguageShape, node: Node, kind: string): SubtransactionSite {
  return {
    file: context.file,
    language: context.language,
    range: rangeOf(node),
    kind,
    loops: loopsOf(shape, node),
    enclosingFunction: enclosingFunction(shape, node),
    ...enclosingClass(shape, node),
  };
}

export function callAt(context: ExtractContext, shape: LanguageShape, node: Node, callee: string): CallSite {
  return {
    file: context.file,
    range: rangeOf(node),
    callee,
    enclosingFunction: enclosingFunction(shape, node),
    ...enclosingClass(shape, node),
    transaction: transactionAt(context.file, node, shape.detectScope),
    loops: loopsOf(shape, node),
  };
}

/** Nested transaction blocks are subtransactions: one SubtransactionSite per scope node that is nested. */
export function addNestedScopeSubtransactions(scan: FileScan, context: ExtractContext, shape: LanguageShape, root: Node): void {
  const check = (node: Node): void => {
    if (shape.detectScope(node) !== undefined) {
      const scope = transactionAt(context.file, node, shape.detectScope, true);
      if (scope?.nested === true) scan.subtransactions.push(subtransactionAt(context, shape, node, `${scope.kind} (a SAVEPOINT)`));
    }
  };
  // The named nodes of the types the detector marks, in the order a walk over named children meets them.
  if (shape.scopeTypes !== undefined) {
    for (const node of descendantsOfType(root, shape.scopeTypes)) if (node.isNamed) check(node);
    return;
  }
  const visit = (node: Node): void => {
    check(node);
    for (const child of node.namedChildren) if (child !== null) visit(child);
  };
  visit(root);
}
