/** Loads web-tree-sitter and the grammars from node_modules for tests (the CLI and extension load them from dist/). */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadGrammars } from '../../src/core/scan/grammars.js';

const require = createRequire(__filename);

const PACKAGE_OF: Record<string, string> = {
  'tree-sitter-python.wasm': 'tree-sitter-python',
  'tree-sitter-ruby.wasm': 'tree-sitter-ruby',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript',
  'tree-sitter-tsx.wasm': 'tree-sitter-typescript',
  'tree-sitter-javascript.wasm': 'tree-sitter-javascript',
  'tree-sitter-go.wasm': 'tree-sitter-go',
};

export function grammarPath(file: string): string {
  if (file === 'tree-sitter.wasm') return join(dirname(require.resolve('web-tree-sitter')), 'tree-sitter.wasm');
  const pkg = PACKAGE_OF[file];
  if (pkg === undefined) throw new Error(`unknown grammar ${file}`);
  return join(dirname(require.resolve(`${pkg}/package.json`)), file);
}

export function loadTestGrammars(): Promise<void> {
  return loadGrammars({
    runtime: () => readFile(grammarPath('tree-sitter.wasm')),
    grammar: (file) => readFile(grammarPath(file)),
  });
}
