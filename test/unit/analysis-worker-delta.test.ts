/**
 * The analysis worker's replies as deltas (src/analysis-worker/delta.ts): what the host decodes is exactly the lint
 * the worker made, edit after edit, while only the entries an edit changed cross the thread and identical lock plans
 * travel as one object (issue #16: a keystroke in a 5,000-line file must not post megabytes to the host).
 */
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { DeltaDecoder, DeltaEncoder, DeltaMismatchError, splitDelta, type DocumentLint } from '../../src/analysis-worker/delta.js';
import { portableAnalysis } from '../../src/core/analyze/portable.js';
import type { Catalog } from '../../src/core/catalog.js';
import { lint } from '../../src/core/lint/lint.js';
import { buildServerProfile } from '../../src/core/server-profile.js';
import { scanSqlText } from '../../src/core/scan/sql/index.js';
import { loadSqlParser } from '../../src/core/sql/index.js';
import { relation } from '../support/catalog-fixtures.js';
import { loadTestGrammars } from '../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const orders = relation(16384, 'orders');
const CATALOG: Catalog = {
  profile: buildServerProfile('17', 170000, 64, 'target'),
  database: 'test',
  searchPath: ['public'],
  relations: new Map([[orders.oid, orders]]),
  byName: new Map([['public.orders', orders.oid]]),
  loadedAt: 0,
};

const statement = (i: number): string => `SELECT * FROM orders WHERE id = ${i} FOR UPDATE;`;
const TEXT = Array.from({ length: 40 }, (_, i) => statement(i)).join('\n');

function lintOf(text: string): DocumentLint {
  const linted = lint([{ file: '/w/jobs.sql', text }], { catalog: CATALOG });
  return { analysis: portableAnalysis(linted.analysis), findings: linted.findings, problems: linted.problems };
}

const addedCount = (d: ReturnType<DeltaEncoder['encode']>): number =>
  d.added.sites.length + d.added.transactions.length + d.added.findings.length + d.added.problems.length;

const EDITS: Array<[name: string, edit: (text: string) => string, maxAdded: number]> = [
  ['nothing changed', (t) => t, 0],
  ['a space typed at the end of one statement', (t) => t.replace(statement(20), `${statement(20)} `), 2],
  ['one statement rewritten', (t) => t.replace(statement(7), 'DELETE FROM orders WHERE id = 7;'), 2],
  // The nine statements after it move up a line: their sites and findings are new entries.
  ['a statement removed', (t) => t.replace(`${statement(30)}\n`, ''), 20],
  ['a line inserted at the top (every range moves)', (t) => `\n${t}`, 200],
];

test('every delta decodes to the lint the worker made, and carries only what changed', () => {
  const encoder = new DeltaEncoder();
  const decoder = new DeltaDecoder();
  let text = TEXT;
  const first = lintOf(text);
  const whole = encoder.encode(first);
  assert.deepEqual(decoder.decode(whole), first);
  assert.equal(whole.added.sites.length, 40);
  for (const [name, edit, maxAdded] of EDITS) {
    text = edit(text);
    const expected = lintOf(text);
    const delta = encoder.encode(expected);
    assert.deepEqual(decoder.decode(delta), expected, name);
    assert.ok(addedCount(delta) <= maxAdded, `${name}: ${addedCount(delta)} entries sent, at most ${maxAdded} expected`);
  }
});

test('identical lock plans cross as one object', () => {
  const delta = new DeltaEncoder().encode(lintOf(TEXT));
  const plans = new Set(delta.added.sites.map(([, s]) => s.plan));
  assert.equal(plans.size, 1);
  assert.ok([...plans][0] !== undefined);
});

test('a decoder out of step with its encoder says so instead of showing a wrong lint', () => {
  const encoder = new DeltaEncoder();
  encoder.encode(lintOf(TEXT));
  const next = encoder.encode(lintOf(`${TEXT}\n${statement(99)}`));
  assert.throws(() => new DeltaDecoder().decode(next), DeltaMismatchError);
});

