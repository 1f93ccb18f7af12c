/** Reads web-tree-sitter's runtime and the grammars (bundle assets, like PGlite's): dist/grammars, or node_modules. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadGrammars } from '../core/scan/grammars.js';

const PACKAGES: Record<string, string> = {
  'tree-sitter.wasm': 'web-tree-sitter',
  'tree-sitter-python.wasm': 'tree-sitter-python',
  'tree-sitter-ruby.wasm': 'tree-sitter-ruby',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript',
  'tree-sitter-tsx.wasm': 'tree-sitter-typescript',
  'tree-sitter-javascript.wasm': 'tree-sitter-javascript',
  'tree-sitter-go.wasm': 'tree-sitter-go',
};

function locate(file: string): string {
  const bundled = join(__dirname, 'grammars', file);
  if (existsSync(bundled)) return bundled;
  const require = createRequire(join(process.cwd(), 'package.json'));
  const pkg = PACKAGES[file] ?? file;
  const main = pkg === 'web-tree-sitter' ? require.resolve(pkg) : require.resolve(`${pkg}/package.json`);
  return join(dirname(main), file);
}

export function loadGrammarFiles(): Promise<void> {
  return loadGrammars({ runtime: () => readFile(locate('tree-sitter.wasm')), grammar: (file) => readFile(locate(file)) });
}
