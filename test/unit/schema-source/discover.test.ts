/** Discovery picks each fixture repository's schema source with no configuration, files in the tool's own order. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { discoverSchema, translateSchema } from '../../../src/core/schema-source/index.js';
import { repositoryFiles, repositoryReader } from '../../../src/db/schema-discovery.js';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'schema-discovery');

const rows: Array<{ repo: string; kind: string; flavor?: string; files: string[] }> = [
  { repo: 'structure-sql', kind: 'structure-sql', files: ['db/structure.sql'] },
  { repo: 'rails', kind: 'rails-schema-rb', files: ['db/schema.rb'] },
  {
    repo: 'prisma-migrations',
    kind: 'prisma-migrations',
    flavor: 'prisma',
    files: ['20250101000000_init', '20250102000000_hot_indexes'].map((d) => `prisma/migrations/${d}/migration.sql`),
  },
  { repo: 'prisma-schema', kind: 'prisma-schema', files: ['prisma/schema.prisma'] },
  { repo: 'sqlalchemy', kind: 'sqlalchemy-models', files: ['shop/models.py'] },
  { repo: 'django', kind: 'django-models', files: ['accounts/models.py', 'shop/models.py', 'shop/apps.py', 'config/settings.py'] },
  {
    repo: 'golang-migrate',
    kind: 'sql-migrations',
    flavor: 'golang-migrate',
    files: ['000001_accounts_orders.up.sql', '000002_order_items.up.sql', '000010_events.up.sql'].map((f) => `db/migrations/${f}`),
  },
  {
    repo: 'dbmate',
    kind: 'sql-migrations',
    flavor: 'dbmate',
    files: ['20250101120000_accounts_orders.sql', '20250102120000_order_items.sql', '20250103120000_events.sql'].map(
      (f) => `db/migrations/${f}`,
    ),
  },
  {
    repo: 'flyway',
    kind: 'sql-migrations',
    flavor: 'flyway',
    files: ['V1__accounts_orders.sql', 'V1.1__order_items.sql', 'V2__drop_nothing.sql', 'V10__events.sql', 'R__open_orders_view.sql'].map(
      (f) => `src/main/resources/db/migration/${f}`,
    ),
  },
  {
    repo: 'goose',
    kind: 'sql-migrations',
    flavor: 'goose',
    files: ['00001_accounts_orders.sql', '00002_order_items.sql', '00003_events.sql'].map((f) => `migrations/${f}`),
  },
  {
    repo: 'sqitch',
    kind: 'sql-migrations',
    flavor: 'sqitch',
    files: ['z_accounts_orders.sql', 'order_items.sql', 'events.sql'].map((f) => `deploy/${f}`),
  },
  {
    repo: 'numbered',
    kind: 'sql-migrations',
    flavor: 'numbered',
    files: ['1_accounts_orders.sql', '2_order_items.sql', '10_events.sql'].map((f) => `migrations/${f}`),
  },
];

for (const row of rows) {
  test(`${row.repo}: discovered as ${row.kind}${row.flavor === undefined ? '' : ` (${row.flavor})`}`, () => {
    const root = join(FIXTURES, row.repo);
    const found = discoverSchema(repositoryFiles(root), repositoryReader(root));
    assert.equal(found?.kind, row.kind);
    assert.equal(found.flavor, row.flavor);
    assert.deepEqual(found.files, row.files);
  });
}

test('up-migrations only: down sections are blanked, every line keeps its number', () => {
  for (const repo of ['dbmate', 'goose']) {
    const root = join(FIXTURES, repo);
    const read = repositoryReader(root);
    const found = discoverSchema(repositoryFiles(root), read);
    assert.ok(found !== undefined);
    const { sources } = translateSchema(found, read);
    for (const source of sources) {
      const original = read(source.file) ?? '';
      assert.equal(source.text.split('\n').length, original.split('\n').length, source.file);
      assert.doesNotMatch(source.text, /DROP TABLE/, source.file);
      const create = source.text.split('\n').findIndex((l) => l.startsWith('CREATE TABLE'));
      assert.equal(source.text.split('\n')[create], original.split('\n')[create], source.file);
    }
  }
});

test('preference: a dump beats migrations, and folders of tests and examples come last', () => {
  const read = (path: string): string | undefined =>
    path.endsWith('.sql')
      ? `-- ${path}\nSELECT 1;\n`
      : path.endsWith('.py')
        ? 'from django.db import models\nclass A(models.Model):\n    pass\n'
        : undefined;
  const rows2: Array<{ paths: string[]; files: string[] }> = [
    { paths: ['db/migrate/1_a.sql', 'db/migrate/2_b.sql', 'db/structure.sql'], files: ['db/structure.sql'] },
    { paths: ['test/fixtures/structure.sql', 'app/db/structure.sql'], files: ['app/db/structure.sql'] },
    {
      paths: ['examples/migrations/1_a.sql', 'examples/migrations/2_b.sql', 'sql/1_x.sql', 'sql/2_y.sql'],
      files: ['sql/1_x.sql', 'sql/2_y.sql'],
    },
    { paths: ['README.md', 'src/main.go'], files: [] },
    // Django models come after migrations-based sources; a Django app's own tests/models.py is a sample.
    { paths: ['db/migrations/001_init.up.sql', 'shop/models.py'], files: ['db/migrations/001_init.up.sql'] },
    { paths: ['shop/models.py', 'shop/tests/models.py', 'shop/migrations/0001_initial.py'], files: ['shop/models.py'] },
  ];
  for (const row of rows2) assert.deepEqual(discoverSchema(row.paths, read)?.files ?? [], row.files, row.paths.join(' '));
});
