/**
 * The indexed `descendantsOfType` (src/core/scan/descendants.ts) answers exactly what web-tree-sitter's own method
 * does: for every node of real fixture files and of broken text (zero-width MISSING nodes, ERROR nodes, nodes that
 * share their parent's range), asked for one type, for two, and for a type the node itself has.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { Node, Tree } from 'web-tree-sitter';
import { descendantsOfType } from '../../../src/core/scan/descendants.js';
import { parseSource, type GrammarName } from '../../../src/core/scan/grammars.js';
import { languageForFile } from '../../../src/core/scan/languages.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await loadTestGrammars();
});

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Every node of the tree, depth first (named and anonymous), as a cursor walks it. */
function allNodes(tree: Tree): Node[] {
  const out: Node[] = [];
  const visit = (node: Node): void => {
    out.push(node);
    for (const child of node.children) if (child !== null) visit(child);
  };
  visit(tree.rootNode);
  return out;
}

const ids = (nodes: ReadonlyArray<Node | null>): string[] => nodes.map((n) => (n === null ? 'null' : `${n.id}:${n.type}`));

/** Compares the index with the method for each node and a few type sets drawn from the tree's own types. */
function compare(language: GrammarName, text: string, label: string): number {
  const tree = parseSource(language, text);
  try {
    const nodes = allNodes(tree);
    const types = [...new Set(nodes.filter((n) => n.isNamed).map((n) => n.type))].sort();
    let asked = 0;
    nodes.forEach((node, i) => {
      const pick = (k: number): string => types[(i * 7 + k * 13) % types.length] as string;
      const sets: string[][] = [[pick(0)], [pick(1), pick(2)], [node.type, pick(3)], ['ERROR']];
      for (const set of sets) {
        asked++;
        assert.deepEqual(
          ids(descendantsOfType(node, set)),
          ids(node.descendantsOfType(set)),
          `${label}: node ${i} (${node.type} ${node.startIndex}-${node.endIndex}), types ${set.join(',')}`,
        );
      }
    });
    return asked;
  } finally {
    tree.delete();
  }
}

const FIXTURE_FILES = filesUnder(FIXTURES)
  .filter((f) => {
    const language = languageForFile(f);
    return language !== undefined && language !== 'sql';
  })
  .filter((_, i) => i % 3 === 0);

test('the index answers as web-tree-sitter does on fixture files of every language', () => {
  let asked = 0;
  for (const file of FIXTURE_FILES) {
    const text = readFileSync(file, 'utf8');
    if (text.length > 40_000) continue;
    asked += compare(languageForFile(file) as GrammarName, text, file);
  }
  assert.ok(asked > 10_000, `only ${asked} questions asked`);
});

/** Broken and edge-shaped text: MISSING (zero width) and ERROR nodes, empty files, a node sharing its parent's range. */
const EDGES: Array<{ language: GrammarName; text: string }> = [
  { language: 'python', text: '' },
  { language: 'python', text: 'f()' },
  { language: 'python', text: 'def f(:\n    g(\nx = [1, 2\n' },
  { language: 'python', text: 'foo(bar(baz()))\nclass A:\n    def m(self):\n        return self.x(\n' },
  { language: 'typescript', text: 'const a = f(;\nclass B { m() { return this.g( } }\n' },
  { language: 'typescript', text: 'if (a) { b(c(d())) ' },
  { language: 'tsx', text: 'const x = <div>{f(</div>;\n' },
  { language: 'ruby', text: 'class A\n  def m\n    x.each do |y|\n      y.lock!(\n' },
  { language: 'ruby', text: 'a(b(c))' },
  { language: 'go', text: 'package p\nfunc f() {\n\tg(h(\n}\n' },
  { language: 'go', text: 'package p\nvar x = y(\n' },
];

test('the index answers as web-tree-sitter does on broken and edge-shaped text', () => {
  for (const { language, text } of EDGES) compare(language, text, `${language}: ${JSON.stringify(text)}`);
});
