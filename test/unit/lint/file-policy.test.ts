/**
 * The one file policy (src/core/lint/file-policy.ts): every reader of a workspace — `lockscope scan`'s walk, the
 * editor's workspace index, Analyze Workspace, Live Activity — asks it. Before, Analyze Workspace's own glob left out
 * schema.prisma, so its report never saw a model's @@map table (issue #12, defect 5).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CODE_FILE_GLOB, isCodeFile, isInSkippedDirectory, isSkippedDirectory, SKIPPED_GLOB } from '../../../src/core/lint/file-policy.js';

const FILES: Array<[path: string, code: boolean]> = [
  ['prisma/schema.prisma', true],
  ['app/models.py', true],
  ['lib/tasks/cleanup.rake', true],
  ['src/order.service.ts', true],
  ['src/view.tsx', true],
  ['src/legacy.cjs', true],
  ['cmd/main.go', true],
  ['db/queries/checkout.sql', true],
  ['db/schema.sql', false],
  ['db/structure.sql', false],
  ['db/app_schema.sql', false],
  ['types/index.d.ts', false],
  ['types/index.d.mts', false],
  ['public/vendor.min.js', false],
  ['README.md', false],
  ['Makefile', false],
  ['C:\\repo\\app\\models.py', true],
];

for (const [path, code] of FILES) {
  test(`${path} is ${code ? '' : 'not '}code`, () => assert.equal(isCodeFile(path), code));
}

const FOLDERS: Array<[path: string, skipped: boolean]> = [
  ['node_modules/pg/lib/client.js', true],
  ['app/.venv/lib/site.py', true],
  ['.git/hooks/pre-commit.py', true],
  ['web/dist/app.js', true],
  ['app/services/orders.py', false],
  ['orders.py', false],
];

for (const [path, skipped] of FOLDERS) {
  test(`${path} is ${skipped ? '' : 'not '}under a skipped folder`, () => assert.equal(isInSkippedDirectory(path), skipped));
}

test('hidden folders and dependency folders are not walked, source folders are', () => {
  assert.deepEqual(['.github', 'node_modules', 'vendor', 'src', 'app'].map(isSkippedDirectory), [true, true, true, false, false]);
});

test("an editor's file search uses the same extensions and folders as the walk", () => {
  const extensions = /^\*\*\/\*\.\{(.*)\}$/.exec(CODE_FILE_GLOB)?.[1]?.split(',') ?? [];
  for (const [path, code] of FILES) {
    const name = path.split(/[\\/]/).pop() ?? '';
    if (code)
      assert.ok(
        extensions.some((e) => name.endsWith(`.${e}`)),
        `${path} is missed by ${CODE_FILE_GLOB}`,
      );
  }
  assert.ok(extensions.includes('prisma'));
  // Hidden folders are left to the filter (a glob cannot say "any folder starting with a dot" portably).
  for (const [path] of FOLDERS) {
    const folder = path
      .split('/')
      .slice(0, -1)
      .find((f) => isSkippedDirectory(f) && !f.startsWith('.'));
    if (folder !== undefined) assert.ok(SKIPPED_GLOB.includes(`**/${folder}/**`), `${folder} missing from ${SKIPPED_GLOB}`);
  }
});
