/**
 * The editor's analysis worker (src/analysis-worker), run as a real worker thread from its TypeScript entry: it keeps
 * the workspace's files and the catalog it was sent, answers a document's lint with the same sites, plans and
 * findings as lint() on this thread (minus parse trees), skips a lint superseded by a newer one of the same file,
 * and follows file edits and catalog changes (issue #16).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { AnalysisWorkerClient, AnalysisWorkerError, type LintOutcome } from '../../src/analysis-worker/client.js';
import { AnalysisEngine } from '../../src/analysis-worker/engine.js';
import type { AnalysisReply, AnalysisRequest } from '../../src/analysis-worker/protocol.js';
import { portableAnalysis } from '../../src/core/analyze/portable.js';
import type { Catalog } from '../../src/core/catalog.js';
import { lint } from '../../src/core/lint/lint.js';
import { WorkspaceIndex } from '../../src/core/lint/workspace-index.js';
import { buildServerProfile } from '../../src/core/server-profile.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { relation } from '../support/catalog-fixtures.js';
import { loadTestGrammars } from '../support/grammars.js';
import { CALLER, HELPER, MODELS } from '../support/locking-helper-app.js';

/** The worker's TypeScript entry, through tsx (a worker thread does not take --import tsx from its parent). */
const WORKER_ENTRY = join(__dirname, '..', 'support', 'analysis-worker-from-sources.mjs');

const FILES: Array<[string, string]> = [
  ['app/db.py', MODELS],
  ['app/locking.py', HELPER],
];

const tools = relation(16384, 'tools');
const toolsPkey = relation(16390, 'tools_pkey', 'index');
const CATALOG: Catalog = {
  profile: buildServerProfile('17', 170000, 64, 'target'),
  database: 'test',
  searchPath: ['public'],
  relations: new Map([
    [
      tools.oid,
      {
        ...tools,
        indexes: [
          {
            oid: toolsPkey.oid,
            qualifiedName: 'public.tools_pkey',
            valid: true,
            unique: true,
            primary: true,
            columns: ['id'],
            predicate: undefined,
          },
        ],
      },
    ],
    [toolsPkey.oid, toolsPkey],
  ]),
  byName: new Map([
    ['public.tools', tools.oid],
    ['public.tools_pkey', toolsPkey.oid],
  ]),
  loadedAt: 0,
};

let client: AnalysisWorkerClient;

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
  client = new AnalysisWorkerClient(WORKER_ENTRY);
  for (const [file, text] of FILES) client.update(file, text);
});

after(() => client.dispose());

function linted(outcome: LintOutcome): NonNullable<Extract<LintOutcome, { kind: 'linted' }>['result']> {
  assert.equal(outcome.kind, 'linted');
  if (outcome.kind !== 'linted' || outcome.result === undefined) throw new Error('no lint result');
  return outcome.result;
}

const loopLines = (result: { findings: Array<{ ruleId: string; file: string; range: { start: { line: number } } }> }): number[] =>
  result.findings.filter((f) => f.ruleId === 'row-lock-in-loop' && f.file === 'app/caller.py').map((f) => f.range.start.line);

for (const catalog of [undefined, CATALOG]) {
  test(`the worker's lint equals lint() on this thread, without parse trees (${catalog === undefined ? 'no catalog' : 'a catalog'})`, async () => {
    client.setCatalog(catalog);
    const fromWorker = linted(await client.lint('app/caller.py', CALLER, {}));
    const index = new WorkspaceIndex(FILES.map(([file, text]) => ({ file, text })));
    const here = lint([{ file: 'app/caller.py', text: CALLER }], { catalog, index });
    assert.deepEqual(fromWorker.analysis, portableAnalysis(here.analysis));
    assert.deepEqual(fromWorker.findings, here.findings);
    assert.deepEqual(loopLines(fromWorker), [4]);
    assert.ok(!JSON.stringify(fromWorker).includes('"ast"'), 'a parse tree crossed the thread');
    const helperSite = fromWorker.analysis.sites.find((s) => s.via !== undefined);
    assert.equal(helperSite?.plan === undefined, catalog === undefined);
    if (catalog !== undefined)
      assert.deepEqual(
        helperSite?.plan?.locks.map((l) => l.relation),
        ['public.tools', 'public.tools_pkey'],
      );
  });
}

