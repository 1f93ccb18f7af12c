/**
 * Finds a repository's schema source with no configuration, from its file list (and a peek at some files), in the
 * documented order of preference: a schema dump (structure.sql, pg_dump output), db/schema.rb, Prisma migrations, schema.prisma, then a directory
 * of SQL migrations, then Django models, then SQLAlchemy models. Within a kind the shallowest candidate outside test and example folders wins.
 */
import { appDirOf } from './django-models.js';
import { isSettingsFile } from './django-schema.js';
import { FLAVOR_LABELS, migrationFlavor, orderMigrations } from './sql-migrations.js';
import type { DiscoveredSchema, MigrationFlavor, ReadRepoFile } from './types.js';

const dirName = (path: string): string => (path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '');
const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Folders whose schemas are samples, not the application's: considered only when nothing else is found. */
const SAMPLE_FOLDER = /(^|\/)(tests?|spec|fixtures?|examples?|samples?|testdata|docs?)(\/|$)/i;

/** Candidates ordered: outside sample folders first, then shallowest, then by name. */
function preferred<T extends { path: string }>(candidates: readonly T[]): T[] {
  const depth = (p: string): number => p.split('/').length;
  return [...candidates].sort(
    (a, b) =>
      Number(SAMPLE_FOLDER.test(a.path)) - Number(SAMPLE_FOLDER.test(b.path)) ||
      depth(a.path) - depth(b.path) ||
      a.path.localeCompare(b.path),
  );
}

/** structure.sql anywhere, db/schema.sql or schema.sql, or any .sql file that pg_dump wrote. */
function findDump(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const named = paths.filter((p) => /^(structure|schema)\.sql$/i.test(baseName(p)));
  const dumps =
    named.length > 0 ? named : paths.filter((p) => /\.sql$/i.test(p) && /PostgreSQL database dump/.test((read(p) ?? '').slice(0, 4096)));
  const best = preferred(dumps.map((path) => ({ path })))[0];
  if (best === undefined) return undefined;
  const isDump = /PostgreSQL database dump/.test((read(best.path) ?? '').slice(0, 4096));
  return { kind: 'structure-sql', files: [best.path], description: isDump ? `pg_dump output ${best.path}` : `schema file ${best.path}` };
}

/** Rails' db/schema.rb (the ActiveRecord schema DSL). */
function findSchemaRb(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const candidates = paths.filter((p) => /(^|\/)db\/schema\.rb$/.test(p) && /ActiveRecord::Schema/.test(read(p) ?? ''));
  const best = preferred(candidates.map((path) => ({ path })))[0];
  return best === undefined ? undefined : { kind: 'rails-schema-rb', files: [best.path], description: `Rails schema DSL ${best.path}` };
}

/** `<dir>/migrations/<stamp>_name/migration.sql` beside a migration_lock.toml or a schema.prisma. */
function findPrismaMigrations(paths: readonly string[]): DiscoveredSchema | undefined {
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    const match = /^(.*?)\/?[^/]+\/migration\.sql$/.exec(p);
    if (match === null) continue;
    const dir = match[1] ?? '';
    if (!/(^|\/)migrations$/.test(dir)) continue;
    const files = byDir.get(dir) ?? [];
    files.push(p);
    byDir.set(dir, files);
  }
  const isPrisma = (dir: string): boolean =>
    paths.includes(`${dir}/migration_lock.toml`) || paths.some((p) => p.endsWith('.prisma') && dirName(p) === dirName(dir));
  const best = preferred([...byDir.keys()].filter(isPrisma).map((path) => ({ path })))[0];
  if (best === undefined) return undefined;
  const files = orderMigrations('prisma', byDir.get(best.path) ?? []);
  return {
    kind: 'prisma-migrations',
    flavor: 'prisma',
    files,
    description: `${FLAVOR_LABELS.prisma} in ${best.path} (${files.length} migrations)`,
  };
}

