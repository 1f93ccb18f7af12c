/** Enforces design.md's layering: src/core stays pure, only src/extension imports vscode, layers import downward only. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { importsOf, sourceFiles } from '../support/source-imports.js';

const ROOT = join(__dirname, '..', '..');

const NODE_IO = /^(node:)?(fs|fs\/promises|net|tls|http|https|child_process|dgram|dns|worker_threads|readline)$/;
const FORBIDDEN_IN_CORE = [/^vscode$/, /^pg$/, /^pg-/, /^@electric-sql\//, NODE_IO];

function layerOf(file: string): string {
  const rel = relative(ROOT, file).split('\\').join('/');
  const match = /^src\/([^/]+)\//.exec(rel);
  return match?.[1] ?? (rel.startsWith('webview/') ? 'webview' : 'other');
}

const ALLOWED_LAYER_IMPORTS: Record<string, string[]> = {
  core: ['core'],
  protocol: ['protocol', 'core'],
  db: ['db', 'core'],
  // The CLI's JSON contract is core's (src/core/present/cli-json.ts), not the webview protocol's.
  cli: ['cli', 'db', 'core'],
  // The probe runner's controller: sessions and the engine (db), the webview's messages (protocol), never vscode.
  'probe-runner': ['probe-runner', 'db', 'core', 'protocol'],
  // The editor's analysis worker thread: core's analysis, and db only for locating the grammar WASM files.
  'analysis-worker': ['analysis-worker', 'db', 'core'],
  extension: ['extension', 'analysis-worker', 'probe-runner', 'db', 'core', 'protocol'],
  webview: ['webview', 'protocol', 'core'],
};

test('the import-rule checker recognises what it must forbid', () => {
  const sample = `import * as vscode from 'vscode';\nimport { readFileSync } from "node:fs";\nconst pg = require('pg');\nexport { x } from './y.js';`;
  assert.deepEqual(importsOf(sample), ['vscode', 'node:fs', 'pg', './y.js']);
  assert.ok(FORBIDDEN_IN_CORE.some((re) => re.test('node:child_process')));
  assert.ok(!FORBIDDEN_IN_CORE.some((re) => re.test('./lock-modes.js')));
});

test('src/core imports no vscode, pg, PGlite or Node I/O, and uses no console or process.exit', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src', 'core'))) {
    const text = readFileSync(file, 'utf8');
    for (const spec of importsOf(text)) {
      if (FORBIDDEN_IN_CORE.some((re) => re.test(spec))) offenders.push(`${relative(ROOT, file)} imports ${spec}`);
    }
    if (/\bconsole\.|process\.exit\(/.test(text)) offenders.push(`${relative(ROOT, file)} uses console or process.exit`);
  }
  assert.deepEqual(offenders, []);
});

test('only src/extension imports vscode', () => {
  const roots = ['src', 'webview'].map((d) => join(ROOT, d));
  const offenders = roots
    .flatMap(sourceFiles)
    .filter((file) => layerOf(file) !== 'extension' && importsOf(readFileSync(file, 'utf8')).includes('vscode'))
    .map((file) => relative(ROOT, file));
  assert.deepEqual(offenders, []);
});

test('layers import only the layers below them', () => {
  const offenders: string[] = [];
  for (const file of [...sourceFiles(join(ROOT, 'src')), ...sourceFiles(join(ROOT, 'webview'))]) {
    const from = layerOf(file);
    const allowed = ALLOWED_LAYER_IMPORTS[from];
    if (allowed === undefined) continue;
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = layerOf(join(file, '..', spec));
      if (target !== 'other' && !allowed.includes(target)) offenders.push(`${relative(ROOT, file)} (${from}) imports ${spec} (${target})`);
    }
  }
  assert.deepEqual(offenders, []);
});

/**
 * Inside core, data flows sql → predict → analyze → rules → lint (the one entry point) → present, and scan feeds
 * analyze: no edge points back.
 */
const CORE_MAY_NOT_IMPORT: Record<string, string[]> = {
  sql: ['predict', 'scan', 'rules', 'analyze', 'lint', 'present'],
  predict: ['scan', 'rules', 'analyze', 'lint', 'present'],
  scan: ['predict', 'rules', 'analyze', 'lint', 'present'],
  analyze: ['rules', 'lint', 'present'],
  rules: ['lint', 'present'],
  lint: ['present'],
};

const coreAreaOf = (file: string): string | undefined => /^src\/core\/([^/]+)\//.exec(relative(ROOT, file).split('\\').join('/'))?.[1];

test('inside core no back edges: sql ↛ predict ↛ scan, scan ↛ predict/rules, analyze ↛ rules ↛ lint ↛ present', () => {
  const offenders: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'src', 'core'))) {
    const forbidden = CORE_MAY_NOT_IMPORT[coreAreaOf(file) ?? ''] ?? [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) continue;
      const target = coreAreaOf(join(file, '..', spec));
      if (target !== undefined && forbidden.includes(target)) offenders.push(`${relative(ROOT, file)} imports ${spec} (${target})`);
    }
  }
  assert.deepEqual(offenders, []);
});