test('a lint superseded by a newer lint of the same file is skipped, the newer one answered', async () => {
  // A large file first keeps the worker busy while the next lints are posted behind it.
  const busy = client.lint('big.sql', 'SELECT * FROM tools WHERE id = 1 FOR UPDATE;\n'.repeat(3000), {});
  const first = client.lint('app/caller.py', CALLER, {});
  const second = client.lint('app/caller.py', CALLER.replace('lock_tool(db, i)', 'lock_tool(db, i)  # edited'), {});
  const other = client.lint('app/locking.py', HELPER, {});
  assert.equal((await first).kind, 'superseded');
  assert.deepEqual(loopLines(linted(await second)), [4]);
  assert.equal((await other).kind, 'linted');
  assert.equal((await busy).kind, 'linted');
});

test("an edit of another file reaches the document's next lint; a file removed is gone", async () => {
  client.update('app/locking.py', HELPER.replace('.with_for_update()', ''));
  assert.deepEqual(loopLines(linted(await client.lint('app/caller.py', CALLER, {}))), []);
  client.update('app/locking.py', HELPER);
  assert.deepEqual(loopLines(linted(await client.lint('app/caller.py', CALLER, {}))), [4]);
  client.remove('app/locking.py');
  assert.deepEqual(loopLines(linted(await client.lint('app/caller.py', CALLER, {}))), []);
  client.update('app/locking.py', HELPER);
});

test("a large file's first lint crosses in parts (each its own message) and decodes to lint() on this thread; an edit sends only what changed", async () => {
  const text = Array.from({ length: 600 }, (_, i) => `SELECT * FROM tools WHERE id = ${i} FOR UPDATE;`).join('\n');
  const edited = text.replace('id = 300 ', 'id = 301 ');
  // The engine's replies, counted on this thread; the same lints through the worker thread, compared with lint().
  const engine = new AnalysisEngine();
  engine.accept({ type: 'catalog', catalog: CATALOG });
  const types = (source: string): string[] => {
    const replies: string[] = [];
    engine.accept({ type: 'lint', id: 1, file: 'parts.sql', text: source, severity: {} });
    engine.drain((r) => replies.push(r.type));
    return replies;
  };
  const first = types(text);
  assert.ok(first.filter((t) => t === 'part').length >= 10, `600 sites and 600 findings: ${first.length - 1} parts ahead of the reply`);
  assert.equal(first.at(-1), 'linted');
  assert.deepEqual(types(edited), ['linted'], 'one statement changed: its entries fit in the reply itself');

  client.setCatalog(CATALOG);
  const index = new WorkspaceIndex(FILES.map(([file, t]) => ({ file, text: t })));
  try {
    for (const source of [text, edited]) {
      const fromWorker = linted(await client.lint('parts.sql', source, {}));
      const here = lint([{ file: 'parts.sql', text: source }], { catalog: CATALOG, index });
      assert.deepEqual(fromWorker.analysis, portableAnalysis(here.analysis));
      assert.deepEqual(fromWorker.findings, here.findings);
    }
  } finally {
    client.forget('parts.sql');
  }
});