/** schema.prisma (or a prismaSchemaFolder): every .prisma file under the folder of the one with the datasource. */
function findPrismaSchema(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const prisma = paths.filter((p) => p.endsWith('.prisma'));
  const main = preferred(prisma.filter((p) => /^\s*datasource\s+\w+\s*\{/m.test(read(p) ?? '')).map((path) => ({ path })))[0];
  if (main === undefined) return undefined;
  const dir = dirName(main.path);
  const files = [main.path, ...prisma.filter((p) => p !== main.path && (dir === '' ? !p.includes('/') : p.startsWith(`${dir}/`))).sort()];
  return {
    kind: 'prisma-schema',
    files,
    description: `Prisma schema ${files.length === 1 ? main.path : `${main.path} and ${files.length - 1} more .prisma files`} (no migrations)`,
  };
}

/** A directory of SQL migrations (the one with most up-migrations among the preferred folders). */
function findSqlMigrations(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const byDir = new Map<string, string[]>();
  for (const p of paths) {
    if (!/\.sql$/i.test(p)) continue;
    const files = byDir.get(dirName(p)) ?? [];
    files.push(p);
    byDir.set(dirName(p), files);
  }
  const found: Array<{ path: string; flavor: MigrationFlavor; files: string[] }> = [];
  for (const [dir, files] of byDir) {
    const plan = `${dirName(dir) === '' ? '' : `${dirName(dir)}/`}sqitch.plan`;
    const hasPlan = paths.includes(plan);
    const flavor = migrationFlavor(dir, files, read, hasPlan);
    if (flavor === undefined) continue;
    const ordered = orderMigrations(flavor, files, flavor === 'sqitch' ? read(plan) : undefined);
    if (ordered.length > 0) found.push({ path: dir, flavor, files: ordered });
  }
  const sampleRank = (p: string): number => Number(SAMPLE_FOLDER.test(p));
  const best = [...found].sort(
    (a, b) => sampleRank(a.path) - sampleRank(b.path) || b.files.length - a.files.length || a.path.localeCompare(b.path),
  )[0];
  if (best === undefined) return undefined;
  return {
    kind: 'sql-migrations',
    flavor: best.flavor,
    files: best.files,
    description: `${FLAVOR_LABELS[best.flavor]} in ${best.path === '' ? '.' : best.path} (${best.files.length} migrations)`,
  };
}

/**
 * Django models: models modules (`<app>/models.py`, `<app>/models/*.py`, outside sample folders) that import from
 * django.db, with their apps' apps.py (AppConfig label and default_auto_field) and the settings modules that define
 * INSTALLED_APPS or DEFAULT_AUTO_FIELD.
 */
function findDjangoModels(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const models = paths.filter(
    (p) =>
      /(^|\/)models(\.py|\/[^/]+\.py)$/.test(p) &&
      !/(^|\/)migrations\//.test(p) &&
      !SAMPLE_FOLDER.test(p) &&
      /^\s*from\s+django\.(db|contrib\.postgres)\b|^\s*import\s+django\.db\b/m.test(read(p) ?? '') &&
      /^class\s+\w+\s*\(/m.test(read(p) ?? ''),
  );
  if (models.length === 0) return undefined;
  const appDirs = new Set(models.map((p) => appDirOf(p)));
  const apps = paths.filter((p) => baseName(p) === 'apps.py' && appDirs.has(dirName(p)));
  const settings = paths.filter(
    (p) => isSettingsFile(p) && !SAMPLE_FOLDER.test(p) && /^(INSTALLED_APPS|DEFAULT_AUTO_FIELD|AUTH_USER_MODEL)\s*=/m.test(read(p) ?? ''),
  );
  return {
    kind: 'django-models',
    files: [...models, ...apps, ...settings],
    description: `Django models in ${models.length === 1 ? models[0] : `${models.length} modules`} (${appDirs.size} app${appDirs.size === 1 ? '' : 's'})`,
  };
}

/** SQLAlchemy models: Python files importing sqlalchemy that declare `__tablename__` or `Table(` (not Alembic's versions). */
function findSqlAlchemyModels(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  const files = paths.filter((p) => {
    if (!p.endsWith('.py') || /(^|\/)(migrations|versions|alembic)\//.test(p) || SAMPLE_FOLDER.test(p)) return false;
    const text = read(p) ?? '';
    return /^\s*(from|import)\s+sqlalchemy\b/m.test(text) && /__tablename__\s*=|\bTable\(\s*["']/.test(text);
  });
  if (files.length === 0) return undefined;
  return {
    kind: 'sqlalchemy-models',
    files,
    description: `SQLAlchemy models in ${files.length === 1 ? files[0] : `${files.length} files`}`,
  };
}

/** The repository's schema source (undefined: none of the known kinds is present). */
export function discoverSchema(paths: readonly string[], read: ReadRepoFile): DiscoveredSchema | undefined {
  return (
    findDump(paths, read) ??
    findSchemaRb(paths, read) ??
    findPrismaMigrations(paths) ??
    findPrismaSchema(paths, read) ??
    findSqlMigrations(paths, read) ??
    findDjangoModels(paths, read) ??
    findSqlAlchemyModels(paths, read)
  );
}
