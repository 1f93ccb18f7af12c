/**
 * The incremental scanner reads exactly what a cold scan reads (#16): real fixture files edited at seeded random
 * positions, one edit after another on one kept scanner, and after every edit its scan and its models compared with
 * a fresh parse and scan of the same text. Python goes statement by statement (kept statement scans, moved by
 * lines); TypeScript, Ruby and Go through the incrementally parsed tree.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, test } from 'node:test';
import { lint } from '../../../src/core/lint/lint.js';
import { WorkspaceIndex } from '../../../src/core/lint/workspace-index.js';
import { FileScanner } from '../../../src/core/scan/incremental/file-scanner.js';
import { textEdit } from '../../../src/core/scan/incremental/text-edit.js';
import { languageForFile } from '../../../src/core/scan/languages.js';
import { ModelIndex } from '../../../src/core/scan/models.js';
import { declareModels, scanFile } from '../../../src/core/scan/registry.js';
import { loadSqlParser } from '../../../src/core/sql/index.js';
import { loadTestGrammars } from '../../support/grammars.js';

before(async () => {
  await Promise.all([loadSqlParser(), loadTestGrammars()]);
});

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** Fixture folders whose files are edited (each folder is one workspace: its files' models are known to each other). */
const FOLDERS = [
  'orm/sqlalchemy',
  'orm/django',
  'orm/psycopg',
  'field/django-conditional-lock',
  'field/sqlalchemy-repository',
  'field/sqlalchemy-reassigned',
  'field/django-queryset-sources',
  'field/alembic',
  'cascade/python-service',
  'orm/gorm',
  'orm/activerecord',
  'orm/node-postgres',
  'field/typescript-cascade',
];

const EDITS_PER_FILE = 14;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : languageForFile(full) === undefined ? [] : [full];
  });
}

/** mulberry32: the same edits on every run, so a failure names a reproducible case. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What typing does: characters, lines, whole statements (a module-level query, an import, a service attribute). */
const INSERTS = [
  ' ',
  '\n',
  'x',
  '(',
  ')',
  ':',
  '"',
  "'",
  '#',
  'é',
  '😀',
  '\n    ',
  'pass\n',
  'def added(session):\n    return session.query(Order).with_for_update().one()\n',
  'pending = Order.objects.filter(id=1)\n',
  'import psycopg\n',
  'self.tools = ToolService()\n        ',
  '.select_for_update()',
  'end\n',
  '{',
  '}',
];

/** One edit: an insertion, a deletion of up to 20 characters, a duplicated line, or everything undone at once. */
function edited(text: string, original: string, next: () => number): string {
  const kind = next();
  const at = Math.floor(next() * (text.length + 1));
  if (kind < 0.55) {
    const insert = INSERTS[Math.floor(next() * INSERTS.length)] ?? ' ';
    return `${text.slice(0, at)}${insert}${text.slice(at)}`;
  }
  if (kind < 0.8) return `${text.slice(0, at)}${text.slice(at + 1 + Math.floor(next() * 20))}`;
  if (kind < 0.95) {
    const lines = text.split('\n');
    const line = Math.floor(next() * lines.length);
    lines.splice(line, 0, lines[line] ?? '');
    return lines.join('\n');
  }
  return original;
}

interface Case {
  file: string;
  seed: number;
}

const CASES: Case[] = FOLDERS.flatMap((folder, f) =>
  filesUnder(join(FIXTURES, folder))
    .filter((file) => readFileSync(file, 'utf8').split('\n').length >= 8)
    .map((file, i) => ({ file, seed: 1000 * (f + 1) + i })),
);

for (const { file, seed } of CASES) {
  test(`${relative(FIXTURES, file)}: ${EDITS_PER_FILE} random edits (seed ${seed}) scan as a fresh parse does`, () => {
    const folder = FOLDERS.find((f) => file.startsWith(join(FIXTURES, f))) ?? '';
    const workspace = filesUnder(join(FIXTURES, folder)).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
    const models = new ModelIndex(workspace.flatMap((w) => declareModels(w.path, w.text)));
    const original = readFileSync(file, 'utf8');
    const next = random(seed);
    const scanner = new FileScanner(file);
    let text = original;
    try {
      scanner.update(text);
      assert.deepEqual(scanner.scan(models), scanFile(file, text, undefined, models), 'first read');
      for (let i = 0; i < EDITS_PER_FILE; i++) {
        const before = text;
        text = edited(text, original, next);
        scanner.update(text);
        const where = JSON.stringify(textEdit(before, text));
        assert.deepEqual(scanner.declareModels(), declareModels(file, text), `models after edit ${i + 1} ${where}`);
        assert.deepEqual(scanner.scan(models), scanFile(file, text, undefined, models), `scan after edit ${i + 1} ${where}`);
      }
    } finally {
      scanner.dispose();
    }
  });
}

test('there are Python, Ruby, Go and TypeScript files among the edited ones', () => {
  const languages = new Set(CASES.map((c) => languageForFile(c.file)));
  assert.deepEqual([...languages].sort(), ['go', 'python', 'ruby', 'typescript']);
});

const LINES = (n: number): string =>
  [
    'from .models import Order',
    '',
    ...Array.from({ length: n }, (_, i) => [
      `def handler_${i}(session, order_id):`,
      '    with session.begin():',
      '        return session.query(Order).filter_by(id=order_id).with_for_update().one()',
      '',
    ]).flat(),
  ].join('\n');

test('an edit inside one function of a large file reads that function again and reuses the others as they are', () => {
  const file = 'app/big_service.py';
  const models = new ModelIndex(
    declareModels(
      'app/models.py',
      'class Order(Base):\n    __tablename__ = "orders"\n    id: Mapped[int] = mapped_column(primary_key=True)\n',
    ),
  );
  const scanner = new FileScanner(file);
  try {
    const text = LINES(50);
    scanner.update(text);
    const first = scanner.scan(models);
    // A space typed inside handler_20's query: every other site is the same object, handler_20's is new.
    const lines = text.split('\n');
    const line = 2 + 20 * 4 + 2;
    lines[line] = (lines[line] ?? '').replace('filter_by(', 'filter_by( ');
    scanner.update(lines.join('\n'));
    const second = scanner.scan(models);
    assert.equal(first?.sites.length, 50);
    const same = second?.sites.filter((s, i) => s === first?.sites[i]).length;
    assert.equal(same, 49);
    assert.notEqual(second?.sites[20], first?.sites[20]);
    assert.deepEqual(second, scanFile(file, lines.join('\n'), undefined, models));
  } finally {
    scanner.dispose();
  }
});

test('a document lint() is asked about is kept parsed from its first lint: its first edit reuses the unchanged functions', () => {
  const index = new WorkspaceIndex([
    {
      file: 'app/models.py',
      text: 'class Order(Base):\n    __tablename__ = "orders"\n    id: Mapped[int] = mapped_column(primary_key=True)\n',
    },
  ]);
  try {
    const text = LINES(20);
    const first = lint([{ file: 'app/big_service.py', text }], { catalog: undefined, index }).analysis.sites;
    const edited = text.replace('def handler_3(session, order_id):', 'def handler_3(session, order_id, x):');
    const second = lint([{ file: 'app/big_service.py', text: edited }], { catalog: undefined, index }).analysis.sites;
    assert.equal(first.length, 20);
    assert.equal(second.filter((s, i) => s.site === first[i]?.site).length, 19);
    assert.deepEqual(
      second.map((s) => s.site),
      scanFile('app/big_service.py', edited, undefined, index.modelIndex())?.sites,
    );
  } finally {
    index.dispose();
  }
});
