/** Extracts each field-study app's source files at its pinned commit from a fetched snapshot (git dir) into the apps folder. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type FieldApp } from './apps.js';

/** Only what `lockscope scan` reads is extracted: snapshots lack files of 4 MiB and more, so a whole-tree archive fails. */
const SCANNED = /\.(py|rb|ts|tsx|js|jsx|mjs|cjs|go|sql|prisma)$/;
const MARKER = '.field-study-commit';

function git(gitDir: string, args: string[], input?: string): Buffer {
  const run = spawnSync('git', ['--git-dir', gitDir, ...args], { input, maxBuffer: 4 * 1024 ** 3 });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${run.stderr.toString()}`);
  return run.stdout;
}

/** The snapshot's git dir: FIELD_MIRRORS/<owner>+<name>/repo (where the session's fetch tool puts it). */
export function mirrorOf(app: FieldApp, mirrors: string): string {
  return join(mirrors, app.repo.replace('/', '+'), 'repo');
}

/** Writes every present blob with a scanned extension; returns how many files were written (0 when already there). */
export function checkout(app: FieldApp, mirrors: string, appsDir: string): number {
  const target = join(appsDir, app.name);
  const marker = join(target, MARKER);
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === app.commit) return 0;
  const gitDir = mirrorOf(app, mirrors);
  if (!existsSync(gitDir)) throw new Error(`${app.repo}: no snapshot at ${gitDir} (fetch github:${app.repo} first)`);
  rmSync(target, { recursive: true, force: true });
  const entries = git(gitDir, ['ls-tree', '-r', '-z', app.commit])
    .toString()
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta = '', path = ''] = line.split('\t');
      const [mode, type, sha] = meta.split(' ');
      return { mode, type, sha: sha ?? '', path };
    })
    .filter((e) => e.type === 'blob' && e.mode !== '120000' && SCANNED.test(e.path));
  // One cat-file process for all blobs; a blob the snapshot lacks answers "<sha> missing" and is skipped.
  const out = git(gitDir, ['cat-file', '--batch'], entries.map((e) => e.sha).join('\n') + '\n');
  let offset = 0;
  let written = 0;
  for (const entry of entries) {
    const newline = out.indexOf(10, offset);
    const header = out.subarray(offset, newline).toString();
    offset = newline + 1;
    if (header.endsWith(' missing')) continue;
    const size = Number(header.split(' ')[2]);
    const file = join(target, entry.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, out.subarray(offset, offset + size));
    offset += size + 1;
    written++;
  }
  writeFileSync(marker, app.commit + '\n');
  return written;
}
