/**
 * The study's independent count of lock and savepoint sites: a line grep over an app's source, written without
 * looking at the scanner, so recall measures the scanner against something it did not produce.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export type GrepKind = 'row-lock' | 'savepoint';

export interface GrepHit {
  file: string;
  /** 0-based, as the scanner's JSON ranges. */
  line: number;
  kind: GrepKind;
  pattern: string;
  text: string;
  /** The line before (non-empty) and this one, whitespace collapsed: a statement in a multi-line string constant
   * (sqlc's generated `const q = \`…\``) is found by its text wherever the code sends it. */
  excerpt: string;
}

/** A pattern, and the files it applies to (an ORM's spelling means nothing in another language: `.lock(` in Python is an asyncio lock). */
type Pattern = [name: string, re: RegExp, files: RegExp];
const ANY = /./;
const PY = /\.py$/;
const RB = /\.rb$/;
const JS = /\.[jt]sx?$/;
const GO = /\.go$/;

/** ORM and SQL spellings of a row lock (FOR UPDATE/SHARE and their ORM builders). */
const ROW_LOCK: Pattern[] = [
  ['sql FOR UPDATE/SHARE', /\bFOR\s+(NO\s+KEY\s+)?UPDATE\b|\bFOR\s+(KEY\s+)?SHARE\b/, ANY],
  ['with_for_update', /\bwith_for_update\s*[(=]/, PY],
  ['select_for_update', /\.select_for_update\s*\(/, PY],
  ['rails lock', /\.with_lock\b|\.lock!|\.lock\s*\(|\.lock\.\w|\block!\s*$|^\s*\.lock\s*$/, RB],
  ['query-builder forUpdate/forShare', /\.(forUpdate|forShare|forNoKeyUpdate|forKeyShare)\s*\(/, JS],
  ['typeorm setLock/lock mode', /\.setLock\s*\(|\block\s*:\s*\{\s*mode\s*:/, JS],
  ['sequelize lock', /\block\s*:\s*(true|[\w.]*LOCK\.\w+)/, JS],
  ['drizzle for', /\.for\s*\(\s*['"](update|share|no key update|key share)['"]/, JS],
  ['gorm clause.Locking', /clause\.Locking\s*\{/, GO],
];

/** Spellings that open a subtransaction. */
const SAVEPOINT: Pattern[] = [
  // RELEASE SAVEPOINT and ROLLBACK TO SAVEPOINT close or rewind one; only SAVEPOINT itself opens a subtransaction.
  ['sql SAVEPOINT', /(?<!(RELEASE|TO)\s+)\bSAVEPOINT\s+\w/, ANY],
  ['begin_nested', /\.begin_nested\s*\(/, PY],
  ['requires_new', /requires_new:\s*true/, RB],
  ['django savepoint()', /transaction\.savepoint\s*\(/, PY],
  ['gorm SavePoint', /\.SavePoint\s*\(/, GO],
];

const EXTENSIONS = /\.(py|rb|ts|tsx|js|go|sql)$/;
/** Tests are left out of the grep and of the triage sample: the study is about the code that runs in production. */
export const TEST_FILE =
  /(^|\/)(tests?|spec|specs|__tests__|testing|testdata|fixtures|factories)\/|_test\.go$|(^|\/)test_[^/]*\.py$|_test\.py$|_spec\.rb$|\.(test|spec)\.[jt]sx?$/;
const SKIPPED = new Set(['node_modules', 'vendor', 'dist', 'build', '.git', 'tmp', 'log', '__pycache__']);
const COMMENT = /^\s*(#|\/\/|\*|\/\*|--)/;
/** A SQL keyword only counts where it can be SQL: a quoted or SQL-looking line, or a .sql file (not prose in a docstring). */
const SQL_LIKE = /["'`]|^\s*((SELECT|FROM|WHERE|AND|OR|ORDER|LIMIT|OFFSET|FOR|JOIN|RETURNING|SKIP|NOWAIT)\b|\))/;
/** A Python docstring opens or closes on a line that starts with triple quotes (SQL in `text("""…""")` does not). */
const DOCSTRING_EDGE = /^\s*[rbuRBU]?("""|''')/;

function walk(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    const stat = statSync(full, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) {
      if (!SKIPPED.has(name) && !name.startsWith('.')) walk(root, full, out);
    } else if (EXTENSIONS.test(name) && !TEST_FILE.test(relative(root, full))) out.push(full);
  }
}

function matchLine(text: string, file: string, table: Pattern[]): string | undefined {
  if (COMMENT.test(text)) return undefined;
  for (const [name, re, files] of table) {
    if (!files.test(file) || !re.test(text)) continue;
    if (name.startsWith('sql ') && !file.endsWith('.sql') && !SQL_LIKE.test(text)) continue;
    return name;
  }
  return undefined;
}

/** Every lock and savepoint line under the app's scanned folders; file paths relative to the app root. */
export function grepSites(appRoot: string, folders: readonly string[]): GrepHit[] {
  const files: string[] = [];
  for (const folder of folders) walk(appRoot, join(appRoot, folder), files);
  const hits: GrepHit[] = [];
  for (const full of files) {
    const file = relative(appRoot, full);
    // Python triple-quoted text: a docstring is prose and skipped; a triple-quoted SQL string is read.
    let triple: 'none' | 'docstring' | 'string' = 'none';
    const lines = readFileSync(full, 'utf8').split('\n');
    const excerptAt = (line: number): string => {
      let previous = line - 1;
      while (previous > 0 && lines[previous]?.trim() === '') previous--;
      return `${lines[previous] ?? ''} ${lines[line]}`.replace(/\s+/g, ' ').trim();
    };
    lines.forEach((text, line) => {
      const toggles = file.endsWith('.py') && (text.match(/"""|'''/g)?.length ?? 0) % 2 === 1;
      const wasDocstring = triple === 'docstring';
      if (triple === 'none' && toggles) triple = DOCSTRING_EDGE.test(text) ? 'docstring' : 'string';
      else if (toggles) triple = 'none';
      if (wasDocstring || triple === 'docstring' || (file.endsWith('.py') && DOCSTRING_EDGE.test(text) && !toggles)) return;
      const lock = matchLine(text, file, ROW_LOCK);
      const savepoint = lock === undefined ? matchLine(text, file, SAVEPOINT) : undefined;
      const excerpt = excerptAt(line);
      if (lock !== undefined) hits.push({ file, line, kind: 'row-lock', pattern: lock, text: text.trim(), excerpt });
      else if (savepoint !== undefined) hits.push({ file, line, kind: 'savepoint', pattern: savepoint, text: text.trim(), excerpt });
    });
  }
  return hits;
}
