/** parentOf remembers parent links per tree: the same answers as web-tree-sitter's `.parent`, for every node of every language. */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Node } from 'web-tree-sitter';
import { parseSource, type GrammarName } from '../../../src/core/scan/grammars.js';
import { ancestors, parentOf } from '../../../src/core/scan/tree-helpers.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(() => loadTestGrammars());

const SOURCES: Array<[GrammarName, string]> = [
  ['python', 'def f(s):\n    with s.begin():\n        for x in xs:\n            s.execute(text("SELECT 1"))\n'],
  ['javascript', 'async function f(db) { await db.transaction(async (t) => { for (const x of xs) await t("a").forUpdate(); }); }'],
  ['typescript', 'class A { constructor(private s: S) {} m() { return this.s.q.lock(); } }'],
  ['ruby', 'def f\n  Order.transaction do\n    xs.each { |x| Order.lock.find(x) }\n  end\nend\n'],
  ['go', 'package p\nfunc f(db *sql.DB) { for _, x := range xs { db.Query("SELECT 1", x) } }\n'],
];

function all(node: Node): Node[] {
  return [node, ...node.children.filter((c): c is Node => c !== null).flatMap(all)];
}

test('parentOf equals .parent for every node, asked once or twice, and ancestors reach the root', () => {
  for (const [language, text] of SOURCES) {
    const tree = parseSource(language, text);
    const nodes = all(tree.rootNode);
    for (const pass of [1, 2]) {
      for (const node of nodes) {
        assert.equal(parentOf(node)?.id, node.parent?.id, `${language} ${node.type} (pass ${pass})`);
      }
    }
    const deepest = nodes.reduce((a, b) => ([...ancestors(b)].length > [...ancestors(a)].length ? b : a));
    const chain = [...ancestors(deepest)];
    assert.equal(chain.at(-1)?.id, tree.rootNode.id, `${language}: ancestors end at the root`);
    assert.equal(parentOf(tree.rootNode), null);
    assert.equal(parentOf(null), null);
  }
});
