/**
 * lint(files, { catalog, index, severity }): the one entry point. The editor lints the open document within the
 * workspace index, so a loop calling a locking helper in another file gets the finding at the call (issue #12,
 * defect 4: the editor used to analyse the open file alone); a model's @@map in schema.prisma names the table of a
 * Prisma query (defect 5); problems come back with their file; the index follows edits file by file.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { lint } from '../../../src/core/lint/lint.js';
import { WorkspaceIndex } from '../../../src/core/lint/workspace-index.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';
import { CALLER, HELPER, MODELS } from '../../support/locking-helper-app.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const CALL_LINE = 4;

const workspace = (): WorkspaceIndex =>
  new WorkspaceIndex([
    { file: 'app/db.py', text: MODELS },
    { file: 'app/locking.py', text: HELPER },
    { file: 'app/caller.py', text: CALLER },
  ]);

const loopFindings = (result: ReturnType<typeof lint>): number[] =>
  result.findings.filter((f) => f.ruleId === 'row-lock-in-loop' && f.file === 'app/caller.py').map((f) => f.range.start.line);

test('the open document alone misses the helper in another file (what the editor did before)', () => {
  assert.deepEqual(loopFindings(lint([{ file: 'app/caller.py', text: CALLER }], { catalog: undefined })), []);
});

test('the open document linted within the workspace index gets the row lock of the helper in another file', () => {
  const result = lint([{ file: 'app/caller.py', text: CALLER }], { catalog: undefined, index: workspace() });
  assert.deepEqual(loopFindings(result), [CALL_LINE]);
  // Only the linted file is reported: the helper's own site belongs to its own file's analysis.
  assert.deepEqual([...new Set(result.analysis.scans.map((s) => s.file))], ['app/caller.py']);
  assert.deepEqual(
    result.analysis.sites.filter((a) => a.via !== undefined).map((a) => a.site.sql),
    ['SELECT * FROM tools WHERE id = $1 FOR UPDATE'],
  );
});

test('an edit of the helper reaches the caller: the index is updated per file', () => {
  const index = workspace();
  const caller = [{ file: 'app/caller.py', text: CALLER }];
  assert.deepEqual(loopFindings(lint(caller, { catalog: undefined, index })), [CALL_LINE]);
  const generation = index.generation;
  index.update('app/locking.py', HELPER.replace('.with_for_update()', ''));
  assert.notEqual(index.generation, generation);
  assert.deepEqual(loopFindings(lint(caller, { catalog: undefined, index })), []);
  index.update('app/locking.py', HELPER);
  assert.deepEqual(loopFindings(lint(caller, { catalog: undefined, index })), [CALL_LINE]);
});

test('a model renamed in its own file renames the table everywhere (scans are redone when models change)', () => {
  const index = workspace();
  const sql = (): string[] =>
    lint('workspace', { catalog: undefined, index })
      .analysis.sites.filter((a) => a.site.file === 'app/locking.py')
      .map((a) => a.site.sql);
  assert.deepEqual(sql(), ['SELECT * FROM tools WHERE id = $1 FOR UPDATE']);
  index.update('app/db.py', MODELS.replace('"tools"', '"tool_registry"'));
  assert.deepEqual(sql(), ['SELECT * FROM tool_registry WHERE id = $1 FOR UPDATE']);
  index.remove('app/locking.py');
  assert.deepEqual(sql(), []);
});

test('severity settings apply: a rule set to off finds nothing', () => {
  const result = lint([{ file: 'app/caller.py', text: CALLER }], {
    catalog: undefined,
    index: workspace(),
    severity: { 'row-lock-in-loop': 'off' },
  });
  assert.deepEqual(loopFindings(result), []);
});

test('the workspace reads schema.prisma: a model’s @@map names the table of a Prisma query', () => {
  const dir = join(__dirname, '..', '..', 'fixtures', 'orm', 'prisma');
  const index = new WorkspaceIndex(
    ['schema.prisma', 'db.ts', 'order-service.ts'].map((name) => ({ file: join(dir, name), text: readFileSync(join(dir, name), 'utf8') })),
  );
  const sites = lint('workspace', { catalog: undefined, index }).analysis.sites;
  const listOpen = sites.find((a) => a.site.sql.includes("status = 'open'") || a.site.label.includes('order.findMany'));
  assert.ok(listOpen !== undefined, sites.map((a) => a.site.label).join('\n'));
  assert.match(listOpen.site.sql, /\bFROM "?orders"?/);
  assert.doesNotMatch(listOpen.site.sql, /\bFROM "?Order"?\b/);
});

test('problems come back with their file, for the editor to show as information', () => {
  const broken = 'def f(db):\n    for i in (:\n        db.execute("SELECT 1")\n';
  const result = lint([{ file: 'app/broken.py', text: broken }], { catalog: undefined });
  assert.ok(
    result.problems.some((p) => p.file === 'app/broken.py' && /syntax errors/.test(p.message)),
    JSON.stringify(result.problems),
  );
});
