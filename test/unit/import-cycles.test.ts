/** No import cycles in src/ (type-only imports count: a cycle of types is still two modules that cannot be read apart). */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { importsOf, sourceFiles } from '../support/source-imports.js';

const ROOT = join(__dirname, '..', '..');

/** The file a relative specifier names (`./x.js` is `./x.ts` in the source tree), or undefined for packages. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const candidate of [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts'), base])
    if (existsSync(candidate)) return candidate;
  return undefined;
}

/** Strongly connected components of more than one file (or a file importing itself): Tarjan's algorithm. */
function importCycles(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  return cycles;
}

test('the cycle finder finds a cycle through a type-only import, and none in a chain', () => {
  const cyclic = new Map([
    ['a', ['b']],
    ['b', ['c']],
    ['c', ['a']],
    ['d', ['a']],
  ]);
  assert.deepEqual(importCycles(cyclic), [['a', 'b', 'c']]);
  assert.deepEqual(
    importCycles(
      new Map([
        ['a', ['b']],
        ['b', []],
      ]),
    ),
    [],
  );
  assert.deepEqual(importsOf("import type { X } from './x.js';\nexport type { Y } from './y.js';"), ['./x.js', './y.js']);
});

test('src/ has no import cycles, type imports included', () => {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    const deps = importsOf(readFileSync(file, 'utf8'))
      .map((spec) => target(file, spec))
      .filter((t): t is string => t !== undefined);
    graph.set(file, deps);
  }
  const cycles = importCycles(graph).map((c) => c.map((f) => relative(ROOT, f)).join(' ↔ '));
  assert.deepEqual(cycles, []);
});
