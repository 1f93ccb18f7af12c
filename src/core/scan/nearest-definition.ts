/** Which of several files defining the same name (a function, a model) a use means: the one nearest it in the tree. */

const directoriesOf = (file: string): string[] => file.replace(/\\/g, '/').split('/').slice(0, -1);

/** How many leading directories two files share. */
function sharedDepth(a: readonly string[], b: readonly string[]): number {
  let depth = 0;
  while (depth < a.length && depth < b.length && a[depth] === b[depth]) depth++;
  return depth;
}

/**
 * The candidate sharing the most leading directories with the caller's file, or undefined when two or more tie.
 * A scanned tree often holds several apps (a monorepo, fixtures, vendored code) that each define `get_for_update` or
 * `lock_row`; the app the caller belongs to is the deepest shared folder. A tie stays unresolved: saying nothing
 * beats guessing between two equally near definitions.
 */
export function nearestDefinition(callerFile: string, candidates: readonly string[]): string | undefined {
  const caller = directoriesOf(callerFile);
  let best: string | undefined;
  let bestDepth = -1;
  let tied = false;
  for (const candidate of candidates) {
    const depth = sharedDepth(caller, directoriesOf(candidate));
    if (depth > bestDepth) {
      best = candidate;
      bestDepth = depth;
      tied = false;
    } else if (depth === bestDepth) tied = true;
  }
  return tied ? undefined : best;
}
