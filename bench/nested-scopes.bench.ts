/**
 * Deeply nested transaction callbacks in one source file (#18): scan time at three depths per language; linear growth
 * shows as a constant time per level. Before parent links were remembered per tree, 400 nested JavaScript transaction
 * callbacks took 67 s (web-tree-sitter finds a parent by descending from the root). Run:
 * node --import tsx bench/nested-scopes.bench.ts
 */
import { scanFile } from '../src/core/scan/registry.js';
import { loadSqlParser } from '../src/core/sql/index.js';
import { loadTestGrammars } from '../test/support/grammars.js';

const DEPTHS = [100, 200, 400];

const SOURCES: Record<string, { file: string; text: (depth: number) => string }> = {
  javascript: {
    file: 'nested.js',
    text: (n) => {
      const open = Array.from({ length: n }, (_, i) => `${'  '.repeat(i)}await db.transaction(async (t${i}) => {`);
      const close = Array.from({ length: n }, (_, i) => `${'  '.repeat(n - 1 - i)}});`);
      return ['async function f(db) {', ...open, `${'  '.repeat(n)}await t0('orders').where({ id: 1 }).forUpdate();`, ...close, '}'].join(
        '\n',
      );
    },
  },
  python: {
    file: 'nested.py',
    text: (n) =>
      [
        'def f(session):',
        ...Array.from({ length: n }, (_, i) => `${'    '.repeat(i + 1)}with session.begin_nested():`),
        `${'    '.repeat(n + 1)}session.execute(text('SELECT 1 FROM orders FOR UPDATE'))`,
      ].join('\n'),
  },
  ruby: {
    file: 'nested.rb',
    text: (n) =>
      [
        'def f',
        ...Array.from({ length: n }, (_, i) => `${'  '.repeat(i + 1)}Order.transaction(requires_new: true) do`),
        `${'  '.repeat(n + 1)}Order.lock.find(1)`,
        ...Array.from({ length: n }, (_, i) => `${'  '.repeat(n - i)}end`),
        'end',
      ].join('\n'),
  },
};

async function main(): Promise<void> {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
  console.log('language     depth  ms      ms/level  sites  subtransactions');
  for (const [language, source] of Object.entries(SOURCES)) {
    for (const depth of DEPTHS) {
      const text = source.text(depth);
      const started = performance.now();
      const scan = scanFile(source.file, text, undefined, undefined);
      const ms = performance.now() - started;
      console.log(
        `${language.padEnd(12)} ${String(depth).padEnd(6)} ${ms.toFixed(0).padEnd(7)} ${(ms / depth).toFixed(2).padEnd(9)} ${String(scan?.sites.length ?? 0).padEnd(6)} ${scan?.subtransactions.length ?? 0}`,
      );
    }
  }
}

void main();