test('the worker posts the next part of a large lint only once the host acknowledged the last (so the host loop runs between)', async () => {
  const worker = new Worker(WORKER_ENTRY);
  try {
    const messages: AnalysisReply[] = [];
    let notify: () => void = () => undefined;
    worker.on('message', (m: AnalysisReply) => {
      messages.push(m);
      notify();
    });
    const next = (count: number): Promise<void> =>
      new Promise((resolve) => {
        notify = () => messages.length >= count && resolve();
        notify();
      });
    const text = Array.from({ length: 300 }, (_, i) => `SELECT * FROM tools WHERE id = ${i} FOR UPDATE;`).join('\n');
    const post = (request: AnalysisRequest): void => worker.postMessage(request);
    post({ type: 'catalog', catalog: CATALOG });
    post({ type: 'lint', id: 1, file: 'paced.sql', text, severity: {} });
    await next(1);
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(
      messages.map((m) => m.type),
      ['part'],
      'nothing more before the acknowledgement',
    );
    for (let parts = 1; messages.at(-1)?.type === 'part'; parts++) {
      post({ type: 'ack' });
      await next(parts + 1);
    }
    assert.ok(messages.length >= 6, `${messages.length} messages`);
    assert.equal(messages.at(-1)?.type, 'linted');
  } finally {
    await worker.terminate();
  }
});

test('a file no scanner reads has no lint', async () => {
  const outcome = await client.lint('notes.txt', 'SELECT 1 FOR UPDATE', {});
  assert.equal(outcome.kind, 'linted');
  assert.equal(outcome.kind === 'linted' ? outcome.result : 'not linted', undefined);
});

test('a worker that cannot start answers every lint with AnalysisWorkerError', async () => {
  const broken = new AnalysisWorkerClient(join(__dirname, 'no-such-worker.js'));
  await assert.rejects(broken.lint('app/caller.py', CALLER, {}), AnalysisWorkerError);
  await assert.rejects(broken.lint('app/caller.py', CALLER, {}), AnalysisWorkerError);
  await broken.dispose();
});

test('the engine answers a queue in order and skips each lint a newer lint of the same file follows', () => {
  const engine = new AnalysisEngine();
  const replies: string[] = [];
  for (const [id, file] of [
    [1, 'a.sql'],
    [2, 'b.sql'],
    [3, 'a.sql'],
  ] as const)
    engine.accept({ type: 'lint', id, file, text: 'SELECT 1;', severity: {} });
  engine.drain((r) => replies.push(`${r.id}:${r.type}`));
  assert.deepEqual(replies, ['1:superseded', '2:linted', '3:linted']);
  // One arriving while the queue drains (read from the port) supersedes a lint not yet run.
  engine.accept({ type: 'lint', id: 4, file: 'a.sql', text: 'SELECT 1;', severity: {} });
  const late: AnalysisRequest[] = [{ type: 'lint', id: 5, file: 'a.sql', text: 'SELECT 2;', severity: {} }];
  replies.length = 0;
  engine.drain(
    (r) => replies.push(`${r.id}:${r.type}`),
    () => late.shift(),
  );
  assert.deepEqual(replies, ['4:superseded', '5:linted']);
});

test('a lint superseded while it runs stops at the next phase (scan, analysis, rules) and the newer one is answered', () => {
  // The newer lint arrives at the n-th look at the port: 1 is before lint 1 starts, the next ones are between its phases.
  for (const arrivesAt of [2, 3, 4, 5]) {
    const engine = new AnalysisEngine();
    engine.accept({ type: 'lint', id: 1, file: 'a.sql', text: 'SELECT 1;', severity: {} });
    let looks = 0;
    let newer: AnalysisRequest | undefined = { type: 'lint', id: 2, file: 'a.sql', text: 'SELECT 2;', severity: {} };
    const replies: AnalysisReply[] = [];
    engine.drain(
      (r) => replies.push(r),
      () => {
        if (++looks < arrivesAt || newer === undefined) return undefined;
        const r = newer;
        newer = undefined;
        return r;
      },
    );
    assert.deepEqual(
      replies.map((r) => `${r.id}:${r.type}`),
      ['1:superseded', '2:linted'],
      `newer lint at look ${arrivesAt}`,
    );
    const answered = replies[1];
    assert.ok(answered?.type === 'linted' && answered.result?.order.sites.length === 1);
  }
});