test('a large delta split into parts decodes, part by part, to the same lint', () => {
  for (const entries of [1, 7, 100, 1000]) {
    const whole = lintOf(TEXT);
    const { parts, last } = splitDelta(new DeltaEncoder().encode(whole), entries);
    // 40 sites and 40 findings: every part but the last is full, and no entry is lost or repeated.
    assert.equal(parts.length, Math.ceil(80 / entries) - 1, `${entries} entries a part`);
    for (const part of [...parts, last.added])
      assert.ok(part.sites.length + part.transactions.length + part.findings.length + part.problems.length <= entries);
    const decoder = new DeltaDecoder();
    for (const part of parts) decoder.accept(part);
    assert.deepEqual(decoder.decode(last), whole, `${entries} entries a part`);
  }
});

test("an unchanged statement keeps its plan object after an edit elsewhere, moved or not (the keystroke's re-lint reuses it)", () => {
  const before = lintOf(TEXT).analysis.sites;
  const after = lintOf(`-- a comment typed above\n${TEXT.replace(statement(7), 'DELETE FROM orders WHERE id = 7;')}`).analysis.sites;
  assert.equal(after.length, before.length);
  after.forEach((site, i) => {
    assert.equal(site.site.range.start.line, i + 1);
    if (i === 7) assert.notEqual(site.plan, before[i]?.plan);
    else assert.equal(site.plan, before[i]?.plan, `statement ${i}`);
  });
});

test('a re-scan of a SQL file hands back the same site objects for the statements an edit left in place, new ones for the rest', () => {
  const file = '/w/rescan.sql';
  const cases: Array<[name: string, text: string, changed: (i: number) => boolean]> = [
    ['the same text', TEXT, () => false],
    ['a space typed inside statement 20', TEXT.replace(statement(20), statement(20).replace('id =', 'id  =')), (i) => i === 20],
    // Every statement below the new line moved: same text, another range.
    ['a line inserted above statement 30', TEXT.replace(statement(30), `\n${statement(30)}`), (i) => i >= 30],
  ];
  for (const [name, text, changed] of cases) {
    const before = scanSqlText(file, TEXT).sites; // the last scan the next one is compared with
    const after = scanSqlText(file, text).sites;
    assert.equal(after.length, before.length, name);
    after.forEach((site, i) => {
      if (changed(i)) assert.notEqual(site, before[i], `${name}: statement ${i} is a new site`);
      else assert.equal(site, before[i], `${name}: statement ${i} is the same site object`);
    });
  }
});

test("a transaction the edit left alone keeps its plan object; one whose statements changed is predicted again (the keystroke's re-lint)", () => {
  const txn = (i: number): string => `BEGIN;\n${statement(i)}\nUPDATE orders SET id = ${i} WHERE id = ${i};\nCOMMIT;`;
  const text = Array.from({ length: 6 }, (_, i) => txn(i)).join('\n');
  const cases: Array<[name: string, edited: string, changed: (i: number) => boolean]> = [
    ['the same text', text, () => false],
    ['a statement of transaction 3 rewritten', text.replace(statement(3), 'SELECT * FROM orders WHERE id = 3;'), (i) => i === 3],
    ['a space typed at the end of transaction 4', text.replace(`${txn(4)}`, `${txn(4)} `), () => false],
  ];
  for (const [name, edited, changed] of cases) {
    const before = lintOf(text).analysis.transactions;
    const after = lintOf(edited).analysis.transactions;
    assert.equal(after.length, 6, name);
    after.forEach((t, i) => {
      assert.ok(t.plan !== undefined, `${name}: transaction ${i} has a plan`);
      if (changed(i)) assert.notEqual(t.plan, before[i]?.plan, `${name}: transaction ${i} predicted again`);
      else assert.equal(t.plan, before[i]?.plan, `${name}: transaction ${i} keeps its plan object`);
    });
  }
});
