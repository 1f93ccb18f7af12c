// Bundles the CLI, the extension and the webview with esbuild and copies the WASM assets they load at run time.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const outdir = 'dist';

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  // pg tries pg-native only when asked for it; we never ask.
  external: ['pg-native'],
  logLevel: 'warning',
  // PGlite (an ES module) resolves its assets from import.meta.url, which a CommonJS bundle does not have.
  define: { 'import.meta.url': '__lockscopeImportMetaUrl' },
  banner: { js: "const __lockscopeImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

await Promise.all([
  build({
    ...nodeCommon,
    entryPoints: ['src/cli/main.ts'],
    outfile: join(outdir, 'cli.js'),
    banner: { js: `#!/usr/bin/env node\n${nodeCommon.banner.js}` },
  }),
  build({
    ...nodeCommon,
    entryPoints: ['src/extension/extension.ts'],
    outfile: join(outdir, 'extension.js'),
    external: [...nodeCommon.external, 'vscode'],
  }),
  // The embedded database's worker thread (the extension host opens PGlite there, so it never stalls).
  build({ ...nodeCommon, entryPoints: ['src/db/embedded-worker.ts'], outfile: join(outdir, 'embedded-worker.js') }),
  // The editor's analysis worker thread (parsing, scanning, prediction and rules off the extension host's thread).
  build({ ...nodeCommon, entryPoints: ['src/analysis-worker/worker.ts'], outfile: join(outdir, 'analysis-worker.js') }),
  // lockscope scan's worker threads (reading, parsing and extracting files in parallel; src/cli/scan-pool.ts).
  build({ ...nodeCommon, entryPoints: ['src/cli/scan-worker.ts'], outfile: join(outdir, 'scan-worker.js') }),
  build({
    entryPoints: ['webview/main.ts'],
    outfile: join(outdir, 'webview.js'),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: production ? false : 'linked',
    minify: production,
    logLevel: 'warning',
  }),
]);

// WASM the bundles load from their own directory (__dirname) at run time.
const libpgQueryDir = dirname(require.resolve('libpg-query'));
copyFileSync(join(libpgQueryDir, 'libpg-query.wasm'), join(outdir, 'libpg-query.wasm'));
const pgliteDir = dirname(require.resolve('@electric-sql/pglite'));
// The contrib extension bundles (pg_trgm.tar.gz…) too: a schema's CREATE EXTENSION registers its bundle from there.
for (const asset of ['pglite.wasm', 'initdb.wasm', 'pglite.data', ...readdirSync(pgliteDir).filter((f) => f.endsWith('.tar.gz'))]) {
  copyFileSync(join(pgliteDir, asset), join(outdir, asset));
}

// ── Webview assets (owned by the webview bundle) ───────────────────────────────────────────────────────────────
// The codicon font and its stylesheet, which renderWebviewHtml links as #vscode-codicon-stylesheet for vscode-icon.
const codiconsDir = dirname(require.resolve('@vscode/codicons/dist/codicon.css'));
mkdirSync(join(outdir, 'codicons'), { recursive: true });
for (const asset of ['codicon.css', 'codicon.ttf']) {
  copyFileSync(join(codiconsDir, asset), join(outdir, 'codicons', asset));
}

// web-tree-sitter's runtime and the language grammars, loaded by the scanner at start-up.
mkdirSync(join(outdir, 'grammars'), { recursive: true });
const grammarPackages = {
  'tree-sitter.wasm': 'web-tree-sitter',
  'tree-sitter-python.wasm': 'tree-sitter-python/package.json',
  'tree-sitter-ruby.wasm': 'tree-sitter-ruby/package.json',
  'tree-sitter-typescript.wasm': 'tree-sitter-typescript/package.json',
  'tree-sitter-tsx.wasm': 'tree-sitter-typescript/package.json',
  'tree-sitter-javascript.wasm': 'tree-sitter-javascript/package.json',
  'tree-sitter-go.wasm': 'tree-sitter-go/package.json',
};
for (const [file, pkg] of Object.entries(grammarPackages)) {
  copyFileSync(join(dirname(require.resolve(pkg)), file), join(outdir, 'grammars', file));
}
console.log(`built ${outdir}/cli.js, ${outdir}/extension.js, ${outdir}/webview.js (+ wasm assets, codicons)`);
