/**
 * The extraction version of `lockscope scan`'s cache keys: a fingerprint of the code that extracts (the worker
 * bundle, or the sources of src/core when the CLI runs from them) and of the grammars and SQL parser it loads. Any
 * change to the scanner, the rules it shares or a grammar makes every cached entry a miss; nobody bumps a number.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Packages whose WASM decides what a file parses to (their versions, when running from sources). */
const PARSER_PACKAGES = [
  'web-tree-sitter',
  'tree-sitter-python',
  'tree-sitter-ruby',
  'tree-sitter-typescript',
  'tree-sitter-javascript',
  'tree-sitter-go',
  'libpg-query',
];

function hashTree(hash: Hash, dir: string, keep: (name: string) => boolean): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) hashTree(hash, full, keep);
    else if (keep(entry.name)) hash.update(`${full}\0`).update(readFileSync(full)).update('\0');
  }
}

let computed: string | undefined;

/** The version of the extraction code this CLI runs (computed once per process). */
export function extractionVersion(): string {
  computed ??= fingerprint();
  return computed;
}

function fingerprint(): string {
  const hash = createHash('sha256');
  const bundle = join(__dirname, 'scan-worker.js');
  if (existsSync(bundle)) {
    // The bundled CLI and worker are built from the same sources at once: the worker's bytes stand for both.
    hash.update(readFileSync(bundle));
    const grammars = join(__dirname, 'grammars');
    for (const file of existsSync(grammars) ? readdirSync(grammars).sort() : [])
      hash.update(`${file}:${statSync(join(grammars, file)).size}\0`);
    const parser = join(__dirname, 'libpg-query.wasm');
    if (existsSync(parser)) hash.update(`libpg-query.wasm:${statSync(parser).size}`);
    return hash.digest('hex');
  }
  // From sources: everything under src/core (extractors, the SQL layer they call) and this folder's scan files.
  hashTree(hash, join(__dirname, '..', 'core'), (name) => name.endsWith('.ts'));
  hashTree(hash, __dirname, (name) => name.startsWith('scan-') && name.endsWith('.ts'));
  const require = createRequire(__filename);
  for (const pkg of PARSER_PACKAGES) {
    try {
      const manifest = JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version?: string };
      hash.update(`${pkg}@${manifest.version ?? '?'}\0`);
    } catch {
      hash.update(`${pkg}@missing\0`);
    }
  }
  return hash.digest('hex');
}
