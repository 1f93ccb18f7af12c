/**
 * The edit between two versions of a text, as tree-sitter's `Tree.edit` wants it: the changed span found by the
 * common prefix and suffix (the editor sends whole texts; one keystroke is one small span), in UTF-16 code units and
 * rows/columns, which is how web-tree-sitter counts in JavaScript strings.
 */
import type { Edit, Point } from 'web-tree-sitter';

/** The row and column of `index` in `text`, counting rows from a known point before it. */
function pointAt(text: string, index: number, from: { index: number; point: Point } = { index: 0, point: { row: 0, column: 0 } }): Point {
  let row = from.point.row;
  let lineStart = from.index - from.point.column;
  for (let at = text.indexOf('\n', from.index); at !== -1 && at < index; at = text.indexOf('\n', at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return { row, column: index - lineStart };
}

/** The edit turning `before` into `after`, or undefined when they are equal. */
export function textEdit(before: string, after: string): Edit | undefined {
  if (before === after) return undefined;
  const shorter = Math.min(before.length, after.length);
  let start = 0;
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // The common suffix may not reach into the common prefix of either text.
  let suffix = 0;
  while (suffix < shorter - start && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix))
    suffix++;
  const oldEndIndex = before.length - suffix;
  const newEndIndex = after.length - suffix;
  const startPosition = pointAt(before, start);
  const fromStart = { index: start, point: startPosition };
  return {
    startIndex: start,
    oldEndIndex,
    newEndIndex,
    startPosition,
    oldEndPosition: pointAt(before, oldEndIndex, fromStart),
    newEndPosition: pointAt(after, newEndIndex, fromStart),
  };
}
