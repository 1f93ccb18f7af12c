/**
 * Directories of SQL migrations replayed in order, up-migrations only: golang-migrate (`N_x.up.sql`), Flyway
 * (`V1.2__x.sql`, then repeatable `R__x.sql`), goose (`-- +goose Up`), dbmate (`-- migrate:up`), sqitch (`deploy/`
 * in `sqitch.plan` order), Prisma (`migrations/<stamp>_x/migration.sql`) and plain numbered files (Knex/TypeORM SQL…).
 * Down sections are blanked, not removed, so every statement keeps its line number in the file.
 */
import type { MigrationFlavor, TranslatedSource } from './types.js';

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** Numbers in a name compared as numbers ("V2__" before "V10__", "9_" before "10_"). */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Flyway versions: `V1_2__x` and `V1.2__x` are version 1.2; compared part by part. */
function flywayVersion(name: string): number[] | undefined {
  const match = /^V(\d+(?:[._]\d+)*)__/i.exec(name);
  return match?.[1]?.split(/[._]/).map(Number);
}

function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The files of a flavour in the order the tool applies them (sqitch takes its plan's text). */
export function orderMigrations(flavor: MigrationFlavor, files: readonly string[], sqitchPlan?: string): string[] {
  switch (flavor) {
    case 'golang-migrate':
      return files.filter((f) => /\.up\.sql$/i.test(f)).sort((a, b) => naturalCompare(baseName(a), baseName(b)));
    case 'flyway': {
      const versioned = files
        .filter((f) => flywayVersion(baseName(f)) !== undefined)
        .sort((a, b) => compareVersions(flywayVersion(baseName(a)) ?? [], flywayVersion(baseName(b)) ?? []));
      const repeatable = files.filter((f) => /^R__/i.test(baseName(f))).sort();
      return [...versioned, ...repeatable];
    }
    case 'sqitch': {
      const byChange = new Map(files.map((f) => [baseName(f).replace(/\.sql$/i, ''), f]));
      const order = sqitchChanges(sqitchPlan ?? '');
      return order.flatMap((change) => {
        const file = byChange.get(change);
        return file === undefined ? [] : [file];
      });
    }
    case 'prisma':
      return [...files].sort((a, b) => naturalCompare(a, b));
    default:
      return files.filter((f) => !/\.down\.sql$/i.test(f)).sort((a, b) => naturalCompare(baseName(a), baseName(b)));
  }
}

/** Change names of a sqitch plan in order (pragmas, tags and blank lines aside; a reworked change counts once). */
export function sqitchChanges(plan: string): string[] {
  const out: string[] = [];
  for (const raw of plan.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('%') || line.startsWith('@') || line.startsWith('#')) continue;
    const name = /^([^\s[@]+)/.exec(line)?.[1];
    if (name !== undefined && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Keeps the lines between `start` markers and the next `stop` marker; blanks the rest (line numbers unchanged). */
function keepSections(text: string, start: RegExp, stop: RegExp): string {
  let inside = false;
  return text
    .split('\n')
    .map((line) => {
      if (start.test(line)) {
        inside = true;
        return '';
      }
      if (stop.test(line)) inside = false;
      return inside ? line : '';
    })
    .join('\n');
}

/** The up-migration part of one file's text, as SQL for the loader. */
export function upMigrationText(flavor: MigrationFlavor, text: string): string {
  switch (flavor) {
    case 'goose':
      return keepSections(text, /^\s*--\s*\+goose\s+Up\b/i, /^\s*--\s*\+goose\s+Down\b/i);
    case 'dbmate':
      return keepSections(text, /^\s*--\s*migrate:up\b/i, /^\s*--\s*migrate:down\b/i);
    default:
      return text;
  }
}

/** Each migration's up part, in order, as a source of its own (so skips and errors name the migration file). */
export function replayMigrations(
  flavor: MigrationFlavor,
  ordered: readonly string[],
  read: (path: string) => string | undefined,
): TranslatedSource[] {
  return ordered.flatMap((file) => {
    const text = read(file);
    return text === undefined ? [] : [{ file, text: upMigrationText(flavor, text) }];
  });
}

/** The flavour of a directory's `.sql` files (undefined: not a migration directory). `read` peeks at contents. */
export function migrationFlavor(
  dir: string,
  files: readonly string[],
  read: (path: string) => string | undefined,
  hasSqitchPlan: boolean,
): MigrationFlavor | undefined {
  const names = files.map(baseName);
  if (/(^|\/)deploy$/.test(dir) && hasSqitchPlan) return 'sqitch';
  if (names.some((n) => /^\d+_.*\.up\.sql$/i.test(n))) return 'golang-migrate';
  if (names.some((n) => flywayVersion(n) !== undefined)) return 'flyway';
  const numbered = files.filter((f) => /^\d+[_-]/.test(baseName(f)));
  const sample = numbered.slice(0, 5).map((f) => read(f) ?? '');
  if (sample.some((t) => /^\s*--\s*\+goose\s+Up\b/im.test(t))) return 'goose';
  if (files.slice(0, 5).some((f) => /^\s*--\s*migrate:up\b/im.test(read(f) ?? ''))) return 'dbmate';
  if (numbered.length >= 2 || (numbered.length === 1 && /migrat/i.test(dir))) return 'numbered';
  return undefined;
}

/** The flavour's name for people. */
export const FLAVOR_LABELS: Record<MigrationFlavor, string> = {
  'golang-migrate': 'golang-migrate *.up.sql',
  flyway: 'Flyway V<n>__*.sql',
  goose: 'goose -- +goose Up sections',
  dbmate: 'dbmate -- migrate:up sections',
  sqitch: 'sqitch deploy/ scripts in sqitch.plan order',
  prisma: 'Prisma migrations/*/migration.sql',
  numbered: 'numbered SQL migrations',
};
