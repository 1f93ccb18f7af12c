/**
 * cascading-row-locks: a parent row is locked, then child rows are locked one by one in a loop, in the same
 * transaction or function — the gateway incident's pattern. One bulk UPDATE … WHERE parent_id = … replaces it.
 */
import type { Analysis, AnalyzedSite } from '../analyze/analyze.js';
import { functionKey } from '../analyze/summaries.js';
import type { QuerySite, SourcePosition as Position, TransactionScope } from '../scan/types.js';
import { resolveRelation } from '../catalog.js';
import { defineRule, docsPath } from './types.js';
import { inLoop, locksRowsPerIteration, rowLockedTables, rowLocksOf } from './site-facts.js';

const ID = 'cascading-row-locks';

const unitOf = (a: AnalyzedSite): string | undefined => functionKey(a.site.enclosingFunction, a.site.enclosingClass);

const samePosition = (a: Position, b: Position): boolean => a.line === b.line && a.character === b.character;
const notAfter = (a: Position, b: Position): boolean => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** The block is written around the site in its own file, not opened by a function the site calls. */
const opensAround = (transaction: TransactionScope, site: QuerySite): boolean =>
  transaction.id.slice(0, transaction.id.lastIndexOf('#')) === site.file &&
  notAfter(transaction.range.start, site.range.start) &&
  notAfter(site.range.end, transaction.range.end);

function sameUnit(a: AnalyzedSite, b: AnalyzedSite): boolean {
  // A transaction.on_commit callback runs after the commit: it holds nothing of the code around it, nor it of its.
  if (a.site.file !== b.site.file || a.site.afterCommit === true || b.site.afterCommit === true) return false;
  const transaction = a.site.transaction;
  if (transaction === undefined) return unitOf(a) !== undefined && unitOf(a) === unitOf(b);
  if (transaction.id !== b.site.transaction?.id) return false;
  // A transaction a called function opens is a new one at each call: sites carried through two calls share its id,
  // not its rows (saleor: two on_commit callbacks of one helper that opens atomic()).
  return (
    (opensAround(transaction, a.site) && opensAround(transaction, b.site)) ||
    (samePosition(a.site.range.start, b.site.range.start) && samePosition(a.site.range.end, b.site.range.end))
  );
}

const locksRows = (a: AnalyzedSite): boolean =>
  rowLocksOf(a).length > 0 || a.statements.some((s) => s.kind === 'update' || s.kind === 'delete');

/** The child's column referencing the parent, from the catalog's foreign keys when there is one. */
function referencingColumn(analysis: Analysis, child: string | undefined, parent: string | undefined): string {
  const catalog = analysis.catalog;
  const childRelation = catalog === undefined || child === undefined ? undefined : resolveRelation(catalog, undefined, child);
  const parentRelation = catalog === undefined || parent === undefined ? undefined : resolveRelation(catalog, undefined, parent);
  const key = childRelation?.foreignKeys.find((fk) => fk.fromOid === childRelation.oid && fk.toOid === parentRelation?.oid);
  return key === undefined ? `<the column referencing ${parent ?? 'the parent'}>` : key.fromColumns.join(', ');
}

export const cascadingRowLocks = defineRule({
  meta: {
    id: ID,
    description: 'A locked parent row is followed by per-child row locks in a loop.',
    defaultSeverity: 'error',
    docs: docsPath(ID),
  },
  messages: {
    cascade:
      'Cascading row locks: {{parents}} is locked, then {{children}} rows are locked one per iteration. Under concurrency each transaction holds the parent while it waits for children: pile-ups and idle-in-transaction sessions.',
  },
  check(analysis, report) {
    // sameUnit pairs sites of one file only: each child looks through its own file's parents (in site order), not all.
    const parentsByFile = new Map<string, AnalyzedSite[]>();
    for (const a of analysis.sites) {
      if (inLoop(a) || rowLocksOf(a).length === 0) continue;
      const list = parentsByFile.get(a.site.file);
      if (list === undefined) parentsByFile.set(a.site.file, [a]);
      else list.push(a);
    }
    const reported = new Set<string>();
    for (const child of analysis.sites.filter((a) => locksRowsPerIteration(a) && locksRows(a))) {
      const parents = parentsByFile.get(child.site.file) ?? [];
      const parent = parents.find((p) => sameUnit(p, child) && p.site.range.start.line < child.site.range.start.line);
      if (parent === undefined) continue;
      const childTables = rowLockedTables(child);
      const parentTables = rowLockedTables(parent);
      if (childTables.length === 0 || childTables.every((t) => parentTables.includes(t))) continue;
      // One finding per loop: a loop that locks then updates each child, or calls a helper with several locking
      // statements, is one cascade.
      const loop = child.site.loops[child.site.loops.length - 1];
      const at = loop?.range ?? child.site.range;
      const key = `${child.site.file}:${at.start.line}:${at.start.character}`;
      if (reported.has(key)) continue;
      reported.add(key);
      report({
        file: child.site.file,
        range: child.site.range,
        messageId: 'cascade',
        data: { parents: parentTables.join(', '), children: childTables.join(', ') },
        help: `Replace the loop with one statement, e.g. UPDATE ${childTables[0]} SET … WHERE ${referencingColumn(analysis, childTables[0], parentTables[0])} = $1; add NOWAIT/SKIP LOCKED or a lock_timeout.`,
        related: [
          { file: parent.site.file, range: parent.site.range, message: `parent row locked here (${parentTables.join(', ')})` },
          ...(loop === undefined ? [] : [{ file: child.site.file, range: loop.range, message: `per-child loop (${loop.kind})` }]),
        ],
      });
    }
  },
});
