/**
 * Site, subtransaction and call records through the shared factory, with Ruby's loops (iterator blocks are loops
 * the node-type table cannot express) and a range that stops before a trailing block, so the block's own lines stay
 * separate sites.
 */
import type { Node } from 'web-tree-sitter';
import type { ExtractContext } from '../../extractor.js';
import { addRawSqlSite, callAt, siteAt, subtransactionAt, type SiteFields } from '../../site-factory.js';
import { transactionAt } from '../../scopes.js';
import { rangeOf } from '../../tree-helpers.js';
import type { FileScan, QuerySite, SiteOrigin, SourceRange } from '../../types.js';
import { rubyLoops, rubyShape } from './shape.js';
import { blockOf, isCall } from './syntax.js';

/** The call's range without its `do … end` / `{ … }` block. */
export function rangeWithoutBlock(node: Node): SourceRange {
  const range = rangeOf(node);
  const block = isCall(node) ? blockOf(node) : null;
  if (block === null) return range;
  const before = block.previousSibling ?? node.childForFieldName('method');
  return before === null ? range : { start: range.start, end: rangeOf(before).end };
}

export function emitSite(
  scan: FileScan,
  context: ExtractContext,
  node: Node,
  fields: SiteFields,
  options: { inclusiveTransaction?: boolean } = {},
): QuerySite {
  const site = siteAt(context, rubyShape, node, fields);
  site.range = rangeWithoutBlock(node);
  site.loops = rubyLoops(node);
  // `record.with_lock do`: the lock is the first statement of the transaction the block opens.
  if (options.inclusiveTransaction === true) site.transaction = transactionAt(context.file, node, rubyShape.detectScope, true);
  scan.sites.push(site);
  return site;
}

export function emitRawSql(scan: FileScan, context: ExtractContext, node: Node, sql: string, origin: SiteOrigin, label: string): void {
  if (!addRawSqlSite(scan, context, rubyShape, node, sql, origin, label)) return;
  const site = scan.sites[scan.sites.length - 1];
  if (site === undefined) return;
  site.range = rangeWithoutBlock(node);
  site.loops = rubyLoops(node);
}

export function emitSubtransaction(scan: FileScan, context: ExtractContext, node: Node, kind: string): void {
  const sub = subtransactionAt(context, rubyShape, node, kind);
  sub.loops = rubyLoops(node);
  scan.subtransactions.push(sub);
}

export function emitCall(scan: FileScan, context: ExtractContext, node: Node, callee: string): void {
  const call = callAt(context, rubyShape, node, callee);
  call.loops = rubyLoops(node);
  scan.calls.push(call);
}
