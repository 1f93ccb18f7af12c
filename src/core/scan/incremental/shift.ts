/**
 * A top-level statement's scan moved by whole lines: its text is unchanged and starts at the same column, so every
 * position in it moved by the same number of rows and no column changed. Transaction scopes are copied once each, so
 * sites sharing a scope (and a savepoint's parent) still share one object, with the id a fresh read gives.
 */
import type { ChunkScan } from '../extractor.js';
import type { LoopInfo, SourceRange, TransactionScope } from '../types.js';

export function shiftChunk(scan: ChunkScan, rows: number): ChunkScan {
  if (rows === 0) return scan;
  const range = (r: SourceRange): SourceRange => ({
    start: { line: r.start.line + rows, character: r.start.character },
    end: { line: r.end.line + rows, character: r.end.character },
  });
  const loops = (list: LoopInfo[]): LoopInfo[] => list.map((l) => ({ ...l, range: range(l.range) }));
  const scopes = new Map<TransactionScope, TransactionScope>();
  const scope = (s: TransactionScope | undefined): TransactionScope | undefined => {
    if (s === undefined) return undefined;
    const known = scopes.get(s);
    if (known !== undefined) return known;
    const moved = range(s.range);
    const parent = scope(s.parent);
    const copy: TransactionScope = {
      ...s,
      id: `${s.id.slice(0, s.id.lastIndexOf('#'))}#${moved.start.line}:${moved.start.character}`,
      range: moved,
      parentId: parent?.id,
    };
    if (s.parent !== undefined) copy.parent = parent;
    scopes.set(s, copy);
    return copy;
  };
  return {
    ...scan,
    sites: scan.sites.map((s) => ({ ...s, range: range(s.range), transaction: scope(s.transaction), loops: loops(s.loops) })),
    calls: scan.calls.map((c) => ({ ...c, range: range(c.range), transaction: scope(c.transaction), loops: loops(c.loops) })),
    subtransactions: scan.subtransactions.map((s) => ({ ...s, range: range(s.range), loops: loops(s.loops) })),
    scopeSubtransactions: scan.scopeSubtransactions.map((s) => ({ ...s, range: range(s.range), loops: loops(s.loops) })),
    unresolved: scan.unresolved.map((u) => ({ ...u, range: range(u.range) })),
  };
}
